import { euMembers, isOriginCountry, placeMentions, type PlaceMention } from "../i18n/countries.js";
import type { LanguageCode } from "../i18n/languages.js";
import { asciiDigits } from "../nlu/amounts.js";
import type { QuestionKind } from "../nlu/question-kind.js";
import { findFigures, sentencesAndItems } from "./dated-figures.js";
import type { SearchHit } from "./hybrid-search.js";
import type { Leaflet } from "./leaflet.js";

/**
 * Chooses the passage that holds the answer. Search finds the right leaflets more often than the right
 * section of them: "how many days…" should be answered from the section that gives the days, about the
 * country asked, and not from the leaflet's "ask your MRC" section. So every section of the best few
 * leaflets is weighed by what the search said of it, how much of the question it covers, whether it
 * holds the kind of fact asked and names the place asked, and whether it is only a contacts section.
 */

export interface SectionRef {
  readonly leaflet: Leaflet;
  readonly index: number;
}

export interface ScoredSection extends SectionRef {
  readonly features: SectionFeatures;
  readonly score: number;
  /** How the score was made, for the eval and the logs (no personal data). */
  readonly parts: Readonly<Record<string, number>>;
}

export interface PassageQuestion {
  readonly text: string;
  readonly lang: LanguageCode;
  readonly kinds: readonly QuestionKind[];
  /** Destinations and other places the question names (not the asker's own country). */
  readonly places: readonly string[];
  /** Cities the question names, by English name ("moscow"), with their country. */
  readonly cities: readonly { readonly code: string; readonly city: string }[];
  /** Where the asker comes from, when known or suggested by their language. */
  readonly origin: string | null;
  /** Towns of the asker's own country the question names, by English name ("torkham"). */
  readonly homeTowns?: readonly string[];
}

export interface ChoiceInputs {
  readonly question: PassageQuestion;
  /** Search hits in the asker's language and in English, best first. */
  readonly hitLists: readonly (readonly SearchHit[])[];
  readonly leafletOf: (id: string, lang: LanguageCode) => Leaflet | undefined;
  /** Share (0..1) of the question's rarer words a text holds, in a language. */
  readonly coverage: (text: string, lang: LanguageCode) => number;
  /**
   * Judge coverage on the English twins: Roman Urdu or Banglish shares no word with the Urdu or Bengali
   * script, but its glossary terms and borrowed English words meet the English.
   */
  readonly coverageInEnglish?: boolean;
  /**
   * Leaflets that name a town of the asker's own country the question names ("we came back through
   * Torkham"): weighed even when the searches missed them, since a long question's common words drown one
   * rare name.
   */
  readonly namingHomeTowns?: readonly Leaflet[];
  /** Share (0..1) of a follow-up's own words a text holds (see TurnContext.focus); absent for other questions. */
  readonly focusCoverage?: (text: string, lang: LanguageCode) => number;
}

/** How much each feature of a section counts; calibrated with `npm run eval:calibrate` on the dev questions. */
export interface ChoiceWeights {
  /** A hit at rank r (0-based) carries 1 / (1 + searchDecay × r). */
  readonly searchDecay: number;
  /** English hits weigh this much against hits in the asker's language. */
  readonly englishHits: number;
  /** A section the searches did not find carries this share of its leaflet's best hit. */
  readonly sibling: number;
  readonly coverage: number;
  /** The section holds the kind of fact asked (an amount for "how much"), or not. */
  readonly kindFound: number;
  /** How much of a "how many people" question the sentence giving a number of people covers. */
  readonly headcountCoverage: number;
  readonly kindMissing: number;
  /** The section names the place asked about, or only other destinations. */
  readonly placeNamed: number;
  readonly otherPlaceOnly: number;
  /** The section gives a figure for another city of the country asked about ("Moscow" for "Kazan"). */
  readonly otherCityOnly: number;
  /** The leaflet's closing "ask your MRC" section, when no contact was asked for. */
  readonly contactsOnly: number;
  /** The leaflet is about the asker's own country, or only about other origin countries. */
  readonly originMatch: number;
  readonly otherOrigin: number;
  /** The section gives a figure for the year the question names ("how many died in 2023"). */
  readonly yearNamed: number;
  /** A follow-up's own words held by the section, beside the whole question's coverage. */
  readonly focusCoverage: number;

