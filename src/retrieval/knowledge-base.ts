import { answerThreshold, weakCoverage } from "./abstention-thresholds.js";
import { isOriginCountry, placeMentions } from "../i18n/countries.js";
import type { LanguageCode } from "../i18n/languages.js";
import type { Logger } from "../log.js";
import { chunkLeaflet } from "./chunk.js";
import { coversLanguage, type Embedder } from "./embedder.js";
import { Glossary } from "./glossary.js";
import { hybridSearch, lexicalIndexesFor, type SearchOutcome } from "./hybrid-search.js";
import { ensureIndex, type IngestOptions, type IngestReport } from "./ingest.js";
import { buildIndexInChildProcess } from "./index-build-process.js";
import type { EmbedderSettings } from "./select-embedder.js";
import { KnowledgeIndex, type LexicalIndex } from "./knowledge-index.js";
import { loadLeaflets, type Leaflet, type Topic } from "./leaflet.js";
import { coverageStem, LexicalCoverage } from "./lexical-coverage.js";
import { SpecificSubjects } from "./specific-subjects.js";
import { PlaceCoverage } from "./place-coverage.js";
import { isMostlyCyrillic, isMostlyLatin, latinToCyrillicText, uzbekCyrillicToLatin } from "../nlu/transliterate.js";
import type { QuestionKind } from "../nlu/question-kind.js";
import { companionSection, rankSections, sectionFacts, type ScoredSection } from "./passage-choice.js";
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

/**
 * A question in the script its language's leaflets are written in: Russian and Tajik typed in Latin
 * letters are read in Cyrillic, Uzbek typed in Cyrillic in Latin (the Uzbek leaflets' alphabet).
 */
function inLeafletScript(query: string, lang: LanguageCode): string {
  if (cyrillicLanguages.has(lang) && isMostlyLatin(query)) return latinToCyrillicText(query);
  if (lang === "uzb" && isMostlyCyrillic(query)) return uzbekCyrillicToLatin(query);
  return query;
}

/** A non-English question in English words: its glossary terms and the English words it borrows. */
function englishLexicalQuery(question: string, englishTerms: string | null): string {
  // Chat in any language borrows English words ("kafala", "OEP", "patent"): keep them for the English search.
  const borrowed = (question.match(/\b[A-Za-z]{3,}\b/g) ?? []).join(" ");
  // A town of a sending country named in any script ("تورخم", "پېښور") is a rare word the English leaflets
  // spell one way: the border crossing, the protector's office. (Dubai or Riyadh, in half the leaflets, says
  // nothing of which section answers.) Only beside migration words: "weather in Kabul tomorrow" is chatter.
  const cities = englishTerms
    ? [
        ...new Set(
          placeMentions(question).flatMap((mention) =>
            mention.city && isOriginCountry(mention.code) ? [mention.city] : [],
          ),
        ),
      ]
    : [];
  return [englishTerms, borrowed, ...cities].filter(Boolean).join(" ");
}

/** Kinds of fact whose answer is a figure: its fee, how long it takes (see specific-subjects.ts). */
const figureKinds: ReadonlySet<QuestionKind> = new Set(["amount", "period"]);

/** Languages written in another script that people often type in Latin letters (Roman Urdu, Banglish, Finglish). */
const romanisedScripts: ReadonlySet<LanguageCode> = new Set(["urd", "ben", "fas", "pus", "ara"]);

/** The passage chosen to answer a question, and how sure the searches were. */
export interface ChosenPassage {
  readonly leaflet: Leaflet;
  readonly sectionIndex: number;
  readonly heading: string;
  readonly text: string;
  /** Whether a search was confident enough to quote (the calibrated "good enough"). */
  readonly confident: boolean;
  /** Whether one of the searches alone was sure of its best passage (before the chosen section's coverage). */
  readonly searchConfident: boolean;
  /** The share of the question's rarer words the chosen section holds, and the language's threshold for it. */
  readonly coverage: number;
  readonly threshold: number;
  /** The passage is in English although the question was not. */
  readonly crossLanguage: boolean;
  /** Another section of the same leaflet to quote with it (see companionSection), or null. */
  readonly companion: { readonly heading: string; readonly text: string } | null;
  /** Other leaflets the searches found, best first, in the asker's language where they exist. */
  readonly related: readonly Leaflet[];
  readonly ranked: readonly ScoredSection[];
}

