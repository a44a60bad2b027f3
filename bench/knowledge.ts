import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { countriesMentioned, searchCountries } from "../src/i18n/countries.js";
import { questionKinds } from "../src/nlu/question-kind.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { BatchingEmbedder } from "../src/retrieval/batching-embedder.js";
import type { Embedder } from "../src/retrieval/embedder.js";
import { KnowledgeBase } from "../src/retrieval/knowledge-base.js";
import { ThreadedEmbedder } from "../src/retrieval/threaded-embedder.js";
import { projectRoot } from "../src/paths.js";
import { isOffTopic, loadQuestions, questionFiles } from "./evaluate.js";
import { formatTable, runConcurrently, summarise } from "./stats.js";

/**
 * The knowledge side of `npm run bench`: ingest throughput (full and incremental), search latency by
 * language next to the bare embedder, and what micro-batching does to query throughput under load.
 * Everything runs on a copy of knowledge/ in a temporary folder; BENCH_QUERY_CONCURRENCY (default 16).
 */
const queryConcurrency = Number(process.env.BENCH_QUERY_CONCURRENCY ?? 16);
const log = createLogger({ level: "warn", personalData: false });
const config = loadConfig({ ...process.env, LOG_LEVEL: "warn" });
const root = await mkdtemp(path.join(os.tmpdir(), "rahnama-bench-"));
const knowledgeDir = path.join(root, "knowledge");
const dataDir = path.join(root, "data");
await cp(config.paths.knowledge, knowledgeDir, { recursive: true });

// The embedder the bot runs: USE-lite in a worker thread (select-embedder.ts).
const inner = await ThreadedEmbedder.start();
const batched = new BatchingEmbedder(inner, 5, 8);
const unbatched = new BatchingEmbedder(inner, 0, 8);
const open = (embedder: Embedder) => KnowledgeBase.open({ knowledgeDir, dataDir, embedder, log, reindex: "auto" });

// 1. Ingest: everything, then nothing changed, then one leaflet changed.
const full = await open(batched);
const fullReport = full.ingest;
full.close();
const unchanged = await open(batched);
const unchangedReport = unchanged.ingest;
unchanged.close();
const changedFile = path.join(knowledgeDir, "leaflets", "eng", "heat-safety-gulf.md");
await appendFile(
  changedFile,
  "\n## A benchmark note\nThis section exists only to measure how long re-indexing one changed leaflet takes in the benchmark.\n",
);
const knowledge = await open(batched);
const incremental = knowledge.ingest;

// 2. Search latency per language, one question at a time, and the bare embedder for comparison.
const questions = (await loadQuestions(await questionFiles(path.join(projectRoot, "test", "eval")))).filter(
  (q) => !isOffTopic(q),
);
const search = (kb: KnowledgeBase, q: (typeof questions)[number]) =>
  kb.search({
    query: q.question,
    lang: q.lang,
    countries: searchCountries(q.country === "any" ? null : q.country, q.question),
  });
for (const q of questions.slice(0, 5)) await search(knowledge, q);
const latency = { eng: [] as number[], other: [] as number[] };
for (const q of questions) {
  const started = performance.now();
  await search(knowledge, q);
  latency[q.lang === "eng" ? "eng" : "other"].push(performance.now() - started);
}
// 2b. What the bot does since issue 11: both languages searched and every section of the best leaflets weighed.
// A fresh embedder: the one above remembers these questions' vectors.
const answering = await open(new BatchingEmbedder(inner, 5, 8));
const answerLatency = { eng: [] as number[], other: [] as number[] };
for (const q of questions) {
  const started = performance.now();
  await answering.answer({
    query: q.question,
    lang: q.lang,
    countries: searchCountries(q.country === "any" ? null : q.country, q.question),
    kinds: questionKinds(q.question),
    places: countriesMentioned(q.question),
    cities: [],
    origin: q.country === "any" ? null : q.country,
  });
  answerLatency[q.lang === "eng" ? "eng" : "other"].push(performance.now() - started);
}
answering.close();
const english = questions.filter((q) => q.lang === "eng").map((q) => q.question);
const embedOnly: number[] = [];
for (const text of english) {
  const started = performance.now();
  await inner.embedQueries([text]);
  embedOnly.push(performance.now() - started);
}

