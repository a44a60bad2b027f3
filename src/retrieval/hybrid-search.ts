import type { LanguageCode } from "../i18n/languages.js";
import { coversLanguage, type Embedder } from "./embedder.js";
import type { ChunkFilter, KnowledgeIndex, LexicalIndex, RawHit } from "./knowledge-index.js";
import type { LexicalCoverage } from "./lexical-coverage.js";

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
  /** BM25 score from the word index, when it found this chunk. */
  readonly bm25: number | null;
  /** 1-based rank on the vector side and the best rank on any lexical side (null: not found there). */
  readonly vectorRank: number | null;
  readonly textRank: number | null;
  /** Share of the query's (rarity-weighted) words found in the passage, 0..1. */
  readonly coverage: number;
}

export interface SearchOutcome {
  readonly hits: readonly SearchHit[];
  readonly mode: "hybrid" | "lexical";
  /** Whether the best hit is good enough to quote as an answer. */
  readonly confident: boolean;
}

export interface HybridSearchOptions {
  readonly limit: number;
  /** Which full-text indexes to query and fuse (see `lexicalIndexesFor`). */
  readonly lexical: readonly LexicalIndex[];
  readonly coverage: LexicalCoverage;
  /** Text for the vector side when it differs from the lexical query (the original words of a translated query). */
  readonly vectorQuery?: string;
  /** Whether the question names anything the leaflets are about (glossary terms); off-topic chatter does not. */
  readonly inDomain: boolean;
  /**
   * Lexical only, judging coverage by the words the leaflets know: for a question in one language
   * searched in another's leaflets, where a vector of the mixed words would mean little.
   */
  readonly lexicalOnly?: boolean;
}

/** The usual RRF constant: damps the head of each list so neither side dominates. */
const rrfK = 60;
const candidatesPerSide = 20;

/**
 * "Good enough to quote", calibrated with `npm run eval` on the question sets in test/eval (including
 * off-topic chatter in every language). With vectors, on the English sets: 173 of 175 answerable
 * questions score a USE-lite similarity of at least 0.4 and 14 of 17 off-topic ones less (0.46 would
 * leave one off-topic answer but lose six right ones); a passage below that still counts when both sides agree on it (top 2 of
 * each list) with a real word match ("What is human trafficking?"). Without vectors (languages the
 * model does not know) the passage must cover the question's rarer words; questions that name
 * migration matters (glossary terms) need less, since 3 % of off-topic questions and 73 % of real ones
 * contain such a term.
 */
export const confidence = {
  minSimilarity: 0.4,
  agreeingBm25: 4.5,
  agreeingRank: 2,
  /** Lexical only: a passage holding half of the question's (rarity-weighted) words is an answer… */
  minCoverage: 0.5,
  /** …and so is one holding a little of it when the question is about migration at all (glossary terms). */
  minCoverageInDomain: 0.1,
} as const;

function isConfident(best: SearchHit | undefined, useVectors: boolean, inDomain: boolean): boolean {
  if (!best) return false;
  if (!useVectors) {
    return best.coverage >= confidence.minCoverage || (inDomain && best.coverage >= confidence.minCoverageInDomain);
  }
  if ((best.similarity ?? 0) >= confidence.minSimilarity) return true;
  return (
    (best.bm25 ?? 0) >= confidence.agreeingBm25 &&
    (best.vectorRank ?? Infinity) <= confidence.agreeingRank &&
    (best.textRank ?? Infinity) <= confidence.agreeingRank
  );
}

/**
 * Which full-text index serves a language: English words are stemmed, every other script is matched
 * by character trigrams, which catch inflections and spelling variants. Chosen with `npm run eval`.
 */
export function lexicalIndexesFor(lang: LanguageCode): readonly LexicalIndex[] {
  return lang === "eng" ? ["words"] : ["grams"];
}

interface Entry {
  hit: RawHit;
  fused: number;
  similarity: number | null;
  bm25: number | null;
  vectorRank: number | null;
  textRank: number | null;
}

export async function hybridSearch(
  index: KnowledgeIndex,
  embedder: Embedder,
  query: string,
  filter: ChunkFilter,
  options: HybridSearchOptions,
): Promise<SearchOutcome> {
  const useVectors = !options.lexicalOnly && filter.langs.every((lang) => coversLanguage(embedder, lang));
  const vectorSide = useVectors
    ? embedder
        .embedQueries([options.vectorQuery ?? query])
        .then(([vector]) => (vector ? index.vectorSearch(vector, filter, candidatesPerSide) : []))
    : Promise.resolve([] as RawHit[]);
  const lexicalSides = options.lexical.map((name) =>
    index.textSearch(query, filter, candidatesPerSide, name).then((hits) => ({ name, hits })),
  );
  const [vectorHits, ...lexicalLists] = await Promise.all([vectorSide, ...lexicalSides]);

  const fused = new Map<string, Entry>();
  const entryFor = (hit: RawHit) => {
    const entry = fused.get(hit.chunkId) ?? {
      hit,
      fused: 0,
      similarity: null,
      bm25: null,
      vectorRank: null,
      textRank: null,
    };
    fused.set(hit.chunkId, entry);
    return entry;
  };
  (vectorHits ?? []).forEach((hit, rank) => {
    const entry = entryFor(hit);
    entry.fused += 1 / (rrfK + rank + 1);
    entry.similarity = hit.score;
    entry.vectorRank = rank + 1;
  });
  for (const list of lexicalLists as { name: LexicalIndex; hits: RawHit[] }[]) {
    list.hits.forEach((hit, rank) => {
      const entry = entryFor(hit);
      entry.fused += 1 / (rrfK + rank + 1);
      entry.textRank = Math.min(entry.textRank ?? Infinity, rank + 1);
      if (list.name === "words") entry.bm25 = hit.score;
    });
  }

  const lang = filter.langs[0] ?? "eng";
  const hits: SearchHit[] = [...fused.values()]
    .sort((a, b) => b.fused - a.fused)
    .slice(0, options.limit)
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
      coverage: options.coverage.score(query, `${hit.heading} ${hit.text}`, lang, options.lexicalOnly ?? false),
    }));
  return {
    hits,
    mode: useVectors ? "hybrid" : "lexical",
    confident: isConfident(hits[0], useVectors, options.inDomain),
  };
}
