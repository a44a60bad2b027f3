import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Embedder } from "./embedder.js";
import { UseLiteEmbedder } from "./use-lite-embedder.js";

/**
 * Picks the embedding model. Today the bundled USE-lite model is the only one that runs without a model
 * hub; the multilingual transformers.js provider joins here when its files are present.
 */
export async function selectEmbedder(config: Pick<Config, "EMBEDDER">, log: Logger): Promise<Embedder> {
  const started = performance.now();
  const embedder = await UseLiteEmbedder.load();
  log.info(
    {
      embedder: embedder.id,
      dimension: embedder.dimension,
      languages: embedder.languages,
      setting: config.EMBEDDER,
      ms: Math.round(performance.now() - started),
    },
    "embedding model loaded",
  );
  return embedder;
}
