import type { LanguageCode } from "../i18n/languages.js";

/**
 * Turns text into unit-length vectors. Queries and passages are separate calls because some models
 * (e5) want a different prefix for each.
 */
export interface Embedder {
  /** Stored with the index: a different id or dimension means the index must be rebuilt. */
  readonly id: string;
  readonly dimension: number;
  /** Languages whose vectors mean something; queries in other languages use lexical search only. */
  readonly languages: readonly LanguageCode[] | "all";
  embedQueries(texts: readonly string[]): Promise<number[][]>;
  embedPassages(texts: readonly string[]): Promise<number[][]>;
  /** Hands back memory a burst of work left behind (after the index is built), where the model can. */
  releaseMemory?(): Promise<void>;
  close(): Promise<void>;
}

export function coversLanguage(embedder: Embedder, lang: LanguageCode): boolean {
  return embedder.languages === "all" || embedder.languages.includes(lang);
}

export function normalise(vector: readonly number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum) || 1;
  return vector.map((value) => value / length);
}
