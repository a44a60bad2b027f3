import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort } from "node:worker_threads";
import { z } from "zod";
import { UseLiteEmbedder } from "./use-lite-embedder.js";

/**
 * The worker thread of ThreadedEmbedder: loads USE-lite here, so that its model runs (about 12 ms of
 * uninterrupted CPU per question) do not hold up the main thread, where the same question's full-text
 * search is waiting to be read.
 */
const requestSchema = z.object({
  id: z.number().int(),
  kind: z.enum(["queries", "passages", "collect"]),
  texts: z.array(z.string()),
});

// A worker cannot be started with --expose-gc; the flag set here gives this thread a gc() of its own, so the
// model's scratch memory from building the index can be handed back at once instead of whenever V8 likes.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const port = parentPort;
if (!port) throw new Error("embedder-worker must run as a worker thread");

// Small batches: the memory a worker thread's allocator takes for a batch is not handed back to the system,
// and batches of 64 left RSS after start 1.24-1.27x the baseline's against 1.21x with 16, the index built
// as fast (bench/startup-memory.ts, 2026-12-07).
const model = UseLiteEmbedder.load({ batchSize: 16 });
// The model describes itself: the main thread stores its id and dimension with the index.
model.then(
  (embedder) =>
    port.postMessage({
      ready: true,
      id: embedder.id,
      dimension: embedder.dimension,
      languages: [...embedder.languages],
    }),
  (error: unknown) => port.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) }),
);

port.on("message", (message: unknown) => {
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) return;
  const { id, kind, texts } = parsed.data;
  if (kind === "collect") {
    collectGarbage();
    port.postMessage({ id, vectors: [] });
    return;
  }
  model
    .then((embedder) => (kind === "queries" ? embedder.embedQueries(texts) : embedder.embedPassages(texts)))
    .then(
      (vectors) => port.postMessage({ id, vectors }),
      (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
    );
});
