import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { TextTable } from "../core/texts.js";
import { formatProblem, parseYaml, type DataProblem } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";
import { languageCodes, type LanguageCode } from "../i18n/languages.js";
import { topics, type Topic } from "../retrieval/leaflet.js";

const languageKey = z.enum(languageCodes);

const localisedText = z
  .partialRecord(languageKey, z.string().min(1, "must not be empty"))
  .refine((texts) => texts.eng !== undefined, "needs an English (eng) text, the last fallback");

const replyKey = z.string().regex(/^[a-z][a-z0-9_]*$/, "reply keys are snake_case");

export const safetyCategories = [
  "trafficking",
  "forced-labour",
  "debt-bondage",
  "confiscated-documents",
  "violence",
  "sexual-abuse",
  "threat-to-life",
  "suicide",
  "unpaid-wages",
  "medical-emergency",
] as const;
export type SafetyCategory = (typeof safetyCategories)[number];

const intentFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case"),
    description: z.string().min(3),
    /** Training phrases per language (Latin-script Urdu and Bengali go under urd and ben). */
    examples: z.partialRecord(languageKey, z.array(z.string().min(1)).min(1)).default({}),
    replies: z.record(replyKey, localisedText).default({}),
    /** Per language: the date a person checked the texts, or false for an unchecked machine translation. */
    reviewed: z
      .partialRecord(languageKey, z.union([z.literal(false), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]))
      .default({}),
    /** For intents about a leaflet topic: the handler answers from that topic's leaflets. */
    topic: z.enum(topics).optional(),
    /** Safety only: per category and language (or `any`), patterns (see src/nlu/safety-detector.ts). */
    triggers: z.partialRecord(z.enum(safetyCategories), z.record(z.string(), z.array(z.string().min(2)))).optional(),
    /** Safety only: named word lists per language, used as `@name` in patterns. */
    lexicon: z.record(z.string().regex(/^[a-z_]+$/), z.record(z.string(), z.array(z.string().min(1)))).optional(),
    /** Safety only: patterns of an ordinary framing (definitions, hypotheticals, solved past problems). */
    ordinary: z.record(z.string(), z.array(z.string().min(2))).optional(),
  })
  .strict();

export interface IntentDefinition {
  readonly id: string;
  readonly description: string;
  readonly examples: Readonly<Partial<Record<LanguageCode, readonly string[]>>>;
  readonly replies: TextTable;
  readonly topic: Topic | null;
  readonly triggers: Readonly<Partial<Record<SafetyCategory, Readonly<Record<string, readonly string[]>>>>>;
  readonly lexicon: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly ordinary: Readonly<Record<string, readonly string[]>>;
  readonly file: string;
}

export interface IntentFiles {
  readonly intents: readonly IntentDefinition[];
  /** Texts shared by every intent (buttons, errors, citation labels). */
  readonly common: TextTable;
  /** Whole messages that stop a guided flow, per language. */
  readonly cancelWords: Readonly<Partial<Record<LanguageCode, readonly string[]>>>;
}

/**
 * Reads `intents/<id>/intent.yaml` for every intent and `intents/common.yaml`. All problems in all
 * files are reported together with file, line and field.
 */
export async function loadIntentFiles(intentsDir: string): Promise<IntentFiles> {
  const problems: DataProblem[] = [];
  const intents: IntentDefinition[] = [];
  const entries = await readdir(intentsDir, { withFileTypes: true });
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = path.join(entry.name, "intent.yaml");
    const source = await readFile(path.join(intentsDir, relative), "utf8").catch(() => null);
    if (source === null) continue;
    const outcome = parseYaml(source, intentFileSchema, relative);
    if (!outcome.ok) {
      problems.push(...outcome.problems);
      continue;
    }
    if (outcome.value.id !== entry.name) {
      problems.push({ file: relative, line: 1, field: "id", message: `must equal the folder name (${entry.name})` });
      continue;
    }
    intents.push({
      ...outcome.value,
      topic: outcome.value.topic ?? null,
      triggers: outcome.value.triggers ?? {},
      lexicon: outcome.value.lexicon ?? {},
      ordinary: outcome.value.ordinary ?? {},
      file: relative,
    });
  }
  let common: TextTable = {};
  let cancelWords: IntentFiles["cancelWords"] = {};
  const commonSource = await readFile(path.join(intentsDir, "common.yaml"), "utf8").catch(() => null);
  if (commonSource === null) {
    problems.push({ file: "common.yaml", line: 1, field: "", message: "is missing" });
  } else {
    const outcome = parseYaml(
      commonSource,
      z
        .object({
          replies: z.record(replyKey, localisedText),
          cancel_words: z.partialRecord(languageKey, z.array(z.string().min(1)).min(1)).default({}),
          reviewed: z.unknown().optional(),
        })
        .strict(),
      "common.yaml",
    );
    if (outcome.ok) {
      common = outcome.value.replies;
      cancelWords = outcome.value.cancel_words;
    } else problems.push(...outcome.problems);
  }
  if (problems.length > 0) {
    throw new RahnamaError(
      "INTENTS_INVALID",
      `${problems.length} problem(s) in intent files:\n  ${problems.map(formatProblem).join("\n  ")}`,
      { details: { problems } },
    );
  }
  return { intents, common, cancelWords };
}