  /** How many of the search's leaflets have all their sections weighed. */
  readonly leaflets: number;
}

// Fitted on the dev questions (npm run eval:calibrate, 2026-12-06): the fact is in some candidate section for
// 148 of 175; these weights pick such a section for 125 (the first weights, set by hand, for 116). Many
// settings reach 125-127, so the values are kept round and middling rather than at a grid's edge.
export const choiceWeights: ChoiceWeights = {
  searchDecay: 0.25,
  englishHits: 0.9,
  sibling: 0.6,
  coverage: 2,
  kindFound: 0.15,
  headcountCoverage: 2,
  kindMissing: -0.2,
  placeNamed: 0.4,
  otherPlaceOnly: -0.3,
  otherCityOnly: -0.6,
  contactsOnly: -0.3,
  originMatch: 0.2,
  otherOrigin: -0.3,
  yearNamed: 0.4,
  focusCoverage: 1.5,
  leaflets: 4,
};

/** What was found about a section, before weighing (so that calibration can try other weights). */
export interface SectionFeatures {
  /** Best rank of this section among the hits (0-based) and whether that hit was in English; null when not found. */
  readonly hitRank: number | null;
  readonly hitInEnglish: boolean;
  /** Best rank of any section of its leaflet, and whether in English. */
  readonly leafletRank: number;
  readonly leafletInEnglish: boolean;
  readonly coverage: number;
  /** The share of a follow-up's own words the section holds ("annual leave" after Oman's hours); 0 for others. */
  readonly focusCoverage: number;
  /**
   * For "how many people…": the best coverage of the question by one sentence of the section that gives a
   * number of people. "More than 120,000 Tajik citizens are on the list of controlled persons" answers how
   * many Tajiks are on it; "5,000 people on the banned list were stopped", in a section on the same list,
   * does not. 0 for other questions.
   */
  readonly headcountCoverage: number;
  /** 1: holds the kind of fact asked; -1: holds none of it; 0: nothing particular asked. */
  readonly kind: -1 | 0 | 1;
  /** 1: names the place asked; -1: names only other destinations; 0: neither, or no place asked. */
  /** Names the place asked (1), speaks of it as part of a leaflet about it (0.5), names only others (-1). */
  readonly place: -1 | 0 | 0.5 | 1;
  /** 1: names the city asked; -1: names only other cities of its country; 0: neither. */
  readonly city: -1 | 0 | 1;
  readonly contactsOnly: boolean;
  /** 1: the leaflet is about the asker's country; -1: only about other origin countries; 0: general or unknown. */
  readonly origin: -1 | 0 | 1;
  /** The section names a year the question names (false when the question names none). */
  readonly year: boolean;
}

/** A section's score under `weights`, and the weighted parts it is made of. */
export function weigh(
  features: SectionFeatures,
  weights: ChoiceWeights,
): { score: number; parts: Record<string, number> } {
  const signal = (rank: number, english: boolean) =>
    (english ? weights.englishHits : 1) / (1 + weights.searchDecay * rank);
  const parts: Record<string, number> = {
    search:
      features.hitRank === null
        ? weights.sibling * signal(features.leafletRank, features.leafletInEnglish)
        : signal(features.hitRank, features.hitInEnglish),
    coverage: weights.coverage * features.coverage,
  };
  if (features.focusCoverage > 0) parts.focus = weights.focusCoverage * features.focusCoverage;
  if (features.headcountCoverage > 0) parts.headcount = weights.headcountCoverage * features.headcountCoverage;
  if (features.kind !== 0) parts.kind = features.kind > 0 ? weights.kindFound : weights.kindMissing;
  if (features.place !== 0)
    parts.place = features.place > 0 ? weights.placeNamed * features.place : weights.otherPlaceOnly;
  if (features.city > 0) parts.city = weights.placeNamed;
  if (features.city < 0) parts.otherCity = weights.otherCityOnly;
  if (features.contactsOnly) parts.contacts = weights.contactsOnly;
  if (features.origin > 0) parts.origin = weights.originMatch;
  if (features.origin < 0) parts.otherOrigin = weights.otherOrigin;
  if (features.year) parts.year = weights.yearNamed;
  return { score: Object.values(parts).reduce((sum, value) => sum + value, 0), parts };
}

// Headings of the closing "how to get help" sections, in English (every leaflet ends with one).
const contactsHeading = /\b(ask|call|contact|help|where to get|get advice|mrc)\b/i;

