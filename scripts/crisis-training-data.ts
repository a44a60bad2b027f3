import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { projectRoot } from "../src/paths.js";

/**
 * The messages the crisis scorer learns from and is judged on (issue 12). The corpus in
 * test/safety/corpus is written by many authors who never saw the lexicon, each author in one file; the
 * team's own sets (test/safety/{crisis,ordinary,dev-crisis,dev-ordinary}.jsonl) have no author and are
 * always trained on; the blind sets (test/safety/blind-*.jsonl) are never trained on.
 */
export const safetyDir = path.join(projectRoot, "test", "safety");
export const corpusDir = path.join(safetyDir, "corpus");

const corpusLine = z.object({
  text: z.string().min(1),
  lang: z.string().length(3),
  label: z.enum(["crisis", "ordinary"]),
  category: z.string(),
  danger_now: z.boolean(),
  register: z.string(),
  author: z.string().min(1),
});
export type CorpusMessage = z.infer<typeof corpusLine>;

const setLine = z.object({ text: z.string().min(1), lang: z.string().optional(), category: z.string().optional() });

/** A message of any set, with its label and, for a crisis, the category its writer gave it. */
export interface LabelledMessage {
  readonly text: string;
  readonly lang: string;
  readonly crisis: boolean;
  readonly category: string;
  /** Null for the team's sets, which are always trained on. */
  readonly author: string | null;
}

function parseLines<T>(name: string, text: string, schema: z.ZodType<T>): T[] {
  const rows: T[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${name}:${index + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    rows.push(parsed.data);
  });
  return rows;
}

export async function readCorpus(dir = corpusDir): Promise<LabelledMessage[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();
  const messages: LabelledMessage[] = [];
  for (const name of names) {
    for (const row of parseLines(name, await readFile(path.join(dir, name), "utf8"), corpusLine)) {
      messages.push({
        text: row.text,
        lang: row.lang,
        crisis: row.label === "crisis",
        category: row.category,
        author: row.author,
      });
    }
  }
  return messages;
}

/** One of the flat sets in test/safety: every line a crisis (`*crisis.jsonl`) or every line ordinary. */
export async function readSafetySet(name: string, crisis: boolean, dir = safetyDir): Promise<LabelledMessage[]> {
  return parseLines(name, await readFile(path.join(dir, name), "utf8"), setLine).map((row) => ({
    text: row.text,
    lang: row.lang ?? "und",
    crisis,
    category: row.category ?? (crisis ? "unknown" : "ordinary"),
    author: null,
  }));
}

/** The team's own sets, written beside the lexicon: always trained on, never used to judge the scorer. */
export async function readTeamSets(): Promise<LabelledMessage[]> {
  return [
    ...(await readSafetySet("crisis.jsonl", true)),
    ...(await readSafetySet("dev-crisis.jsonl", true)),
    ...(await readSafetySet("ordinary.jsonl", false)),
    ...(await readSafetySet("dev-ordinary.jsonl", false)),
  ];
}

export async function readBlindSets(): Promise<LabelledMessage[]> {
  return [
    ...(await readSafetySet("blind-crisis.jsonl", true)),
    ...(await readSafetySet("blind-ordinary.jsonl", false)),
  ];
}
