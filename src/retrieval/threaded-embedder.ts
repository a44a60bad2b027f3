import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { RahnamaError } from "../errors.js";
import { isLanguageCode, type LanguageCode } from "../i18n/languages.js";
import type { Embedder } from "./embedder.js";

const readySchema = z.union([
  z.object({ ready: z.literal(true), id: z.string(), dimension: z.number().int(), languages: z.array(z.string()) }),
  z.object({ ready: z.literal(false), error: z.string() }),
]);
const replySchema = z.union([
  z.object({ id: z.number().int(), vectors: z.array(z.array(z.number())) }),
  z.object({ id: z.number().int(), error: z.string() }),
]);

interface Pending {
  resolve(vectors: number[][]): void;
  reject(error: unknown): void;
}

/**
 * The worker's entry. Built, it is the JavaScript file next to this one. Run from TypeScript (tsx, the
 * tests) it is a small module that registers tsx in the worker first: a worker does not inherit the main
 * thread's loader.
 */
function workerEntry(): URL {
  const typescript = import.meta.url.endsWith(".ts");
  const worker = new URL(`./embedder-worker.${typescript ? "ts" : "js"}`, import.meta.url);
  if (!typescript) return worker;
  // tsx's ESM entry, found from its package.json (require.resolve would give its CommonJS one).
  const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
  const tsxApi = pathToFileURL(path.join(path.dirname(tsxPackage), "dist", "esm", "api", "index.mjs")).href;
  const source = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(worker.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/**
 * USE-lite in a worker thread. The model's run is synchronous CPU work: on the main thread it blocks
 * the event loop, so the question's full-text search (native, but read through several async steps)
 * waits behind it and an English answer costs embedding + search. In a worker the two overlap, and
 * the event loop stays free for other people's messages.
 */
export class ThreadedEmbedder implements Embedder {
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly id: string,
    readonly dimension: number,
    readonly languages: readonly LanguageCode[],
  ) {
    worker.on("message", (message: unknown) => this.#receive(message));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => this.#fail(new Error(`embedder worker exited with code ${code}`)));
  }

  static async start(): Promise<ThreadedEmbedder> {
    const worker = new Worker(workerEntry());
    const ready = await new Promise<z.output<typeof readySchema>>((resolve, reject) => {
      worker.once("message", (message: unknown) => {
        const parsed = readySchema.safeParse(message);
        if (parsed.success) resolve(parsed.data);
        else reject(new Error("unexpected first message from the embedder worker"));
      });
      worker.once("error", reject);
    }).catch((error: unknown) => ({
      ready: false as const,
      error: error instanceof Error ? error.message : String(error),
    }));
    if (!ready.ready) {
      await worker.terminate();
      throw new RahnamaError("EMBEDDER_FAILED", `Could not load the bundled USE-lite model: ${ready.error}`);
    }
    return new ThreadedEmbedder(worker, ready.id, ready.dimension, ready.languages.filter(isLanguageCode));
  }

  embedQueries(texts: readonly string[]): Promise<number[][]> {
    return texts.length === 0 ? Promise.resolve([]) : this.#send("queries", texts);
  }

  embedPassages(texts: readonly string[]): Promise<number[][]> {
    return texts.length === 0 ? Promise.resolve([]) : this.#send("passages", texts);
  }

  /** Frees the worker's garbage now (after building the index: the model's runs leave a lot of it). */
  async releaseMemory(): Promise<void> {
    await this.#send("collect", []);
  }

  async close(): Promise<void> {
    this.#fail(new Error("embedder closed"));
    await this.worker.terminate();
  }

  #send(kind: "queries" | "passages" | "collect", texts: readonly string[]): Promise<number[][]> {
    if (this.#failure) return Promise.reject(new RahnamaError("EMBEDDER_FAILED", this.#failure.message));
    const id = (this.#next += 1);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, kind, texts: [...texts] });
    });
  }

  #receive(message: unknown): void {
    const parsed = replySchema.safeParse(message);
    if (!parsed.success || !("id" in parsed.data)) return;
    const reply = parsed.data;
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if ("vectors" in reply) pending.resolve(reply.vectors);
    else pending.reject(new RahnamaError("EMBEDDER_FAILED", reply.error));
  }

  /** Every waiting caller gets an error rather than waiting for ever; later calls fail at once. */
  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(new RahnamaError("EMBEDDER_FAILED", error.message));
    this.#pending.clear();
  }
}
