import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { detectLanguage } from "../src/nlu/language-detector.js";
import { projectRoot } from "../src/paths.js";
import { formatTable } from "./stats.js";

/**
 * `npx tsx bench/language-detection.ts`: how often the language of a message is read right, per language,
 * on every text of the eval sets (the intents' and retrieval sets in test/eval, and the key-fact sets'
 * questions and follow-up contexts). Misread texts are listed for the sets one may read; a key-fact set's
 * held-out `-test` part counts in the figures but is never printed.
 */
const evalDir = path.join(projectRoot, "test", "eval");
const languagesRead = new Set(["eng", "ben", "urd", "fas", "pus", "ara", "rus", "tgk", "uzb"]);

interface Sample {
  readonly lang: string;
  readonly text: string;
  readonly heldOut: boolean;
}

async function jsonLines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function samples(): Promise<Sample[]> {
  const found: Sample[] = [];
  for (const lang of languagesRead) {
    for (const file of [path.join(evalDir, "intents", `${lang}.jsonl`), path.join(evalDir, `${lang}.jsonl`)]) {
      for (const row of await jsonLines(file)) {
        const text = row.text ?? row.question ?? row.query;
        if (typeof text === "string") found.push({ lang, text, heldOut: false });
      }
    }
  }
  const keyFactDir = path.join(evalDir, "key-facts");
  for (const name of (await readdir(keyFactDir)).filter((file) => file.endsWith(".jsonl"))) {
    for (const row of await jsonLines(path.join(keyFactDir, name))) {
      const context = Array.isArray(row.context) ? row.context.filter((item) => typeof item === "string") : [];
      for (const text of [row.question, ...context]) {
        if (typeof text === "string" && typeof row.lang === "string")
          found.push({ lang: row.lang, text, heldOut: name.endsWith("-test.jsonl") });
      }
    }
  }
  return found;
}

const all = await samples();
const rows: (string | number)[][] = [];
const misread: string[] = [];
for (const lang of languagesRead) {
  const own = all.filter((sample) => sample.lang === lang);
  const right = own.filter((sample) => {
    const guess = detectLanguage(sample.text).lang;
    const ok = guess === lang;
    if (!ok && !sample.heldOut) misread.push(`[${lang} → ${guess ?? "none"}] ${sample.text}`);
    return ok;
  });
  rows.push([lang, own.length, right.length, own.length === 0 ? "-" : (right.length / own.length).toFixed(3)]);
}
const total = all.length;
const correct = rows.reduce((sum, row) => sum + Number(row[2]), 0);
rows.push(["all", total, correct, (correct / total).toFixed(3)]);
console.log(`\nLanguage detection on the eval sets' texts:\n`);
console.log(formatTable(["", "texts", "read right", "share"], rows));
if (misread.length > 0) console.log(`\nMisread (held-out parts not shown):\n${misread.join("\n")}`);