// 3. Many English searches at once, with and without micro-batching of their query embeddings.
const load = Array.from({ length: 128 }, (_, i) => english[i % english.length] ?? "visa");
const withoutBatching = await open(unbatched);
const unbatchedMs = await runConcurrently(load, queryConcurrency, async (text) => {
  await withoutBatching.search({ query: text, lang: "eng", countries: [] });
});
withoutBatching.close();
knowledge.close();
// A fresh batching embedder: the one above remembers these questions from the latency run.
const batchedLoad = new BatchingEmbedder(inner, 5, 8);
const withBatching = await open(batchedLoad);
const batchedMs = await runConcurrently(load, queryConcurrency, async (text) => {
  await withBatching.search({ query: text, lang: "eng", countries: [] });
});
const meanBatch =
  batchedLoad.batchSizes.reduce((sum, size) => sum + size, 0) / Math.max(1, batchedLoad.batchSizes.length);
withBatching.close();

const embed = summarise(embedOnly);
const answerEng = summarise(answerLatency.eng);
const answerOther = summarise(answerLatency.other);
const eng = summarise(latency.eng);
const other = summarise(latency.other);
const seconds = (ms: number) => ms / 1000;
console.log(
  `\nKnowledge benchmark — ${knowledge.leaflets.length} leaflets, ${fullReport.chunks} passages, embedder ${inner.id}\n`,
);
console.log(
  formatTable(
    ["ingest", "passages embedded", "seconds", "passages/s"],
    [
      [
        "full build",
        fullReport.embedded,
        seconds(fullReport.milliseconds),
        fullReport.embedded / seconds(fullReport.milliseconds),
      ],
      ["unchanged (hash check only)", unchangedReport.embedded, seconds(unchangedReport.milliseconds), ""],
      [
        "one leaflet changed",
        incremental.embedded,
        seconds(incremental.milliseconds),
        incremental.embedded / seconds(incremental.milliseconds),
      ],
    ],
  ),
);
console.log("");
console.log(
  formatTable(
    ["search, one at a time", "n", "p50 ms", "p95 ms", "p99 ms"],
    [
      ["bare embedder (English query)", embed.count, embed.p50, embed.p95, embed.p99],
      ["English (vectors + BM25)", eng.count, eng.p50, eng.p95, eng.p99],
      ["other languages (trigram BM25, fallback)", other.count, other.p50, other.p95, other.p99],
      [
        "answer, English (both searches + passage choice)",
        answerEng.count,
        answerEng.p50,
        answerEng.p95,
        answerEng.p99,
      ],
      ["answer, other languages", answerOther.count, answerOther.p50, answerOther.p95, answerOther.p99],
    ],
  ),
);
console.log("");
console.log(
  formatTable(
    [`${load.length} English searches, ${queryConcurrency} at a time`, "searches/s"],
    [
      ["without micro-batching", (load.length / unbatchedMs) * 1000],
      [`with micro-batching (≤ 5 ms, mean batch ${meanBatch.toFixed(1)})`, (load.length / batchedMs) * 1000],
    ],
  ),
);
const ratios = {
  incrementalOverFull: incremental.milliseconds / fullReport.milliseconds,
  englishSearchP50OverEmbedderP50: eng.p50 / embed.p50,
  englishAnswerP50OverEmbedderP50: answerEng.p50 / embed.p50,
  batchedOverUnbatchedThroughput: unbatchedMs / batchedMs,
};
console.log(`\none changed leaflet / full build time       = ${ratios.incrementalOverFull.toFixed(3)}×`);
console.log(`English search p50 / bare embedder p50      = ${ratios.englishSearchP50OverEmbedderP50.toFixed(2)}×`);
console.log(`English answer p50 / bare embedder p50      = ${ratios.englishAnswerP50OverEmbedderP50.toFixed(2)}×`);
console.log(`other languages' answer p50                 = ${answerOther.p50.toFixed(1)} ms`);
console.log(`throughput with / without micro-batching     = ${ratios.batchedOverUnbatchedThroughput.toFixed(2)}×\n`);
console.log(
  JSON.stringify({
    leaflets: knowledge.leaflets.length,
    passages: fullReport.chunks,
    ingest: { full: fullReport, unchanged: unchangedReport, oneChanged: incremental },
    searchMs: { embedder: embed, english: eng, other },
    answerMs: { english: answerEng, other: answerOther },
    concurrentSearchesPerSecond: {
      unbatched: (load.length / unbatchedMs) * 1000,
      batched: (load.length / batchedMs) * 1000,
      meanBatch,
    },
    ratios,
  }),
);
await inner.close();
await rm(root, { recursive: true, force: true });