export interface AnswerRequest extends SearchRequest {
  readonly kinds: readonly QuestionKind[];
  /** Destinations and other places the question names. */
  readonly places: readonly string[];
  /** Cities the question names (English name and country). */
  readonly cities: readonly { readonly code: string; readonly city: string }[];
  /** Where the asker comes from (said, or suggested by their language). */
  readonly origin: string | null;
  /** Towns of the asker's own country the question names ("torkham"), by English name. */
  readonly homeTowns?: readonly string[];
  /** A follow-up's own words, when the query is the previous question with them (see TurnContext.focus). */
  readonly focus?: string;
}

export interface KnowledgeAnswer extends SearchOutcome {
  /** True when the answer comes from English leaflets because nothing in the user's language was good enough. */
  readonly crossLanguage: boolean;
}

function textOf(scored: ScoredSection): { heading: string; text: string } | null {
  const section = scored.leaflet.sections[scored.index];
  return section ? { heading: section.heading, text: section.text } : null;
}

/** Leaflets plus their search index: what the bot knows and how it finds it. */
export class KnowledgeBase {
  readonly #byKey: Map<string, Leaflet>;

  readonly #coverage: LexicalCoverage;

  /** Which countries the leaflets are about, and how thinly. */
  readonly places: PlaceCoverage;

