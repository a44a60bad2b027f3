import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { KnowledgeBase } from "../src/retrieval/knowledge-base.js";
import type { LexicalIndex } from "../src/retrieval/knowledge-index.js";
import { selectEmbedder } from "../src/retrieval/select-embedder.js";
import { projectRoot } from "../src/paths.js";
import {
  evaluate,
  falseAnswerRate,
  groupBy,
  isOffTopic,
  loadQuestions,
  questionFiles,
  score,
  targetHit3,
  type QuestionResult,
} from "./evaluate.js";
import { formatTable } from "./stats.js";

/**
 * `npm run eval`: hit@1, hit@3 and MRR of our retrieval per language and per topic, next to plain BM25
 * (MiniSearch) over the same chunks, on the shared dev set and our own sets in test/eval.
 * `npm run eval -- --misses` also lists the questions we miss.
 */
const showMisses = process.argv.includes("--misses");
// --lexical=words|grams|words,grams tries another full-text index for the non-English questions.
const lexicalArgument = process.argv.find((arg) => arg.startsWith("--lexical="))?.slice("--lexical=".length);
const lexical = lexicalArgument
  ?.split(",")
  .filter((name): name is LexicalIndex => name === "words" || name === "grams");
const config = loadConfig();
const log = createLogger({ level: "warn", personalData: false });
const embedder = await selectEmbedder(config, log);
const knowledge = await KnowledgeBase.open({
  knowledgeDir: config.paths.knowledge,
  dataDir: config.paths.data,
  embedder,
  log,
  reindex: "auto",
});

const devFile = path.resolve(projectRoot, "..", "shared", "eval", "dev-questions.jsonl");
const sets: { name: string; files: string[] }[] = [
  ...(existsSync(devFile) ? [{ name: "dev set (../shared/eval/dev-questions.jsonl)", files: [devFile] }] : []),
  { name: "own sets (test/eval/*.jsonl)", files: await questionFiles(path.join(projectRoot, "test", "eval")) },
];

const report: Record<string, unknown> = {
  embedder: embedder.id,
  leaflets: knowledge.leaflets.length,
  lexical: lexical ?? "default",
};
for (const set of sets) {
  const results = await evaluate(knowledge, await loadQuestions(set.files), lexical ? { lexical } : {});
  console.log(`\n${set.name}: ${results.length} questions, embedder ${embedder.id}\n`);
  const rows = (groups: Map<string, QuestionResult[]>, label: (key: string, items: QuestionResult[]) => string) =>
    [...groups.entries()].map(([key, items]) => {
      const ours = score(items, "ours");
      const base = score(items, "baseline");
      return [label(key, items), ours.n, ours.hit1, ours.hit3, ours.mrr, base.hit1, base.hit3, base.mrr];
    });
  const header = ["", "n", "hit@1", "hit@3", "MRR", "BM25 hit@1", "BM25 hit@3", "BM25 MRR"];
  const byLanguage = groupBy(
    results.filter((r) => !isOffTopic(r.question)),
    (r) => r.question.lang,
  );
  console.log(
    formatTable(header, [
      ...rows(byLanguage, (lang, items) => {
        const hit3 = score(items, "ours").hit3;
        return `${lang}${hit3 >= targetHit3(items[0]?.question.lang ?? "eng") ? "" : " (below target)"}`;
      }),
      ...rows(new Map([["all", results.filter((r) => !isOffTopic(r.question))]]), () => "all languages"),
    ]),
  );
  console.log("");
  console.log(
    formatTable(
      ["topic", ...header.slice(1)],
      rows(
        groupBy(
          results.filter((r) => !isOffTopic(r.question)),
          (r) => r.question.topic ?? "(by leaflet id)",
        ),
        (topic) => topic,
      ),
    ),
  );
  const crossLanguage = results.filter((r) => r.crossLanguage).length;
  console.log(`\nanswered from English leaflets (cross-language fallback): ${crossLanguage}`);
  const offTopic = falseAnswerRate(results, "ours");
  if (offTopic.n > 0) {
    console.log(
      `off-topic questions answered with a leaflet anyway: ${offTopic.n} asked, ours ${(offTopic.rate * 100).toFixed(0)} %, BM25 ${(falseAnswerRate(results, "baseline").rate * 100).toFixed(0)} %`,
    );
  }
  if (showMisses) {
    for (const miss of results.filter((r) =>
      isOffTopic(r.question) ? r.ours.length > 0 : r.oursRank === null || r.oursRank > 3,
    )) {
      console.log(
        `MISS [${miss.question.lang} ${miss.question.country}] ${miss.question.question} → ${miss.ours.slice(0, 3).join(", ") || "(no confident answer)"}; wanted ${miss.question.expect?.join("|") ?? miss.question.topic}`,
      );
    }
  }
  report[set.name] = Object.fromEntries(
    [...byLanguage.entries()].map(([lang, items]) => [
      lang,
      { ours: score(items, "ours"), baseline: score(items, "baseline") },
    ]),
  );
}
console.log(`\n${JSON.stringify(report)}`);
knowledge.close();
await embedder.close();