function sectionIndexOf(leaflet: Leaflet, heading: string, text: string): number {
  const byText = leaflet.sections.findIndex((section) => section.text.includes(text.slice(0, 80)));
  return byText >= 0 ? byText : leaflet.sections.findIndex((section) => section.heading === heading);
}

const months = "January|February|March|April|May|June|July|August|September|October|November|December";
// A day or a year with its month ("31 December", "July 2022"), a numeric date, or "since 2025".
const datePattern = new RegExp(
  `\\b\\d{1,2} (${months})\\b|\\b(${months}),? (\\d{1,2}|(19|20)\\d{2})\\b|\\b\\d{1,2}\\.\\d{1,2}\\.(19|20)\\d{2}\\b|\\b(since|from|until|by|before|after) (19|20)\\d{2}\\b`,
  "i",
);
// "4 airports", "eleven indicators", "120,000 Tajiks": a number counting things, not money, time or a year.
const countPattern =
  /\b(\d{1,3}(,\d{3})*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s(?!(?:days?|hours?|weeks?|months?|years?|minutes?|per|percent|times|am|pm|a\.m|p\.m|taka|tk|rupees?|riyals?|dirhams?|dinars?|roubles?|rubles?|dollars?|euros?|won|ringgit|somoni|sum|tenge|lira)\b)\p{L}{3,}/iu;

// "120,000 Tajik citizens", "at least 3,900 people", "2,500 migrants died": a number of people.
const headcountPattern =
  /\b\d{1,3}(,\d{3})+\s(?:[A-Z][a-z]+\s)?(?:people|persons|migrants|workers|citizens|nationals|men|women|children|victims|deaths|lives|Tajiks?|Uzbeks?|Kyrgyz|Afghans?|Bangladeshis?|Pakistanis?|Iraqis?)\b|\b\d{2,3}\s(?:people|migrants|workers|persons|victims|deaths)\b/u;

// "aged 18", "18–45 years old", "a minimum age … not higher than 21", "must be at least 25".
const agePattern =
  /\baged? (of )?(\d{2}|under|over)\b|\b\d{2}(\s?[–-]\s?\d{2})? years? (old|of age)\b|\b(minimum|maximum|lowest) age\b|\bage (limit|of \d{2})\b/i;

// Fines, prison terms, entry bans and deportation: what a question about a penalty asks.
const penaltyPattern =
  /\b(fine[sd]?|penalt(y|ies)|punish\w*|jail|prison|imprison\w*|deport\w*|entry bans?|banned from|barred from)\b/i;

function kindsIn(text: string): Set<QuestionKind> {
  const kinds = new Set<QuestionKind>();
  for (const figure of findFigures(text)) {
    if (figure.kind === "money") kinds.add("amount");
    if (figure.kind === "duration") kinds.add("period");
    if (figure.kind === "phone") kinds.add("phone");
  }
  // Clock times answer "from what time to what time" ("10:00 to 15:30", "12.30 p.m."); years and minutes
  // answer "how long" ("banned for 5 years", "within 30 minutes") though they are no figure that changes.
  if (/\b\d{1,2}[:.]\d{2}\b|\b\d{1,2} ?(a\.m\.|p\.m\.|am|pm)\b/i.test(text)) kinds.add("period");
  if (/\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[ -](years?|minutes?)\b/i.test(text))
    kinds.add("period");
  if (datePattern.test(text)) kinds.add("date");
  if (/\d\s?%|\bper ?cent\b|\bpercentage\b/i.test(text)) kinds.add("share");
  if (countPattern.test(text)) kinds.add("count");
  if (headcountPattern.test(text)) kinds.add("headcount");
  if (agePattern.test(text)) kinds.add("age");
  if (penaltyPattern.test(text)) kinds.add("penalty");
  if (/https?:\/\/|www\.|\.gov|\bapp\b|\bportal\b|\bwebsite\b|\bonline\b/i.test(text)) kinds.add("website");
  if (/\b(office|embassy|consulate|centre|center|ministry|department)\b/i.test(text)) kinds.add("office");
  return kinds;
}

/** The years a question names ("in 2023", "b ٢٠١٩"), in Western digits as the English leaflets write them. */
export function yearsNamedIn(text: string): string[] {
  const western = asciiDigits(text);
  return [...new Set([...western.matchAll(/(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)/gu)].map((match) => match[1] ?? ""))];
}

/**
 * The sentences of a section's English twin that give a number of people, each with the sentence of the
 * section's own language that gives the same number (null when the translation writes it otherwise).
 */
function headcountSentences(english: string, own: string): { english: string; own: string | null }[] {
  const ownSentences = own === english ? [] : sentencesAndItems(own);
  const digitsOf = (text: string) => asciiDigits(text).replace(/\D/gu, "");
  return sentencesAndItems(english)
    .filter((sentence) => headcountPattern.test(sentence))
    .map((sentence) => {
      const number = digitsOf(headcountPattern.exec(sentence)?.[0] ?? "");
      const match = number ? ownSentences.find((candidate) => digitsOf(candidate).includes(number)) : undefined;
      return { english: sentence, own: own === english ? sentence : (match ?? null) };
    });
}

/** What a section holds never changes: its kinds of facts and the places it names are read once. */
interface SectionFacts {
  readonly found: Set<QuestionKind>;
  readonly mentions: PlaceMention[];
  /** Destinations the heading names: the place the section is about. */
  readonly headingPlaces: ReadonlySet<string>;
  /** Origin countries the heading names: whose people the section is about ("Bangladesh: what women pay"). */
  readonly headingOrigins: ReadonlySet<string>;
}
const sectionFactsCache = new WeakMap<Leaflet, Map<number, SectionFacts>>();

export function sectionFacts(leaflet: Leaflet, index: number): SectionFacts {
  const byIndex = sectionFactsCache.get(leaflet) ?? new Map<number, SectionFacts>();
  sectionFactsCache.set(leaflet, byIndex);
  const cached = byIndex.get(index);
  if (cached) return cached;
  const section = leaflet.sections[index];
  const text = section ? `${section.heading} ${section.text}` : "";
  const headingCodes = placeMentions(section?.heading ?? "").map((mention) => mention.code);
  const headingPlaces = new Set(headingCodes.filter((code) => !isOriginCountry(code)));
  const headingOrigins = new Set(headingCodes.filter(isOriginCountry));
  const facts = { found: kindsIn(text), mentions: placeMentions(text), headingPlaces, headingOrigins };
  byIndex.set(index, facts);
  return facts;
}

/** A leaflet whose first country, its subject, is the only origin it names: [IQ, EU, DE], not [AE, BD, PK]. */
function aboutOneOrigin(countries: readonly string[]): boolean {
  const origins = countries.filter(isOriginCountry);
  return origins.length === 1 && countries[0] === origins[0];
}

/** Destinations a section names from which, in a leaflet not about the place asked, it names it in passing. */
const manyPlaces = 4;

function featuresOf(
  inputs: ChoiceInputs,
  ref: SectionRef,
  englishTwin: Leaflet | undefined,
  hit: { rank: number; english: boolean } | undefined,
  leafletHit: { rank: number; english: boolean },
  yearsAsked: readonly string[],
): SectionFeatures | null {
  const { question } = inputs;
  const section = ref.leaflet.sections[ref.index];
  const english = englishTwin?.sections[ref.index] ?? section;
  if (!section || !english) return null;
  // Figures and place names are read in the English twin: it has the same numbers and names in one script.
  const { found, mentions, headingPlaces, headingOrigins } = sectionFacts(englishTwin ?? ref.leaflet, ref.index);
  // A penalty asked is the question's point: "how much is the fine" is answered by the section on fines,
  // not by any section with an amount.
  const asked: QuestionKind[] = question.kinds.includes("penalty")
    ? ["penalty"]
    : question.kinds.filter((kind) => kind !== "office");
  let place: -1 | 0 | 0.5 | 1 = 0;
  if (question.places.length > 0) {
    const named = new Set(mentions.map((mention) => mention.code));
    // The EU's rules are its members' rules: a section about Germany's or Italy's speaks of the EU.
    if ([...named].some((code) => euMembers.has(code))) named.add("EU");
    const destinations = [...named].filter((code) => !isOriginCountry(code)).length;
    // A section of a leaflet about other things that names many countries (a journey across them) names
    // the one asked only in passing: it counts half. A leaflet about these places listing them (where
    // Pakistan's welfare attachés serve) is about each of them.
    const inPassing =
      destinations >= manyPlaces && !question.places.some((code) => ref.leaflet.countries.includes(code));
    // A heading that names another destination says whose rules the section gives: "How many days you have
    // to register in Russia" names Kazakhstan only as where some of Russia's migrants come from.
    const headingElsewhere =
      headingPlaces.size > 0 &&
      !question.places.some(
        (code) =>
          headingPlaces.has(code) ||
          (euMembers.has(code) && [...headingPlaces].some((named) => euMembers.has(named) || named === "EU")),
      );
    if (headingElsewhere) place = -1;
    else if (question.places.some((code) => named.has(code))) place = inPassing ? 0.5 : 1;
    // The EU's common rules hold in Germany too: a section on them is half an answer about a member state.
    else if (named.has("EU") && question.places.some((code) => euMembers.has(code))) place = 0.5;
    else if ([...named].some((code) => !isOriginCountry(code))) place = -1;
    // A section that names no other destination speaks of its leaflet's place ("Staying after your studies").
    // It counts half: a section that says the place is the likelier answer.
    else if (question.places.some((code) => ref.leaflet.countries.includes(code))) place = 0.5;
  }
  let city: -1 | 0 | 1 = 0;
  const sectionCities = mentions.filter((mention) => mention.city);
  const askedHere = question.cities.filter((asked) => sectionCities.some((mention) => mention.code === asked.code));
  if (askedHere.some((asked) => sectionCities.some((mention) => mention.city === asked.city))) city = 1;
  else if (askedHere.length > 0) city = -1;
  // A town of the asker's own country is no "other city" to a section that names another one: only a bonus.
  else if ((question.homeTowns ?? []).some((town) => sectionCities.some((mention) => mention.city === town))) city = 1;
  const lastSection = ref.index === ref.leaflet.sections.length - 1;
  const leafletOrigins = ref.leaflet.countries.filter(isOriginCountry);
  const leafletOrigin: -1 | 0 | 1 =
    !question.origin || leafletOrigins.length === 0
      ? 0
      : leafletOrigins.includes(question.origin)
        ? 1
        : // A leaflet about the destination asked names its usual origins as its readers, not as its subject;
          // one that leads with a single origin ("Legal routes from Iraq to Europe") is about that origin's
          // people, and fits only a question that names that country.
          ref.leaflet.countries.includes("any") ||
            question.places.some((code) =>
              aboutOneOrigin(ref.leaflet.countries)
                ? code === ref.leaflet.countries[0]
                : ref.leaflet.countries.includes(code),
            )
          ? 0
          : -1;
  // A leaflet for several origins gives each its own section: "Bangladesh: what women pay to go to Saudi
  // Arabia" is not a Pakistani's answer, though the leaflet is also for Pakistanis. (It may still hold a rule
  // for everyone going there, so it only loses the asker's-own bonus.)
  const origin: -1 | 0 | 1 =
    leafletOrigin > 0 &&
    question.origin !== null &&
    headingOrigins.size > 0 &&
    !headingOrigins.has(question.origin) &&
    !question.places.some((code) => headingOrigins.has(code))
      ? 0
      : leafletOrigin;
  // Numbers of people are read in the English twin (its sentences are the ones the pattern knows); the
  // question's words are weighed against the sentence in the language coverage is judged in.
  const headcountCoverage = question.kinds.includes("headcount")
    ? Math.max(
        0,
        ...headcountSentences(english.text, section.text).map(({ english: sentence, own }) =>
          own === null || inputs.coverageInEnglish
            ? inputs.coverage(sentence, "eng")
            : inputs.coverage(own, ref.leaflet.lang),
        ),
      )
    : 0;
  return {
    origin,
    headcountCoverage,
    hitRank: hit?.rank ?? null,
    hitInEnglish: hit?.english ?? false,
    leafletRank: leafletHit.rank,
    leafletInEnglish: leafletHit.english,
    coverage:
      inputs.coverageInEnglish && englishTwin
        ? inputs.coverage(`${english.heading} ${english.text}`, "eng")
        : inputs.coverage(`${section.heading} ${section.text}`, ref.leaflet.lang),
    focusCoverage: !inputs.focusCoverage
      ? 0
      : inputs.coverageInEnglish && englishTwin
        ? inputs.focusCoverage(`${english.heading} ${english.text}`, "eng")
        : inputs.focusCoverage(`${section.heading} ${section.text}`, ref.leaflet.lang),
    kind: asked.length === 0 ? 0 : asked.some((kind) => found.has(kind)) ? 1 : -1,
    place,
    city,
    contactsOnly: lastSection && contactsHeading.test(english.heading) && !question.kinds.includes("phone"),
    year: yearsAsked.some((year) => `${english.heading} ${english.text}`.includes(year)),
  };
}

/**
 * Every section of the best few leaflets the searches found, scored, best first. A section found by a
 * search carries its rank; its siblings carry a share of their leaflet's best.
 */
export function rankSections(inputs: ChoiceInputs, weights: ChoiceWeights = choiceWeights): ScoredSection[] {
  const sectionHits = new Map<string, { rank: number; english: boolean }>();
  const leafletHits = new Map<string, { leaflet: Leaflet; rank: number; english: boolean; signal: number }>();
  inputs.hitLists.forEach((hits, listIndex) => {
    // The asker's own language comes first; English hits count a little less.
    const english = listIndex > 0;
    hits.forEach((hit, rank) => {
      const leaflet = inputs.leafletOf(hit.leafletId, hit.lang);
      if (!leaflet) return;
      const index = sectionIndexOf(leaflet, hit.heading, hit.text);
      const signal = (english ? weights.englishHits : 1) / (1 + weights.searchDecay * rank);
      const key = `${leaflet.id}#${index}`;
      const known = sectionHits.get(key);
      if (!known || rank < known.rank) sectionHits.set(key, { rank, english });
      const best = leafletHits.get(leaflet.id);
      if (!best || signal > best.signal) leafletHits.set(leaflet.id, { leaflet, rank, english, signal });
    });
  });
  const bySignal = [...leafletHits.values()].sort((a, b) => b.signal - a.signal);
  // A leaflet about the place asked is weighed even when the search ranked it low: "dismissed in Muscat"
  // finds general leaflets first, and Oman's own leaflet has the days.
  const aboutPlace = bySignal
    .slice(weights.leaflets)
    .filter((hit) => inputs.question.places.some((code) => hit.leaflet.countries.includes(code)));
  const weighed = [...bySignal.slice(0, weights.leaflets), ...aboutPlace];
  // Found low or not at all: a long question's common words drown the one rare name.
  const namingTown = (inputs.namingHomeTowns ?? [])
    .filter((leaflet) => !weighed.some((hit) => hit.leaflet.id === leaflet.id))
    .map(
      (leaflet) =>
        leafletHits.get(leaflet.id) ?? { leaflet, rank: weights.leaflets, english: leaflet.lang === "eng", signal: 0 },
    );
  const chosen = [...weighed, ...namingTown];
  const yearsAsked = yearsNamedIn(inputs.question.text);
  const scored: ScoredSection[] = [];
  for (const best of chosen) {
    const display = inputs.leafletOf(best.leaflet.id, inputs.question.lang) ?? best.leaflet;
    const englishTwin = inputs.leafletOf(best.leaflet.id, "eng");
    // A translation whose sections do not line up with the English is read on its own.
    const aligned = englishTwin && englishTwin.sections.length === display.sections.length ? englishTwin : undefined;
    display.sections.forEach((_, index) => {
      const features = featuresOf(
        inputs,
        { leaflet: display, index },
        aligned,
        sectionHits.get(`${best.leaflet.id}#${index}`),
        best,
        yearsAsked,
      );
      if (features) scored.push({ leaflet: display, index, features, ...weigh(features, weights) });
    });
  }
  return scored.sort((a, b) => b.score - a.score);
}

/** Scores this close to the best are a toss-up between two sections of one leaflet (weights above, 0–3 or so). */
const closeScore = 0.3;

/**
 * A second section of the chosen one's leaflet to quote with it: the next best of that leaflet, when the two
 * score nearly alike, or when only it holds the kind of fact asked (the best names the place, the next one
 * gives the amount). Null when the best section stands alone.
 */
export function companionSection(ranked: readonly ScoredSection[]): ScoredSection | null {
  const [best, ...rest] = ranked;
  if (!best) return null;
  const next = rest.find((other) => other.leaflet.id === best.leaflet.id && other.index !== best.index);
  if (!next) return null;
  const close = best.score - next.score <= closeScore;
  const holdsKindAsked = best.features.kind !== 1 && next.features.kind === 1;
  return close || holdsKindAsked ? next : null;
}
