import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";
import { languageCodes, type LanguageCode } from "../i18n/languages.js";
import { lightStem, words } from "../nlu/normalise-text.js";

/** A language's words for one entry of a word list (glossary terms, specific subjects). */
export const variantsSchema = z.array(z.string().min(1)).min(1);

/** Flags every key of a word-list entry that is neither one of `own` nor a language code. */
export function languageKeysOnly(own: readonly string[]) {
  return (entry: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    for (const key of Object.keys(entry)) {
      if (!own.includes(key) && !(languageCodes as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `is not a language code (${languageCodes.join(", ")})` });
      }
    }
  };
}

const termSchema = z
  .object({ eng: z.string().min(2) })
  .catchall(variantsSchema)
  .superRefine(languageKeysOnly(["eng"]));
const glossarySchema = z.object({ reviewed: z.unknown().optional(), terms: z.array(termSchema).min(1) }).strict();

interface CompiledVariant {
  readonly words: readonly string[];
  readonly english: string;
}

/** Central Asian migrants in Russia mix Russian words into their own language ("гражданство", "патент"). */
export const mixesRussian: ReadonlySet<LanguageCode> = new Set(["tgk", "uzb", "kaz", "kir", "tuk"]);

/** Glossary terms that only ask for a kind of fact (an amount, a number to call), not for a subject. */
const kindOnlyTerms: ReadonlySet<string> = new Set(["cost fee money pay", "salary wages", "hotline phone call help"]);

/** English words of the terms too common to mark a subject of their own. */
const genericEnglishWords: ReadonlySet<string> = new Set([
  "work",
  "help",
  "check",
  "home",
  "save",
  "money",
  "abroad",
  "overseas",
  "migrant",
  "migration",
  "report",
  "papers",
]);

/** Short words must match whole; longer ones match as word starts, to catch inflections. */
const minPrefixLength = 4;

/** Whether a text's words (folded, stemmed) hold a variant's words in a row, each whole or as a word start. */
export function holdsVariant(message: readonly string[], variant: readonly string[]): boolean {
  return variantAt(message, variant) >= 0;
}

/** Where in a text's words a variant's words first stand in a row (see holdsVariant), or -1. */
function variantAt(message: readonly string[], variant: readonly string[]): number {
  for (let start = 0; start + variant.length <= message.length; start += 1) {
    const all = variant.every((word, i) => {
      const candidate = message[start + i] ?? "";
      return Array.from(word).length >= minPrefixLength ? candidate.startsWith(word) : candidate === word;
    });
    if (all) return start;
  }
  return -1;
}

/** A word's first letters, by which variants are looked up (see Glossary.#matches). */
function firstLetters(word: string): string {
  return Array.from(word).slice(0, minPrefixLength).join("");
}

/** Sections whose terms are kept: every section of every leaflet in every language. */
const maxCachedTexts = 20_000;

/**
 * Migrants' words for what the leaflets cover, in every language, with the English search terms for
 * each (`knowledge/glossary.yaml`). It lets a question in a language without a matching leaflet be
 * searched in the English leaflets.
 */
export class Glossary {
  private constructor(private readonly byLanguage: ReadonlyMap<LanguageCode, readonly CompiledVariant[]>) {}

