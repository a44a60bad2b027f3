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
  kind: z.enum(["queries", "passages"]),
  texts: z.array(z.string()),
});

const port = parentPort;
if (!port) throw new Error("embedder-worker must run as a worker thread");

const model = UseLiteEmbedder.load();
model.then(
  () => port.postMessage({ ready: true }),
  (error: unknown) => port.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) }),
);

port.on("message", (message: unknown) => {
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) return;
  const { id, kind, texts } = parsed.data;
  model
    .then((embedder) => (kind === "queries" ? embedder.embedQueries(texts) : embedder.embedPassages(texts)))
    .then(
      (vectors) => port.postMessage({ id, vectors }),
      (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
    );
});
