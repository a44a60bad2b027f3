import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRahnama } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { projectRoot } from "../src/paths.js";
import { MemoryStore } from "../src/store/memory-store.js";
import { keyFactFiles, keyFactHeader, keyFactRows, runKeyFacts, scoreKeyFacts } from "./key-fact-eval.js";
import { formatTable } from "./stats.js";

/**
 * `npm run eval:facts -- <set.jsonl> …` (or `--part test|dev|all` for the sets in test/eval/key-facts):
 * does the whole bot's reply hold the fact asked, per language, next to plain BM25; follow-ups; questions
 * no leaflet answers. `--record name` writes bench/results/<name>.json (a frozen set's first reading is
 * recorded once, before any tuning). `--misses` lists failed questions: never on a held-out test part.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { record: { type: "string" }, misses: { type: "boolean" }, part: { type: "string" } },
});
const part = values.part === "test" || values.part === "dev" || values.part === "all" ? values.part : null;
const files =
  positionals.length > 0
    ? positionals
    : part
      ? await keyFactFiles(path.join(projectRoot, "test", "eval", "key-facts"), part)
      : [];
if (files.length === 0) {
  console.error(
    "Usage: npx tsx bench/key-facts.ts <set.jsonl> [...] | --part test|dev|all  [--record name] [--misses]",
  );
  process.exit(2);
}

const config = loadConfig();
const log = createLogger({ level: "error", personalData: false });
const rahnama = await createRahnama(config, log, { store: new MemoryStore() });
const outcomes = await runKeyFacts(rahnama, files);
const embedder = rahnama.services.knowledge.embedder.id;
await rahnama.close();

const rows = keyFactRows(outcomes);
console.log(`\nKey facts in the reply (${files.map((file) => path.basename(file)).join(", ")}; ${embedder}):\n`);
console.log(formatTable(keyFactHeader, rows));
console.log(
  `\nAsked "is someone in danger right now?" before the answer: ${scoreKeyFacts(outcomes).askedIfDanger.toFixed(3)} of the questions`,
);
if (values.misses) {
  console.log("\nMisses:");
  for (const miss of outcomes.filter((outcome) => !outcome.passed)) {
    const context = miss.question.context.length > 0 ? ` [after: ${miss.question.context.join(" / ")}]` : "";
    console.log(
      `- [${miss.question.lang}${miss.question.expect === "abstain" ? ", should abstain" : ""}] ${miss.question.question}${context}  (intent ${miss.intent}; cited ${miss.cited.join(", ") || "nothing"})`,
    );
  }
}
if (values.record) {
  const dir = path.join(projectRoot, "bench", "results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${values.record}.json`);
  const summary = scoreKeyFacts(outcomes);
  await writeFile(
    file,
    `${JSON.stringify(
      {
        recorded: new Date().toISOString(),
        sets: files.map((name) => path.relative(projectRoot, name)),
        embedder,
        summary,
        byLanguage: rows.map((row) => Object.fromEntries(keyFactHeader.map((name, i) => [name || "lang", row[i]]))),
        outcomes: outcomes.map((outcome) => ({
          lang: outcome.question.lang,
          expect: outcome.question.expect,
          followUp: outcome.question.context.length > 0,
          passed: outcome.passed,
          refused: outcome.refused,
          baselinePassed: outcome.baselinePassed,
          intent: outcome.intent,
          cited: outcome.cited,
          quotedBelowThreshold: outcome.quoted?.belowThreshold ?? null,
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nRecorded in ${path.relative(process.cwd(), file)}`);
}