  static async load(knowledgeDir: string): Promise<Glossary> {
    const file = "glossary.yaml";
    const source = await readFile(path.join(knowledgeDir, file), "utf8").catch(() => null);
    if (source === null) return new Glossary(new Map());
    const outcome = parseYaml(source, glossarySchema, file);
    if (!outcome.ok)
      throw new RahnamaError(
        "KNOWLEDGE_INVALID",
        `Glossary is invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
      );
    const byLanguage = new Map<LanguageCode, CompiledVariant[]>();
    for (const term of outcome.value.terms) {
      for (const [lang, list] of Object.entries(term)) {
        if (lang === "eng" || !Array.isArray(list)) continue;
        const compiled = byLanguage.get(lang as LanguageCode) ?? [];
        for (const variant of list) {
          compiled.push({ words: words(variant).map((word) => lightStem(word, lang)), english: term.eng });
        }
        byLanguage.set(lang as LanguageCode, compiled);
      }
    }
    return new Glossary(byLanguage);
  }

  /**
   * The subjects (glossary terms, by their English) a text names, leaving out words that only ask for a
   * kind of fact (cost, fee, phone): "and the fee?" names no subject, "how much is a passport?" names one.
   */
  subjects(text: string, lang: LanguageCode): Set<string> {
    if (lang === "eng") {
      const message = words(text);
      return new Set(
        this.englishSubjects
          .filter((subject) => subject.words.some((word) => message.some((token) => token.startsWith(word))))
          .map((subject) => subject.english),
      );
    }
    return new Set([...this.#termsNamed(text, lang)].filter((english) => !kindOnlyTerms.has(english)));
  }

  private get englishSubjects(): readonly { english: string; words: readonly string[] }[] {
    this.#englishSubjects ??= [...new Set([...this.byLanguage.values()].flat().map((variant) => variant.english))]
      .filter((english) => !kindOnlyTerms.has(english))
      .map((english) => ({
        english,
        words: words(english).filter((word) => word.length >= 4 && !genericEnglishWords.has(word)),
      }));
    return this.#englishSubjects;
  }

  #englishSubjects: readonly { english: string; words: readonly string[] }[] | null = null;

  /**
   * The words of a question (folded and stemmed) that name each glossary term, by the term's English:
   * "медосмотр" names "medical test health" as "муоинаи тиббӣ" does in a Tajik leaflet.
   */
  wordsNaming(text: string, lang: LanguageCode): Map<string, string[]> {
    const message = words(text).map((word) => lightStem(word, lang));
    const named = new Map<string, string[]>();
    for (const { variant, start } of this.#matches(message, lang)) {
      named.set(variant.english, [
        ...(named.get(variant.english) ?? []),
        ...message.slice(start, start + variant.words.length),
      ]);
    }
    return named;
  }

  /**
   * Each variant the words hold, at its first place. Variants are looked up by their first word's first
   * four letters, which a word that holds them shares: a leaflet section is read in well under a millisecond.
   */
  #matches(message: readonly string[], lang: LanguageCode): { variant: CompiledVariant; start: number }[] {
    const index = this.#indexFor(lang);
    const found = new Map<CompiledVariant, number>();
    message.forEach((word, start) => {
      for (const variant of index.get(firstLetters(word)) ?? []) {
        if (found.has(variant)) continue;
        if (variantAt(message.slice(start, start + variant.words.length), variant.words) === 0)
          found.set(variant, start);
      }
    });
    return [...found].map(([variant, start]) => ({ variant, start }));
  }

  readonly #indexes = new Map<LanguageCode, Map<string, CompiledVariant[]>>();

  #indexFor(lang: LanguageCode): Map<string, CompiledVariant[]> {
    const known = this.#indexes.get(lang);
    if (known) return known;
    const index = new Map<string, CompiledVariant[]>();
    for (const variant of this.#variantsFor(lang)) {
      const first = variant.words[0];
      if (first === undefined) continue;
      const key = firstLetters(first);
      index.set(key, [...(index.get(key) ?? []), variant]);
    }
    this.#indexes.set(lang, index);
    return index;
  }

  /** The glossary terms (by their English) a leaflet's text names, read once per text. */
  termsIn(text: string, lang: LanguageCode): ReadonlySet<string> {
    const key = `${lang}\u0000${text}`;
    const cached = this.#textTerms.get(key);
    if (cached) return cached;
    if (this.#textTerms.size >= maxCachedTexts) this.#textTerms.clear();
    const message = words(text).map((word) => lightStem(word, lang));
    const found = new Set(this.#matches(message, lang).map(({ variant }) => variant.english));
    this.#textTerms.set(key, found);
    return found;
  }

  readonly #textTerms = new Map<string, ReadonlySet<string>>();

  // Central Asian migrants in Russia mix Russian words into their own language.
  #variantsFor(lang: LanguageCode): readonly CompiledVariant[] {
    return [
      ...(this.byLanguage.get(lang) ?? []),
      ...(mixesRussian.has(lang) ? (this.byLanguage.get("rus") ?? []) : []),
    ];
  }

  /** English search terms for the ideas named in `text`, or null when none is recognised. */
  toEnglish(text: string, lang: LanguageCode): string | null {
    const found = this.#termsNamed(text, lang);
    return found.size > 0 ? [...found].join(" ") : null;
  }

  // One question is looked up several times in a turn (searches, passage choice, gaps): the last is kept.
  #lastLookup: { key: string; terms: ReadonlySet<string> } | null = null;

  /** The glossary terms (by their English) whose variants in `lang` the text holds. */
  #termsNamed(text: string, lang: LanguageCode): ReadonlySet<string> {
    const key = `${lang}\u0000${text}`;
    if (this.#lastLookup?.key === key) return this.#lastLookup.terms;
    const message = words(text).map((word) => lightStem(word, lang));
    const found = new Set(this.#matches(message, lang).map(({ variant }) => variant.english));
    this.#lastLookup = { key, terms: found };
    return found;
  }
}
