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
  /** 1-based rank on each side (null when that side did not return it). */
  readonly vectorRank: number | null;
  readonly textRank: number | null;
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
 * "Good enough to quote", calibrated on test/retrieval questions and off-topic chatter: right answers
 * mostly score a USE-lite similarity above 0.4, chatter below 0.35. A passage below that still counts
 * when both sides agree on it (top 2 of each list) with a real word match; short definitional questions
 * ("What is human trafficking?") land there.
 */
export const confidence = { minSimilarity: 0.4, agreeingBm25: 4.5, agreeingRank: 2, minBm25LexicalOnly: 4 } as const;

function isConfident(best: SearchHit | undefined, useVectors: boolean): boolean {
  if (!best) return false;
  if (!useVectors) return (best.bm25 ?? 0) >= confidence.minBm25LexicalOnly;
  if ((best.similarity ?? 0) >= confidence.minSimilarity) return true;
  return (
    (best.bm25 ?? 0) >= confidence.agreeingBm25 &&
    (best.vectorRank ?? Infinity) <= confidence.agreeingRank &&
    (best.textRank ?? Infinity) <= confidence.agreeingRank
  );
}

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
      ? embedder
          .embedQueries([query])
          .then(([vector]) => (vector ? index.vectorSearch(vector, filter, candidatesPerSide) : []))
      : Promise.resolve([] as RawHit[]),
    index.textSearch(query, filter, candidatesPerSide),
  ]);

  type Entry = {
    hit: RawHit;
    fused: number;
    similarity: number | null;
    bm25: number | null;
    vectorRank: number | null;
    textRank: number | null;
  };
  const fused = new Map<string, Entry>();
  const addList = (hits: readonly RawHit[], side: "vector" | "text") => {
    hits.forEach((hit, index) => {
      const entry = fused.get(hit.chunkId) ?? {
        hit,
        fused: 0,
        similarity: null,
        bm25: null,
        vectorRank: null,
        textRank: null,
      };
      entry.fused += 1 / (rrfK + index + 1);
      if (side === "vector") {
        entry.similarity = hit.score;
        entry.vectorRank = index + 1;
      } else {
        entry.bm25 = hit.score;
        entry.textRank = index + 1;
      }
      fused.set(hit.chunkId, entry);
    });
  };
  addList(vectorHits, "vector");
  addList(textHits, "text");

  const hits = [...fused.values()]
    .sort((a, b) => b.fused - a.fused)
    .slice(0, limit)
    .map(({ hit, fused: score, similarity, bm25, vectorRank, textRank }) => ({
      chunkId: hit.chunkId,
      leafletId: hit.leafletId,
      lang: hit.lang,
      heading: hit.heading,
      text: hit.text,
      fused: score,
      similarity,
      bm25,
      vectorRank,
      textRank,
    }));
  const confident = isConfident(hits[0], useVectors);
  return { hits, mode: useVectors ? "hybrid" : "lexical", confident };
}
