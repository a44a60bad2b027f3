import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { env, pipeline, type FeatureExtractionPipeline } from "@xenova/transformers";
import { RahnamaError } from "../errors.js";
import { normalise, type Embedder } from "./embedder.js";

export interface TransformersOptions {
  /** Folder holding `<owner>/<name>/` model folders (config.json, tokenizer.json, onnx/…). */
  readonly modelsDir: string;
  readonly modelId: string;
  /** e5 models are trained with these prefixes; without them retrieval quality drops. */
  readonly queryPrefix?: string;
  readonly passagePrefix?: string;
  readonly quantized?: boolean;
}

const batchSize = 32;

/** The files a model needs; the fetch script downloads exactly these. */
export const requiredModelFiles = [
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "onnx/model_quantized.onnx",
] as const;

export function hasModelFiles(modelsDir: string, modelId: string): boolean {
  return requiredModelFiles.every((file) => existsSync(path.join(modelsDir, modelId, file)));
}

/**
 * Any feature-extraction model in transformers.js format, run locally with onnxruntime: mean pooling
 * over the attention mask, unit length, and the model's query/passage prefixes. Remote loading is off:
 * a model that is not on disk is an error, never a download.
 */
export class TransformersEmbedder implements Embedder {
  readonly languages = "all" as const;

  private constructor(
    readonly id: string,
    readonly dimension: number,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly queryPrefix: string,
    private readonly passagePrefix: string,
  ) {}

  static async load(options: TransformersOptions): Promise<TransformersEmbedder> {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = options.modelsDir.endsWith(path.sep) ? options.modelsDir : `${options.modelsDir}${path.sep}`;
    const folder = path.join(options.modelsDir, options.modelId);
    if (!hasModelFiles(options.modelsDir, options.modelId)) {
      throw new RahnamaError(
        "EMBEDDER_FAILED",
        `Model ${options.modelId} is not in ${options.modelsDir} (needs ${requiredModelFiles.join(", ")}); run npm run models:fetch where internet is available`,
      );
    }
    try {
      const config = JSON.parse(await readFile(path.join(folder, "config.json"), "utf8")) as { hidden_size?: number };
      const extractor = await pipeline("feature-extraction", options.modelId, { quantized: options.quantized ?? true });
      const probe = await extractor(["dimension probe"], { pooling: "mean", normalize: true });
      const dimension = probe.dims.at(-1) ?? config.hidden_size ?? 0;
      return new TransformersEmbedder(
        `transformers:${options.modelId}`,
        dimension,
        extractor,
        options.queryPrefix ?? "query: ",
        options.passagePrefix ?? "passage: ",
      );
    } catch (error) {
      throw new RahnamaError("EMBEDDER_FAILED", `Could not load ${options.modelId} from ${folder}`, { cause: error });
    }
  }

  embedQueries(texts: readonly string[]): Promise<number[][]> {
    return this.#embed(texts.map((text) => this.queryPrefix + text));
  }

  embedPassages(texts: readonly string[]): Promise<number[][]> {
    return this.#embed(texts.map((text) => this.passagePrefix + text));
  }

  async close(): Promise<void> {
    await this.extractor.dispose();
  }

  async #embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const output = await this.extractor(texts.slice(start, start + batchSize), { pooling: "mean", normalize: true });
      // normalize: true already gives unit length; normalising again guards against a model emitting zeros.
      vectors.push(...(output.tolist() as number[][]).map(normalise));
    }
    return vectors;
  }
}
