import type { Logger } from "../log.js";
import { chunkLeaflet, type Chunk } from "./chunk.js";
import type { Embedder } from "./embedder.js";
import type { IndexFreshness, KnowledgeIndex } from "./knowledge-index.js";
import type { Leaflet } from "./leaflet.js";

export interface IngestReport {
  readonly rebuilt: boolean;
  readonly reason: IndexFreshness | "forced";
  readonly leaflets: number;
  readonly chunks: number;
  readonly milliseconds: number;
}

export interface IngestOptions {
  readonly mode: "auto" | "always" | "never";
  readonly log: Logger;
  /** Called after each embedded batch; the CLI draws a progress bar with it. */
  readonly onProgress?: (done: number, total: number) => void;
}

const embedBatch = 32;

/** Brings the index in line with the leaflets: rebuilds when missing, stale or asked to. */
export async function ensureIndex(
  index: KnowledgeIndex,
  leaflets: readonly Leaflet[],
  embedder: Embedder,
  options: IngestOptions,
): Promise<IngestReport> {
  const started = performance.now();
  const freshness = await index.freshness(leaflets, embedder);
  const rebuild =
    options.mode === "always" || (freshness !== "fresh" && (options.mode === "auto" || freshness === "missing"));
  const chunks: Chunk[] = leaflets.flatMap(chunkLeaflet);
  if (!rebuild) {
    if (freshness !== "fresh")
      options.log.warn({ freshness }, "knowledge index is stale; REINDEX_ON_START=never keeps it");
    return {
      rebuilt: false,
      reason: freshness,
      leaflets: leaflets.length,
      chunks: await index.count(),
      milliseconds: performance.now() - started,
    };
  }
  options.log.info(
    {
      reason: options.mode === "always" ? "forced" : freshness,
      leaflets: leaflets.length,
      chunks: chunks.length,
      embedder: embedder.id,
    },
    "building knowledge index",
  );
  const vectors: number[][] = [];
  for (let start = 0; start < chunks.length; start += embedBatch) {
    const batch = chunks.slice(start, start + embedBatch);
    vectors.push(...(await embedder.embedPassages(batch.map((chunk) => chunk.searchText))));
    options.onProgress?.(Math.min(start + embedBatch, chunks.length), chunks.length);
  }
  await index.rebuild(leaflets, chunks, vectors, embedder);
  const report: IngestReport = {
    rebuilt: true,
    reason: options.mode === "always" ? "forced" : freshness,
    leaflets: leaflets.length,
    chunks: chunks.length,
    milliseconds: performance.now() - started,
  };
  options.log.info({ ...report }, "knowledge index built");
  return report;
}
