import type { LanguageCode } from "../i18n/languages.js";
import type { Logger } from "../log.js";
import { chunkLeaflet } from "./chunk.js";
import { coversLanguage, type Embedder } from "./embedder.js";
import { Glossary } from "./glossary.js";
import { hybridSearch, lexicalIndexesFor, type SearchOutcome } from "./hybrid-search.js";
import { ensureIndex, type IngestOptions, type IngestReport } from "./ingest.js";
import { KnowledgeIndex, type LexicalIndex } from "./knowledge-index.js";
import { loadLeaflets, type Leaflet, type Topic } from "./leaflet.js";
import { LexicalCoverage } from "./lexical-coverage.js";
import { isMostlyLatin, latinToCyrillicText } from "../nlu/transliterate.js";
import { loadKnowledgePolicy } from "../knowledge-check/policy.js";
import { staleFigureYears } from "./dated-figures.js";

const cyrillicLanguages: ReadonlySet<LanguageCode> = new Set(["rus", "tgk", "kaz", "kir"]);

export interface SearchRequest {
  readonly query: string;
  readonly lang: LanguageCode;
  /** The user's country and any country the message names; empty means no country filter. */
  readonly countries: readonly string[];
  readonly limit?: number;
  /** Also try the English leaflets when nothing in `lang` is good enough (default true). */
  readonly crossLanguage?: boolean;
  /** Only leaflets on these topics (an intent that knows the subject). */
  readonly topics?: readonly Topic[];
  /** Override the full-text indexes used for this language (for the eval harness's comparisons). */
  readonly lexical?: readonly LexicalIndex[];
}

export interface KnowledgeAnswer extends SearchOutcome {
  /** True when the answer comes from English leaflets because nothing in the user's language was good enough. */
  readonly crossLanguage: boolean;
}

/** Leaflets plus their search index: what the bot knows and how it finds it. */
export class KnowledgeBase {
  readonly #byKey: Map<string, Leaflet>;

  readonly #coverage: LexicalCoverage;

  private constructor(
    readonly leaflets: readonly Leaflet[],
    private readonly index: KnowledgeIndex,
    readonly embedder: Embedder,
    readonly ingest: IngestReport,
    private readonly glossary: Glossary,
    /** Figures older than this many years are quoted with a warning that they may have changed. */
    readonly staleAfterYears: number,
  ) {
    this.#byKey = new Map(leaflets.map((leaflet) => [`${leaflet.lang}/${leaflet.id}`, leaflet]));
    this.#coverage = new LexicalCoverage(
      leaflets.flatMap(chunkLeaflet).map((chunk) => ({ lang: chunk.lang, text: `${chunk.heading} ${chunk.text}` })),
    );
  }

  /** Loads and validates leaflets, then builds the index if it is missing or stale. */
  static async open(options: {
    knowledgeDir: string;
    dataDir: string;
    embedder: Embedder;
    log: Logger;
    reindex: IngestOptions["mode"];
    onProgress?: IngestOptions["onProgress"];
  }): Promise<KnowledgeBase> {
    const leaflets = await loadLeaflets(options.knowledgeDir);
    const glossary = await Glossary.load(options.knowledgeDir);
    const policy = await loadKnowledgePolicy(options.knowledgeDir);
    const index = await KnowledgeIndex.open(options.dataDir);
    const report = await ensureIndex(index, leaflets, options.embedder, {
      mode: options.reindex,
      log: options.log,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return new KnowledgeBase(leaflets, index, options.embedder, report, glossary, policy.stale_after_years);
  }

  /**
   * Searches the leaflets in the user's language; when nothing there is good enough, searches the
   * English ones (with the original words where the model is multilingual, else with the English terms
   * the glossary recognises in the question).
   */
  async search(request: SearchRequest): Promise<KnowledgeAnswer> {
    const limit = request.limit ?? 5;
    const filter = (lang: LanguageCode) => ({
      langs: [lang],
      countries: request.countries,
      topics: request.topics ?? [],
    });
    const englishTerms = request.lang === "eng" ? null : this.glossary.toEnglish(request.query, request.lang);
    // Russian and Tajik typed in Latin letters are searched in Cyrillic as well.
    const query =
      cyrillicLanguages.has(request.lang) && isMostlyLatin(request.query)
        ? latinToCyrillicText(request.query)
        : request.query;
    const primary = await hybridSearch(this.index, this.embedder, query, filter(request.lang), {
      limit,
      lexical: request.lexical ?? lexicalIndexesFor(request.lang),
      coverage: this.#coverage,
      inDomain: englishTerms !== null,
    });
    if (primary.confident || request.lang === "eng" || request.crossLanguage === false) {
      return { ...primary, crossLanguage: false };
    }

    const multilingual = coversLanguage(this.embedder, request.lang);
    // Chat in any language borrows English words ("kafala", "OEP", "patent"): keep them for the English search.
    const borrowed = (request.query.match(/\b[A-Za-z]{3,}\b/g) ?? []).join(" ");
    const lexicalQuery = [englishTerms, borrowed].filter(Boolean).join(" ");
    if (!lexicalQuery && !multilingual) return { ...primary, crossLanguage: false };
    const fallback = await hybridSearch(this.index, this.embedder, lexicalQuery || request.query, filter("eng"), {
      limit,
      lexical: lexicalIndexesFor("eng"),
      coverage: this.#coverage,
      vectorQuery: request.query,
      inDomain: englishTerms !== null,
      // A multilingual model understands the original question; USE-lite would only see word salad.
      lexicalOnly: !multilingual,
    });
    return fallback.confident ? { ...fallback, crossLanguage: true } : { ...primary, crossLanguage: false };
  }

  /** The leaflet in the first of `langs` it exists in. */
  leaflet(id: string, langs: readonly LanguageCode[]): Leaflet | undefined {
    for (const lang of langs) {
      const leaflet = this.#byKey.get(`${lang}/${id}`);
      if (leaflet) return leaflet;
    }
    return undefined;
  }

  /** Leaflets on a topic in a language, the user's countries first. */
  onTopic(topic: Topic, lang: LanguageCode, countries: readonly string[]): Leaflet[] {
    const relevance = (leaflet: Leaflet) =>
      countries.some((country) => leaflet.countries.includes(country)) ? 0 : leaflet.countries.includes("any") ? 1 : 2;
    return this.leaflets
      .filter((leaflet) => leaflet.lang === lang && leaflet.topics.includes(topic))
      .filter((leaflet) => countries.length === 0 || relevance(leaflet) < 2)
      .sort((a, b) => relevance(a) - relevance(b) || a.title.localeCompare(b.title));
  }

  /** The years of the figures in a passage that are too old to be given without a warning, oldest first. */
  outdatedYears(passage: string, heading: string, today: Date): number[] {
    return staleFigureYears(passage, heading, today, this.staleAfterYears);
  }

  close(): void {
    this.index.close();
  }
}
