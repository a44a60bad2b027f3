import type { Embedder } from "./embedder.js";

interface Waiting {
  readonly texts: readonly string[];
  resolve(vectors: number[][]): void;
  reject(error: unknown): void;
}

/**
 * Collects queries that arrive together and embeds them in one model call: a model run costs much
 * less per text in a batch, so throughput grows under load. A query waits at most `maxWaitMs` for
 * company; a full batch goes at once. Passages (ingest) are already batched and pass straight through.
 */
export class BatchingEmbedder implements Embedder {
  #queue: Waiting[] = [];
  #queued = 0;
  #timer: NodeJS.Timeout | null = null;
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
    if (this.maxWaitMs === 0 || texts.length >= this.maxBatch) return this.inner.embedQueries(texts);
    return new Promise((resolve, reject) => {
      this.#queue.push({ texts, resolve, reject });
      this.#queued += texts.length;
      if (this.#queued >= this.maxBatch) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.maxWaitMs);
    });
  }

  embedPassages(texts: readonly string[]): Promise<number[][]> {
    return this.inner.embedPassages(texts);
  }

  async close(): Promise<void> {
    this.#flush();
    await this.inner.close();
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    if (batch.length === 0) return;
    const texts = batch.flatMap((waiting) => waiting.texts);
    this.batchSizes.push(texts.length);
    this.inner.embedQueries(texts).then(
      (vectors) => {
        let offset = 0;
        for (const waiting of batch) {
          waiting.resolve(vectors.slice(offset, offset + waiting.texts.length));
          offset += waiting.texts.length;
        }
      },
      (error: unknown) => {
        for (const waiting of batch) waiting.reject(error);
      },
    );
  }
}
