import { z } from "zod";
import { readKnowledgeYaml } from "../data/read-knowledge-yaml.js";
import { isoDate, sourceSchema } from "../data/source.js";
import { languageCodes, type LanguageCode } from "../i18n/languages.js";
import type { RuleQuestion } from "../nlu/rule-questions.js";

const countryCode = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166 country code such as RU");

/** A text in English and, where translated, other languages (a missing language is answered in English). */
const localText = z
  .partialRecord(z.enum(languageCodes), z.string().min(3))
  .refine((texts) => texts.eng !== undefined, { error: "needs the English text (eng)" });
export type LocalTexts = z.output<typeof localText>;

const rowSchema = z
  .object({
    /** A row for one country of the fact's places ("Qatar: 10:00 to 15:30 …"). */
    place: countryCode.optional(),
    /** A row for one city or region, by its English name in place-names.ts ("moscow"). */
    city: z.string().min(2).optional(),
    /** A row for the citizens of these countries ("Citizens of Tajikistan: 15 days"). */
    origin: z.array(countryCode).min(1).optional(),
    /** A row only for domestic workers, who fall under their own law in the Gulf. */
    group: z.enum(["domestic-workers"]).optional(),
    text: localText,
    /** Where a row's figure differs from the fact's: its year, its leaflet, its sources. */
    as_of: z.number().int().min(1950).max(2100).optional(),
    leaflet: z.string().min(1).optional(),
    sources: z.array(sourceSchema).min(1).optional(),
  })
  .strict();
export type FactRow = z.output<typeof rowSchema>;

const factSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.enum([
      "patent-price",
      "registration-deadline",
      "job-notification",
      "midday-ban",
      "minimum-wage",
      "working-hours",
    ]),
    places: z.array(countryCode).min(1),
    /** The leaflet that explains the fact at length; cited with the answer. */
    leaflet: z.string().min(1),
    /** The year the figures are known from; every answer names it, as they may have changed. */
    as_of: z.number().int().min(1950).max(2100),
    sources: z.array(sourceSchema).min(1, "every fact needs a source"),
    intro: localText,
    rows: z.array(rowSchema).default([]),
    /** Said instead of the figures when the question names a city the table has no row for. */
    missing_row: localText.optional(),
    /** Said when the question names a country none of the table's facts covers; `{place}` is its name. */
    missing_place: localText.optional(),
  })
  .strict();
export type RuleFact = z.output<typeof factSchema>;

const factsSchema = z
  .object({ reviewed: isoDate, translations_reviewed: z.boolean(), facts: z.array(factSchema) })
  .strict()
  .superRefine((file, issue) => {
    const ids = new Set<string>();
    for (const [index, fact] of file.facts.entries()) {
      if (ids.has(fact.id)) issue.addIssue({ code: "custom", path: ["facts", index, "id"], message: "is used twice" });
      ids.add(fact.id);
    }
  });

/**
 * What the asker's question is about: the places and cities it names (no place: any the fact covers; the
 * caller decides when that may be), and where the asker comes from.
 */
export interface FactAsked {
  readonly kind: RuleQuestion;
  readonly places: readonly string[];
  readonly cities: readonly string[];
  readonly origin: string | null;
  /** The question names domestic work (housemaid, house driver): their rows apply. */
  readonly domesticWork?: boolean;
}

/** A fact's answer for one question: its rows that fit, or none and `missingRow` for a city it lacks. */
export interface FactAnswer {
  readonly fact: RuleFact;
  readonly rows: readonly FactRow[];
  readonly missingRow: boolean;
}

/** Rules and figures answered directly, from `knowledge/facts.yaml`. */
export class RuleFacts {
  private constructor(readonly facts: readonly RuleFact[]) {}

  static async load(knowledgeDir: string): Promise<RuleFacts> {
    const file = await readKnowledgeYaml(knowledgeDir, "facts.yaml", factsSchema, {
      reviewed: "",
      translations_reviewed: false,
      facts: [],
    });
    return new RuleFacts(file.facts);
  }

  /**
   * The fact of this kind about the place asked, with the rows that fit: the city's, else the country's,
   * else (for rows by citizenship) the general rule and the asker's own. Null when no fact covers the place.
   */
  find(asked: FactAsked): FactAnswer | null {
    const found = this.facts.find(
      (candidate) =>
        candidate.kind === asked.kind &&
        (asked.places.length === 0 || asked.places.some((place) => candidate.places.includes(place))),
    );
    if (!found) return null;
    // Domestic workers' rows answer only a question about domestic work; a place with no other row is
    // then not covered for anyone else (Saudi Arabia's rest hours are known only for domestic workers).
    const fact = asked.domesticWork ? found : { ...found, rows: found.rows.filter((row) => row.group === undefined) };
    const byCity = fact.rows.filter((row) => row.city !== undefined && asked.cities.includes(row.city));
    if (byCity.length > 0) return { fact, rows: byCity, missingRow: false };
    const byPlace = fact.rows.filter((row) => row.place !== undefined && asked.places.includes(row.place));
    if (byPlace.length > 0) return { fact, rows: byPlace, missingRow: false };
    // No row of its own here, but one for domestic workers: the place is covered for them only.
    if (asked.places.some((place) => found.rows.some((row) => row.place === place))) return null;
    const askerRow = fact.rows.find((row) => asked.origin !== null && row.origin?.includes(asked.origin));
    if (askerRow) {
      return { fact, rows: fact.rows.filter((row) => row.origin === undefined || row === askerRow), missingRow: false };
    }
    // A city the table has no row for: another city's figure would read as the answer (Moscow's price for Kazan).
    const cityLacking = asked.cities.length > 0 && fact.rows.some((row) => row.city !== undefined);
    if (cityLacking && fact.missing_row !== undefined) return { fact, rows: [], missingRow: true };
    return { fact, rows: fact.rows, missingRow: false };
  }

  /** What to say of a country no fact of this kind covers, for a kind whose table holds every such figure. */
  missingPlace(kind: RuleQuestion): LocalTexts | null {
    return this.facts.find((fact) => fact.kind === kind && fact.missing_place)?.missing_place ?? null;
  }
}

/** The text in this language, else English. */
export function localised(texts: LocalTexts, lang: LanguageCode): { text: string; lang: LanguageCode } {
  const own = texts[lang];
  return own !== undefined ? { text: own, lang } : { text: texts.eng ?? "", lang: "eng" };
}