  private constructor(
    readonly leaflets: readonly Leaflet[],
    private readonly index: KnowledgeIndex,
    readonly embedder: Embedder,
    readonly ingest: IngestReport,
    readonly glossary: Glossary,
    /** Figures older than this many years are quoted with a warning that they may have changed. */
    readonly staleAfterYears: number,
    readonly specificSubjects: SpecificSubjects,
  ) {
    this.#byKey = new Map(leaflets.map((leaflet) => [`${leaflet.lang}/${leaflet.id}`, leaflet]));
    this.#coverage = new LexicalCoverage(
      leaflets.flatMap(chunkLeaflet).map((chunk) => ({ lang: chunk.lang, text: `${chunk.heading} ${chunk.text}` })),
    );
    this.places = new PlaceCoverage(leaflets);
    this.#prepareEnglishSections();
  }

  /**
   * Reads every English section's words, figures and places once, at start: every answer weighs the
   * sections of several English leaflets (the originals of every translation), and reading one for the
   * first time costs more than the rest of the choice.
   */
  #prepareEnglishSections(): void {
    for (const leaflet of this.leaflets) {
      if (leaflet.lang !== "eng") continue;
      leaflet.sections.forEach((section, index) => {
        sectionFacts(leaflet, index);
        this.#coverage.prepare(`${section.heading} ${section.text}`, "eng");
      });
    }
  }

  /** Loads and validates leaflets, then builds the index if it is missing or stale. */
  static async open(options: {
    knowledgeDir: string;
    dataDir: string;
    embedder: Embedder;
    log: Logger;
    reindex: IngestOptions["mode"];
    onProgress?: IngestOptions["onProgress"];
    /**
     * Build a missing or stale index in a child process with this embedder setting (the same model as
     * `embedder`), so that the build's memory is not kept by the bot (see index-build-process.ts).
     */
    buildInChildProcess?: { readonly embedder: EmbedderSettings; readonly logLevel: string };
  }): Promise<KnowledgeBase> {
    const leaflets = await loadLeaflets(options.knowledgeDir);
    const glossary = await Glossary.load(options.knowledgeDir);
    const specificSubjects = await SpecificSubjects.load(options.knowledgeDir);
    const policy = await loadKnowledgePolicy(options.knowledgeDir);
    let index = await KnowledgeIndex.open(options.dataDir);
    let childReport: IngestReport | null = null;
    const diff = options.buildInChildProcess ? await index.diff(leaflets, options.embedder) : null;
    const needsBuild = diff !== null && (options.reindex === "always" || diff.kind !== "fresh");
    if (options.buildInChildProcess && needsBuild && !(options.reindex === "never" && diff.kind !== "missing")) {
      // The child writes the tables; this process reads them afresh once it is done.
      index.close();
      childReport = await buildIndexInChildProcess(
        {
          knowledgeDir: options.knowledgeDir,
          dataDir: options.dataDir,
          reindex: options.reindex,
          logLevel: options.buildInChildProcess.logLevel,
          embedder: options.buildInChildProcess.embedder,
        },
        options.log,
      ).catch((error: unknown) => {
        // A bot that cannot fork still answers: it builds the index itself.
        options.log.warn({ err: error }, "index build in a child process failed; building it in this process");
        return null;
      });
      index = await KnowledgeIndex.open(options.dataDir);
    }
    const report =
      childReport ??
      (await ensureIndex(index, leaflets, options.embedder, {
        mode: options.reindex,
        log: options.log,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }));
    return new KnowledgeBase(
      leaflets,
      index,
      options.embedder,
      report,
      glossary,
      policy.stale_after_years,
      specificSubjects,
    );
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
    // Russian and Tajik typed in Latin letters are searched in Cyrillic, Uzbek typed in Cyrillic in Latin.
    const query = inLeafletScript(request.query, request.lang);
    const primary = await hybridSearch(this.index, this.embedder, query, filter(request.lang), {
      limit,
      lexical: request.lexical ?? lexicalIndexesFor(request.lang),
      coverage: this.#coverage,
      inDomain: englishTerms !== null,
    });
    if (primary.confident || request.lang === "eng" || request.crossLanguage === false) {
      return { ...primary, crossLanguage: false };
    }

    const fallback = await this.#searchEnglish(request.query, request.lang, request, limit);
    return fallback?.confident ? { ...fallback, crossLanguage: true } : { ...primary, crossLanguage: false };
  }

  /**
   * The passage that answers a question: the asker's language and English are searched together, and
   * every section of the leaflets found is weighed (see passage-choice.ts). Null when nothing was found.
   */
  async answer(request: AnswerRequest): Promise<ChosenPassage | null> {
    // Read once: the English search and the coverage of English sections both use it.
    const englishTerms = request.lang === "eng" ? null : this.glossary.toEnglish(request.query, request.lang);
    const englishQuery = request.lang === "eng" ? "" : englishLexicalQuery(request.query, englishTerms);
    // The two searches are independent; run together, the embedder can batch their texts.
    const [own, english] = await Promise.all([
      this.search({ ...request, limit: 8, crossLanguage: false }),
      request.lang === "eng"
        ? null
        : this.#searchEnglish(request.query, request.lang, request, 8, { englishTerms, lexicalQuery: englishQuery }),
    ]);
    // Roman Urdu or Banglish shares no letters with the Urdu or Bengali leaflets: their search finds what
    // shares a borrowed word or two; the English search, with the glossary's terms, leads.
    const romanised = romanisedScripts.has(request.lang) && isMostlyLatin(request.query);
    const hitLists = romanised && english ? [english.hits, own.hits] : [own.hits, ...(english ? [english.hits] : [])];
    // And weighed against their sections in that script.
    const ownScriptQuery = inLeafletScript(request.query, request.lang);
    // A question's words that the glossary knows count as covered by a section that says the same in
    // its own words: a Tajik asks for "медосмотр", the Tajik leaflet says "муоинаи тиббӣ".
    const termWords = this.glossary.wordsNaming(ownScriptQuery, request.lang);
    const coveredByTerms = (text: string): ReadonlySet<string> => {
      const covered = new Set<string>();
      if (termWords.size === 0) return covered;
      const named = this.glossary.termsIn(text, request.lang);
      for (const [term, found] of termWords) {
        if (named.has(term)) for (const word of found) covered.add(coverageStem(word));
      }
      return covered;
    };
    const homeTowns = this.#rareTowns(request.homeTowns ?? []);
    const ranked = rankSections({
      question: {
        text: request.query,
        lang: request.lang,
        kinds: request.kinds,
        places: request.places,
        cities: request.cities,
        origin: request.origin,
        homeTowns,
      },
      hitLists,
      namingHomeTowns: this.#leafletsNamingTowns(homeTowns, request.lang),
      leafletOf: (id, lang) => this.leaflet(id, [lang]),
      coverageInEnglish: romanised,
      ...(request.focus ? { focusCoverage: this.#focusCoverage(request.focus, request.lang, romanised) } : {}),
      coverage: (text, lang) =>
        lang === "eng" && request.lang !== "eng"
          ? this.#coverage.score(englishQuery || request.query, text, lang, true)
          : lang === request.lang
            ? this.#coverage.score(ownScriptQuery, text, lang, false, coveredByTerms(text))
            : this.#coverage.score(ownScriptQuery, text, lang, true),
    });
    const best = ranked[0];
    const section = best?.leaflet.sections[best.index];
    if (!best || !section) return null;
    const threshold = answerThreshold(request.lang);
    const companion = companionSection(ranked);
    const related: Leaflet[] = [];
    for (const other of ranked) {
      if (other.leaflet.id === best.leaflet.id || related.some((leaflet) => leaflet.id === other.leaflet.id)) continue;
      related.push(other.leaflet);
    }
    return {
      leaflet: best.leaflet,
      sectionIndex: best.index,
      heading: section.heading,
      text: section.text,
      // A figure for another city than the one asked about ("Moscow" for a question about Kazan) is no answer.
      searchConfident: own.confident || (english?.confident ?? false),
      coverage: best.features.coverage,
      threshold,
      confident:
        // A search sure of its leaflet is not enough for a section that holds almost none of the question.
        best.features.coverage >= weakCoverage(request.lang) &&
        (own.confident ||
          (english?.confident ?? false) ||
          // Only for a question that names a place, asks a kind of fact or names a migration subject:
          // chatter shares words with sections too.
          (best.features.coverage >= threshold &&
            (request.places.length > 0 ||
              request.kinds.length > 0 ||
              this.glossary.subjects(request.query, request.lang).size > 0))) &&
        best.parts.otherCity === undefined &&
        // A country only a leaflet or two speak of is answered only from a passage about it.
        !(this.places.allThin(request.places) && best.features.place <= 0) &&
        best.features.place >= 0 &&
        this.#namesSubjectsAsked(request, [best, ...(companion ? [companion] : [])]),
      crossLanguage: best.leaflet.lang !== request.lang,
      companion: companion ? textOf(companion) : null,
      related,
      ranked,
    };
  }

  /** How much of a follow-up's own words a section holds: in its script, or in English for the English sections. */
  #focusCoverage(
    focus: string,
    lang: LanguageCode,
    romanised: boolean,
  ): (text: string, textLang: LanguageCode) => number {
    const ownScript = inLeafletScript(focus, lang);
    const english = lang === "eng" ? "" : englishLexicalQuery(focus, this.glossary.toEnglish(focus, lang));
    return (text, textLang) =>
      textLang === "eng" && lang !== "eng"
        ? english
          ? this.#coverage.score(english, text, textLang, true)
          : 0
        : this.#coverage.score(romanised ? english || focus : ownScript, text, textLang, textLang !== lang);
  }

  #townIndex: Map<string, Set<string>> | null = null;

  /** Which leaflets name each town (built on the first question that names a home town: the English sections, once). */
  #leafletsByTown(): Map<string, Set<string>> {
    this.#townIndex ??= townIndex(this.leaflets.filter((leaflet) => leaflet.lang === "eng"));
    return this.#townIndex;
  }

  /**
   * The towns few leaflets name: "Torkham" says what the question is about; "Kabul", named wherever an
   * embassy or a ministry is, does not.
   */
  #rareTowns(towns: readonly string[]): string[] {
    if (towns.length === 0) return [];
    const byTown = this.#leafletsByTown();
    return towns.filter((town) => (byTown.get(town)?.size ?? 0) <= maxLeafletsNamingRareTown);
  }

  /** Leaflets (in the asker's language where they exist) whose English names one of the towns. */
  #leafletsNamingTowns(towns: readonly string[], lang: LanguageCode): Leaflet[] {
    if (towns.length === 0) return [];
    const ids = new Set(towns.flatMap((town) => [...(this.#leafletsByTown().get(town) ?? [])]));
    return [...ids].flatMap((id) => {
      const leaflet = this.leaflet(id, [lang, "eng"]);
      return leaflet ? [leaflet] : [];
    });
  }

  /**
   * Whether the passage to be quoted (the chosen section and its companion, each with its English original)
   * names every specific subject the question asks about (a pension, citizenship: see specific-subjects.ts).
   */
  #namesSubjectsAsked(request: AnswerRequest, quoted: readonly ScoredSection[]): boolean {
    const asksFigure = request.kinds.some((kind) => figureKinds.has(kind));
    const asked = this.specificSubjects.askedIn(request.query, request.lang, asksFigure);
    if (asked.length === 0) return true;
    const passages = quoted.flatMap(({ leaflet, index }) => {
      const own = leaflet.sections[index];
      const english = leaflet.lang === "eng" ? undefined : this.leaflet(leaflet.id, ["eng"])?.sections[index];
      return [
        ...(own ? [{ heading: own.heading, text: own.text, lang: leaflet.lang }] : []),
        ...(english ? [{ heading: english.heading, text: english.text, lang: "eng" as LanguageCode }] : []),
      ];
    });
    return asked.every((id) => this.specificSubjects.namedIn(id, passages));
  }

  /** The English leaflets searched with a non-English question (glossary terms and borrowed English words). */
  async #searchEnglish(
    question: string,
    lang: LanguageCode,
    request: SearchRequest,
    limit: number,
    read?: { readonly englishTerms: string | null; readonly lexicalQuery: string },
  ): Promise<SearchOutcome | null> {
    const englishTerms = read ? read.englishTerms : this.glossary.toEnglish(question, lang);
    const multilingual = coversLanguage(this.embedder, lang);
    const lexicalQuery = read ? read.lexicalQuery : englishLexicalQuery(question, englishTerms);
    if (!lexicalQuery && !multilingual) return null;
    return hybridSearch(
      this.index,
      this.embedder,
      lexicalQuery || question,
      { langs: ["eng"], countries: request.countries, topics: request.topics ?? [] },
      {
        limit,
        lexical: lexicalIndexesFor("eng"),
        coverage: this.#coverage,
        vectorQuery: question,
        inDomain: englishTerms !== null,
        // A multilingual model understands the original question; USE-lite would only see word salad.
        lexicalOnly: !multilingual,
      },
    );
  }

  /** The English migration terms the glossary recognises in a text (for knowledge-gap records: no free text). */
  migrationTerms(text: string, lang: LanguageCode): string[] {
    const terms = lang === "eng" ? null : this.glossary.toEnglish(text, lang);
    return terms ? [...new Set(terms.split(" "))].slice(0, 12) : [];
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

/** A town named by more leaflets than this is where offices are, not a subject (see #rareTowns). */
const maxLeafletsNamingRareTown = 3;

/** Town (English name) → ids of the leaflets whose sections name it. */
function townIndex(englishLeaflets: readonly Leaflet[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const leaflet of englishLeaflets) {
    leaflet.sections.forEach((_, sectionIndex) => {
      for (const mention of sectionFacts(leaflet, sectionIndex).mentions) {
        if (!mention.city) continue;
        const ids = index.get(mention.city) ?? new Set<string>();
        ids.add(leaflet.id);
        index.set(mention.city, ids);
      }
    });
  }
  return index;
}
