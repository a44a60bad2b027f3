import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";
import type { LanguageCode } from "../i18n/languages.js";
import { lightStem, words } from "../nlu/normalise-text.js";
import { findFigures, isYear, sentencesAndItems } from "./dated-figures.js";
import { holdsVariant, languageKeysOnly, mixesRussian, variantsSchema } from "./glossary.js";

const subjectSchema = z
  .object({
    id: z.string().min(2),
    /** Asked only with a figure (its fee, how long it takes), given in the same sentence as the subject. */
    figures_only: z.boolean().optional(),
    eng: variantsSchema,
  })
  .catchall(variantsSchema)
  .superRefine(languageKeysOnly(["id", "figures_only"]));
const fileSchema = z.object({ reviewed: z.unknown().optional(), subjects: z.array(subjectSchema) }).strict();

interface CompiledSubject {
  readonly id: string;
  readonly figuresOnly: boolean;
  readonly variants: ReadonlyMap<LanguageCode, readonly (readonly string[])[]>;
}

/** Words either side of a figure that can still be what it is the figure of. */
const figureReach = 6;

/**
 * Figures other than phone numbers and years (a year dates a sentence; it is no figure of what the sentence
 * names): where each stands and how long it is.
 */
function figuresIn(text: string): { index: number; length: number }[] {
  const phones = findFigures(text).filter((figure) => figure.kind === "phone");
  return [...text.matchAll(/\d(?:[\d,.]*\d)?/gu)]
    .filter((match) => !isYear(Number(match[0])))
    .filter(
      (match) => !phones.some((phone) => match.index >= phone.index && match.index < phone.index + phone.text.length),
    )
    .map((match) => ({ index: match.index, length: match[0].length }));
}

/**
 * The stretches of a text that give a figure, with the few words either side: what such a figure can be
 * the fee, the time or the count of. A sentence that lists documents ("the national card; 2 photos") or
 * gives the passport's fee and then what else to bring does not give the card's fee.
 */
function figureStretches(text: string): string[] {
  return sentencesAndItems(text)
    .flatMap((sentence) => sentence.split(/[;؛]/u))
    .flatMap((clause) =>
      figuresIn(clause).map(({ index, length }) => {
        const before = clause.slice(0, index).split(/\s+/u).filter(Boolean).slice(-figureReach);
        const after = clause
          .slice(index + length)
          .split(/\s+/u)
          .filter(Boolean)
          .slice(0, figureReach);
        return [...before, clause.slice(index, index + length), ...after].join(" ");
      }),
    );
}

function textWords(text: string, lang: LanguageCode): string[] {
  return words(text).map((word) => lightStem(word, lang));
}

/**
 * Subjects a passage must name to answer a question about them (`knowledge/specific-subjects.yaml`): a
 * pension, citizenship, a driving licence. Retrieval finds the passage that shares most of a question's
 * words; for these subjects the words it shares ("Russia", "how much", "years") are not the question.
 */
export class SpecificSubjects {
  private constructor(private readonly subjects: readonly CompiledSubject[]) {}

  static none(): SpecificSubjects {
    return new SpecificSubjects([]);
  }

  static async load(knowledgeDir: string): Promise<SpecificSubjects> {
    const file = "specific-subjects.yaml";
    const source = await readFile(path.join(knowledgeDir, file), "utf8").catch(() => null);
    if (source === null) return SpecificSubjects.none();
    const outcome = parseYaml(source, fileSchema, file);
    if (!outcome.ok)
      throw new RahnamaError(
        "KNOWLEDGE_INVALID",
        `Specific subjects are invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
      );
    return new SpecificSubjects(
      outcome.value.subjects.map((subject) => {
        const byLanguage = new Map<LanguageCode, string[][]>();
        for (const [lang, list] of Object.entries(subject)) {
          if (lang === "id" || lang === "figures_only" || !Array.isArray(list)) continue;
          byLanguage.set(
            lang as LanguageCode,
            list.map((variant) => textWords(variant, lang as LanguageCode)).filter((found) => found.length > 0),
          );
        }
        return { id: subject.id, figuresOnly: subject.figures_only ?? false, variants: byLanguage };
      }),
    );
  }

  #names(subject: CompiledSubject, message: readonly string[], lang: LanguageCode): boolean {
    const own = subject.variants.get(lang) ?? [];
    const russian = mixesRussian.has(lang) ? (subject.variants.get("rus") ?? []) : [];
    return [...own, ...russian].some((variant) => holdsVariant(message, variant));
  }

  /**
   * The subjects (by id) a question names. Those asked of only for a figure ("how much is a passport")
   * count only when `asksFigure`: "the agent took my passport" is answered by any passage on passports.
   */
  askedIn(question: string, lang: LanguageCode, asksFigure = false): string[] {
    if (this.subjects.length === 0) return [];
    const message = textWords(question, lang);
    return this.subjects
      .filter((subject) => (asksFigure || !subject.figuresOnly) && this.#names(subject, message, lang))
      .map((subject) => subject.id);
  }

  /**
   * Whether one of these passages (each in its language) names the subject; for a subject asked of only
   * for a figure, next to a figure, or in a heading over a text that gives one ("The headcount slip" over
   * "in 2022 it cost 270,000 rials a person"): a passport fee is not answered by a passage that lists the
   * passport among documents and gives the visa's fee.
   */
  namedIn(
    id: string,
    passages: readonly { readonly heading?: string; readonly text: string; readonly lang: LanguageCode }[],
  ): boolean {
    const subject = this.subjects.find((candidate) => candidate.id === id);
    if (!subject) return true;
    const names = (part: string, lang: LanguageCode) => this.#names(subject, textWords(part, lang), lang);
    return passages.some(({ heading = "", text, lang }) => {
      if (!subject.figuresOnly) return names(`${heading} ${text}`, lang);
      if (names(heading, lang) && figuresIn(text).length > 0) return true;
      return figureStretches(text).some((stretch) => names(stretch, lang));
    });
  }
}
