import type { LanguageCode } from "../i18n/languages.js";
import { coversLanguage, type Embedder } from "./embedder.js";
import type { ChunkFilter, KnowledgeIndex, RawHit } from "./knowledge-index.js";

export interface SearchHit {
  readonly chunkId: string;
  readonly leafletId: string;
  readonly lang: LanguageCode;
  readonly heading: string;
  readonly text: string;
  /** Reciprocal-rank-fusion score: only comparable within one search. */
  readonly fused: number;
  /** Cosine similarity to the query, when the vector side ran and found this chunk. */
  readonly similarity: number | null;
  /** BM25 score, when the full-text side found this chunk. */
  readonly bm25: number | null;
}

export interface SearchOutcome {
  readonly hits: readonly SearchHit[];
  readonly mode: "hybrid" | "lexical";
  /** Whether the best hit is good enough to quote as an answer. */
  readonly confident: boolean;
}

/** The usual RRF constant: damps the head of each list so neither side dominates. */
const rrfK = 60;
const candidatesPerSide = 20;

/**
 * "Good enough to quote" thresholds, calibrated on test/retrieval questions and off-topic messages
 * (see the retrieval tests): USE-lite similarities of right answers sit above 0.45, of off-topic
 * chatter below 0.35.
 */
export const confidence = { minSimilarity: 0.4, minBm25: 4 } as const;

export async function hybridSearch(
  index: KnowledgeIndex,
  embedder: Embedder,
  query: string,
  filter: ChunkFilter,
  limit: number,
): Promise<SearchOutcome> {
  const useVectors = filter.langs.every((lang) => coversLanguage(embedder, lang));
  const [vectorHits, textHits] = await Promise.all([
    useVectors
      ? embedder.embedQueries([query]).then(([vector]) => (vector ? index.vectorSearch(vector, filter, candidatesPerSide) : []))
      : Promise.resolve([] as RawHit[]),
    index.textSearch(query, filter, candidatesPerSide),
  ]);

  const fused = new Map<string, { hit: RawHit; fused: number; similarity: number | null; bm25: number | null }>();
  const addList = (hits: readonly RawHit[], side: "similarity" | "bm25") => {
    hits.forEach((hit, rank) => {
      const entry = fused.get(hit.chunkId) ?? { hit, fused: 0, similarity: null, bm25: null };
      entry.fused += 1 / (rrfK + rank + 1);
      entry[side] = hit.score;
      fused.set(hit.chunkId, entry);
    });
  };
  addList(vectorHits, "similarity");
  addList(textHits, "bm25");

  const hits = [...fused.values()]
    .sort((a, b) => b.fused - a.fused)
    .slice(0, limit)
    .map(({ hit, fused: score, similarity, bm25 }) => ({
      chunkId: hit.chunkId,
      leafletId: hit.leafletId,
      lang: hit.lang,
      heading: hit.heading,
      text: hit.text,
      fused: score,
      similarity,
      bm25,
    }));
  const best = hits[0];
  const confident =
    best !== undefined &&
    (useVectors
      ? (best.similarity ?? 0) >= confidence.minSimilarity
      : (best.bm25 ?? 0) >= confidence.minBm25);
  return { hits, mode: useVectors ? "hybrid" : "lexical", confident };
}
