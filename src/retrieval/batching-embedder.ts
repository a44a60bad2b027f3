import type { Embedder } from "./embedder.js";

/** How many recent queries to remember. */
const recentQueries = 256;

interface Waiting {
  readonly texts: readonly string[];
  resolve(vectors: number[][]): void;
  reject(error: unknown): void;
}

/**
 * Collects queries that arrive together and embeds them in one model call: a model run costs much
 * less per text in a batch, so throughput grows under load. When the model is idle a query waits only
 * for the others sent in the same turn of the event loop (no added latency for a lone question); while
 * the model is busy, queries gather for the next run, at most `maxWaitMs`. A full batch goes at once.
 * Passages (ingest) are already batched and pass straight through.
 */
export class BatchingEmbedder implements Embedder {
  #queue: Waiting[] = [];
  /** The most recent single queries and their vectors, newest last (a Map keeps insertion order). */
  readonly #recent = new Map<string, number[]>();
  #queued = 0;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  /** Model runs under way. */
  #inFlight = 0;
  /** Sizes of the batches sent to the model, for the benchmark and tests. */
  readonly batchSizes: number[] = [];

  constructor(
    private readonly inner: Embedder,
    private readonly maxWaitMs: number,
    private readonly maxBatch: number,
  ) {}

  get id(): string {
    return this.inner.id;
  }
  get dimension(): number {
    return this.inner.dimension;
  }
  get languages(): Embedder["languages"] {
    return this.inner.languages;
  }

  embedQueries(texts: readonly string[]): Promise<number[][]> {
    // One message is embedded for the intent classifier and again for the leaflet search: remember it.
    if (texts.length === 1) {
      const cached = this.#recent.get(texts[0] ?? "");
      if (cached) return Promise.resolve([cached]);
      return this.#embedUncached(texts).then((vectors) => {
        this.#remember(texts[0] ?? "", vectors[0]);
        return vectors;
      });
    }
    return this.#embedUncached(texts);
  }

  #remember(text: string, vector: number[] | undefined): void {
    if (!vector) return;
    this.#recent.delete(text);
    this.#recent.set(text, vector);
    if (this.#recent.size > recentQueries) this.#recent.delete(this.#recent.keys().next().value ?? "");
  }

  #embedUncached(texts: readonly string[]): Promise<number[][]> {
    if (this.maxWaitMs === 0 || texts.length >= this.maxBatch) return this.inner.embedQueries(texts);
    return new Promise((resolve, reject) => {
      this.#queue.push({ texts, resolve, reject });
      this.#queued += texts.length;
      if (this.#queued >= this.maxBatch) this.#flush();
      else if (this.#inFlight === 0) this.#immediate ??= setImmediate(() => this.#flush());
      else this.#timer ??= setTimeout(() => this.#flush(), this.maxWaitMs);
    });
  }

  embedPassages(texts: readonly string[]): Promise<number[][]> {
    return this.inner.embedPassages(texts);
  }

  async releaseMemory(): Promise<void> {
    await this.inner.releaseMemory?.();
  }

  async close(): Promise<void> {
    this.#flush();
    await this.inner.close();
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    const batch = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    if (batch.length === 0) return;
    const texts = batch.flatMap((waiting) => waiting.texts);
    this.batchSizes.push(texts.length);
    this.#inFlight += 1;
    const done = () => {
      this.#inFlight -= 1;
      // What gathered while the model ran goes now rather than at its timer.
      if (this.#inFlight === 0 && this.#queue.length > 0) this.#flush();
    };
    this.inner.embedQueries(texts).then(
      (vectors) => {
        done();
        let offset = 0;
        for (const waiting of batch) {
          waiting.resolve(vectors.slice(offset, offset + waiting.texts.length));
          offset += waiting.texts.length;
        }
      },
      (error: unknown) => {
        done();
        for (const waiting of batch) waiting.reject(error);
      },
    );
  }
}
