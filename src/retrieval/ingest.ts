import type { Logger } from "../log.js";
import { chunkLeaflet, type Chunk } from "./chunk.js";
import type { Embedder } from "./embedder.js";
import { leafletKey, type KnowledgeIndex } from "./knowledge-index.js";
import type { Leaflet } from "./leaflet.js";

export interface IngestReport {
  /** none: already fresh; incremental: only changed leaflets re-embedded; full: everything. */
  readonly mode: "none" | "incremental" | "full";
  readonly reason:
    "fresh" | "missing" | "embedder-changed" | "format-changed" | "content-changed" | "forced" | "stale-kept";
  readonly leaflets: number;
  /** Passages in the index afterwards. */
  readonly chunks: number;
  /** Passages embedded in this run. */
  readonly embedded: number;
  readonly changedLeaflets: number;
  readonly removedLeaflets: number;
  readonly milliseconds: number;
}

export interface IngestOptions {
  readonly mode: "auto" | "always" | "never";
  readonly log: Logger;
  /** Called after each embedded batch; the CLI draws a progress bar with it. */
  readonly onProgress?: (done: number, total: number) => void;
}

const embedBatch = 32;

async function embedAll(
  chunks: readonly Chunk[],
  embedder: Embedder,
  onProgress?: IngestOptions["onProgress"],
): Promise<number[][]> {
  const vectors: number[][] = [];
  onProgress?.(0, chunks.length);
  for (let start = 0; start < chunks.length; start += embedBatch) {
    const batch = chunks.slice(start, start + embedBatch);
    vectors.push(...(await embedder.embedPassages(batch.map((chunk) => chunk.searchText))));
    onProgress?.(Math.min(start + embedBatch, chunks.length), chunks.length);
  }
  return vectors;
}

/**
 * Brings the index in line with the leaflets. A new embedding model or index format rebuilds
 * everything; changed leaflets are re-embedded alone (content hash), removed ones dropped.
 */
export async function ensureIndex(
  index: KnowledgeIndex,
  leaflets: readonly Leaflet[],
  embedder: Embedder,
  options: IngestOptions,
): Promise<IngestReport> {
  const started = performance.now();
  const diff = await index.diff(leaflets, embedder);
  const report = (
    mode: IngestReport["mode"],
    reason: IngestReport["reason"],
    embedded: number,
    changed = 0,
    removed = 0,
  ): Promise<IngestReport> =>
    index.count().then((chunks) => ({
      mode,
      reason,
      leaflets: leaflets.length,
      chunks,
      embedded,
      changedLeaflets: changed,
      removedLeaflets: removed,
      milliseconds: performance.now() - started,
    }));

  if (options.mode !== "always" && diff.kind === "fresh") return report("none", "fresh", 0);
  if (options.mode === "never") {
    if (diff.kind === "missing") options.log.warn("no knowledge index and REINDEX_ON_START=never: building it anyway");
    else {
      options.log.warn({ freshness: diff.kind }, "knowledge index is stale; REINDEX_ON_START=never keeps it");
      return report("none", "stale-kept", 0);
    }
  }

  if (diff.kind === "content-changed" && options.mode !== "always") {
    const wanted = new Set(diff.changed);
    const chunks = leaflets.filter((leaflet) => wanted.has(leafletKey(leaflet))).flatMap(chunkLeaflet);
    options.log.info(
      { changed: diff.changed.length, removed: diff.removed.length, chunks: chunks.length },
      "updating knowledge index",
    );
    const vectors = await embedAll(chunks, embedder, options.onProgress);
    await index.update(leaflets, diff, chunks, vectors, embedder);
    const done = await report(
      "incremental",
      "content-changed",
      chunks.length,
      diff.changed.length,
      diff.removed.length,
    );
    options.log.info({ ...done }, "knowledge index updated");
    return done;
  }

  const reason = options.mode === "always" ? "forced" : diff.kind === "fresh" ? "forced" : diff.kind;
  const chunks = leaflets.flatMap(chunkLeaflet);
  options.log.info(
    { reason, leaflets: leaflets.length, chunks: chunks.length, embedder: embedder.id },
    "building knowledge index",
  );
  const vectors = await embedAll(chunks, embedder, options.onProgress);
  await index.rebuild(leaflets, chunks, vectors, embedder);
  const done = await report("full", reason, chunks.length, leaflets.length, 0);
  options.log.info({ ...done }, "knowledge index built");
  return done;
}
