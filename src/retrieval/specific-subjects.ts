import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";
import type { LanguageCode } from "../i18n/languages.js";
import { lightStem, words } from "../nlu/normalise-text.js";
import { holdsVariant, languageKeysOnly, mixesRussian, variantsSchema } from "./glossary.js";

const subjectSchema = z
  .object({ id: z.string().min(2), eng: variantsSchema })
  .catchall(variantsSchema)
  .superRefine(languageKeysOnly(["id"]));
const fileSchema = z.object({ reviewed: z.unknown().optional(), subjects: z.array(subjectSchema) }).strict();

interface CompiledSubject {
  readonly id: string;
  readonly variants: ReadonlyMap<LanguageCode, readonly (readonly string[])[]>;
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
          if (lang === "id" || !Array.isArray(list)) continue;
          byLanguage.set(
            lang as LanguageCode,
            list.map((variant) => textWords(variant, lang as LanguageCode)).filter((found) => found.length > 0),
          );
        }
        return { id: subject.id, variants: byLanguage };
      }),
    );
  }

  #names(subject: CompiledSubject, message: readonly string[], lang: LanguageCode): boolean {
    const own = subject.variants.get(lang) ?? [];
    const russian = mixesRussian.has(lang) ? (subject.variants.get("rus") ?? []) : [];
    return [...own, ...russian].some((variant) => holdsVariant(message, variant));
  }

  /** The subjects (by id) a question names. */
  askedIn(question: string, lang: LanguageCode): string[] {
    if (this.subjects.length === 0) return [];
    const message = textWords(question, lang);
    return this.subjects.filter((subject) => this.#names(subject, message, lang)).map((subject) => subject.id);
  }

  /** Whether one of these texts (each in its language) names the subject. */
  namedIn(id: string, texts: readonly { readonly text: string; readonly lang: LanguageCode }[]): boolean {
    const subject = this.subjects.find((candidate) => candidate.id === id);
    if (!subject) return true;
    return texts.some(({ text, lang }) => this.#names(subject, textWords(text, lang), lang));
  }
}
