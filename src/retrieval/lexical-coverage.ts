import type { LanguageCode } from "../i18n/languages.js";
import { lightStem, words } from "../nlu/normalise-text.js";

/** Texts whose stems are kept: every section of every leaflet in every language, and recent questions. */
const maxCachedTexts = 50_000;

/** Word prefixes stand in for stems in every script: "patenta" and "patent" share "paten". */
const stemLength = 5;

/** The stem coverage compares for a word already folded and stemmed (lightStem). */
export function coverageStem(stemmedWord: string): string {
  return Array.from(stemmedWord).slice(0, stemLength).join("");
}

function stems(text: string, lang: LanguageCode): string[] {
  return words(text)
    .filter((word) => Array.from(word).length >= 2)
    .map((word) => coverageStem(lightStem(word, lang)));
}

/**
 * How much of a query a passage covers: the share of the query's words (weighted by how rare they are
 * in that language's leaflets) that the passage contains. Unlike a BM25 score it means the same for a
 * short and a long question, in any language, so one threshold can decide "good enough" wherever
 * there are no embeddings for the language.
 */
export class LexicalCoverage {
  readonly #documentFrequency = new Map<LanguageCode, Map<string, number>>();
  readonly #documents = new Map<LanguageCode, number>();
  // One answer scores the same sections and the same question many times; splitting text into stems is
  // most of an English answer's own time, so the stems of texts seen are kept (leaflet sections are a
  // bounded set; the cache is emptied if chat text ever fills it).
  readonly #stemCache = new Map<LanguageCode, Map<string, readonly string[]>>();
  #cachedTexts = 0;

  constructor(passages: readonly { readonly lang: LanguageCode; readonly text: string }[]) {
    for (const passage of passages) {
      const frequencies = this.#documentFrequency.get(passage.lang) ?? new Map<string, number>();
      // English passages are what every English search scores its hits against: their stems are kept now.
      const distinct =
        passage.lang === "eng" ? this.#stems(passage.text, "eng") : new Set(stems(passage.text, passage.lang));
      for (const stem of distinct) frequencies.set(stem, (frequencies.get(stem) ?? 0) + 1);
      this.#documentFrequency.set(passage.lang, frequencies);
      this.#documents.set(passage.lang, (this.#documents.get(passage.lang) ?? 0) + 1);
    }
  }

  /** The distinct stems of a text, computed once per text. */
  #stems(text: string, lang: LanguageCode): readonly string[] {
    if (this.#cachedTexts >= maxCachedTexts) {
      this.#stemCache.clear();
      this.#cachedTexts = 0;
    }
    let byText = this.#stemCache.get(lang);
    if (!byText) {
      byText = new Map();
      this.#stemCache.set(lang, byText);
    }
    const cached = byText.get(text);
    if (cached) return cached;
    const distinct = [...new Set(stems(text, lang))];
    byText.set(text, distinct);
    this.#cachedTexts += 1;
    return distinct;
  }

  /** Splits a passage ahead of the first question that weighs it. */
  prepare(text: string, lang: LanguageCode): void {
    this.#stems(text, lang);
  }

  #idf(lang: LanguageCode, stem: string): number {
    const documents = this.#documents.get(lang) ?? 0;
    const frequency = this.#documentFrequency.get(lang)?.get(stem) ?? 0;
    return Math.log((documents + 1) / (frequency + 1)) + 1;
  }

  /**
   * 0 (nothing of the query in the passage) to 1 (every query word in it). With `knownWordsOnly`, words
   * the language's leaflets never use are left out: a Roman-Urdu question searched in English leaflets
   * is judged on its English words ("kafeel", "job"), not on "kya" and "hai". Stems in `alsoCovered` count
   * as found (a question's word whose meaning the passage gives in other words).
   */
  score(
    query: string,
    passage: string,
    lang: LanguageCode,
    knownWordsOnly = false,
    alsoCovered: ReadonlySet<string> = new Set(),
  ): number {
    const frequencies = this.#documentFrequency.get(lang);
    const queryStems = this.#stems(query, lang).filter((stem) => !knownWordsOnly || (frequencies?.get(stem) ?? 0) > 0);
    if (queryStems.length === 0) return 0;
    const passageStems = new Set(this.#stems(passage, lang));
    let total = 0;
    let found = 0;
    for (const stem of queryStems) {
      const weight = this.#idf(lang, stem);
      total += weight;
      if (passageStems.has(stem) || alsoCovered.has(stem)) found += weight;
    }
    return found / total;
  }
}
