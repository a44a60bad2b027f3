import type { Logger } from "../log.js";
import { chunkLeaflet, type Chunk } from "./chunk.js";
import { coversLanguage, type Embedder } from "./embedder.js";
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

/**
 * Vectors for the chunks. Chunks in languages the model does not cover get a zero vector instead of a
 * meaningless one: vector search never runs for those languages, and skipping them is most of the
 * work with the English-only USE-lite model.
 */
async function embedAll(
  chunks: readonly Chunk[],
  embedder: Embedder,
  onProgress?: IngestOptions["onProgress"],
): Promise<{ vectors: number[][]; embedded: number }> {
  const vectors: number[][] = chunks.map(() => new Array<number>(embedder.dimension).fill(0));
  const wanted = chunks
    .map((chunk, index) => ({ chunk, index }))
    .filter(({ chunk }) => coversLanguage(embedder, chunk.lang));
  onProgress?.(0, wanted.length);
  for (let start = 0; start < wanted.length; start += embedBatch) {
    const batch = wanted.slice(start, start + embedBatch);
    const embedded = await embedder.embedPassages(batch.map(({ chunk }) => chunk.searchText));
    batch.forEach(({ index }, i) => {
      vectors[index] = embedded[i] ?? vectors[index] ?? [];
    });
    onProgress?.(Math.min(start + embedBatch, wanted.length), wanted.length);
  }
  return { vectors, embedded: wanted.length };
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
    const { vectors, embedded } = await embedAll(chunks, embedder, options.onProgress);
    await index.update(leaflets, diff, chunks, vectors, embedder);
    const done = await report("incremental", "content-changed", embedded, diff.changed.length, diff.removed.length);
    options.log.info({ ...done }, "knowledge index updated");
    return done;
  }

  const reason = options.mode === "always" ? "forced" : diff.kind === "fresh" ? "forced" : diff.kind;
  const chunks = leaflets.flatMap(chunkLeaflet);
  options.log.info(
    { reason, leaflets: leaflets.length, chunks: chunks.length, embedder: embedder.id },
    "building knowledge index",
  );
  const { vectors, embedded } = await embedAll(chunks, embedder, options.onProgress);
  await index.rebuild(leaflets, chunks, vectors, embedder);
  const done = await report("full", reason, embedded, leaflets.length, 0);
  options.log.info({ ...done }, "knowledge index built");
  return done;
}
