import { readFile } from "node:fs/promises";
import path from "node:path";
// node-nlp ships CommonJS without types; imported for the comparison only.
import nodeNlp from "node-nlp";
import { trainingExamples } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { bcp47Of, replyLanguages, type LanguageCode } from "../src/i18n/languages.js";
import { createLogger } from "../src/log.js";
import { HybridIntentClassifier, LexicalIntentClassifier } from "../src/nlu/intent-classifier.js";
import { loadIntentFiles } from "../src/nlu/intent-files.js";
import { readCrisisModel } from "../src/nlu/crisis-model-file.js";
import { SafetyDetector } from "../src/nlu/safety-detector.js";
import { exampleVectors, type LabelledExample } from "../src/nlu/intent-vectors.js";
import { projectRoot } from "../src/paths.js";
import { coversLanguage } from "../src/retrieval/embedder.js";
import { selectEmbedder } from "../src/retrieval/select-embedder.js";
import { formatTable, summarise } from "./stats.js";

/**
 * `npm run eval:intents`: accuracy and macro-F1 per language on held-out messages
 * (test/eval/intents/<lang>.jsonl, never used in training), for our classifier and for NLP.js
 * (node-nlp) trained on the same examples in the same run, with per-message latency of both; then
 * 5-fold cross-validation on the training examples to calibrate the answer / offer score zones; then
 * the safety detector on the crisis and ordinary sets in test/safety.
 */
interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<void>;
  process(
    locale: string,
    utterance: string,
  ): Promise<{ classifications?: { intent: string; score: number }[]; intent?: string }>;
}
const { NlpManager } = nodeNlp as { NlpManager: new (settings: object) => NlpManagerLike };

const languages = replyLanguages;

const log = createLogger({ level: "warn", personalData: false });
const config = loadConfig({ ...process.env, LOG_LEVEL: "warn" });
const files = await loadIntentFiles(config.paths.intents);
const training = trainingExamples(files.intents);
const embedder = await selectEmbedder(config, log);

function macroF1(pairs: readonly { truth: string; predicted: string }[]): number {
  const labels = [...new Set(pairs.map((pair) => pair.truth))];
  const f1s = labels.map((label) => {
    const tp = pairs.filter((p) => p.predicted === label && p.truth === label).length;
    const fp = pairs.filter((p) => p.predicted === label && p.truth !== label).length;
    const fn = pairs.filter((p) => p.predicted !== label && p.truth === label).length;
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  return f1s.reduce((sum, value) => sum + value, 0) / Math.max(1, f1s.length);
}

async function ours(examples: readonly LabelledExample[]) {
  const vectors = await exampleVectors(examples, embedder, path.join(config.paths.data, "eval-intents"));
  const classifier = new HybridIntentClassifier(new LexicalIntentClassifier(examples), vectors);
  return async (text: string, lang: LanguageCode, timing?: { embed: number[]; classify: number[] }) => {
    let started = performance.now();
    const vector = coversLanguage(embedder, lang) ? ((await embedder.embedQueries([text]))[0] ?? null) : null;
    timing?.embed.push(performance.now() - started);
    started = performance.now();
    const prediction = classifier.predict(text, vector);
    timing?.classify.push(performance.now() - started);
    return prediction;
  };
}

// 1. Held-out accuracy, ours vs NLP.js.
const heldOut: { text: string; intent: string; lang: LanguageCode }[] = [];
for (const lang of languages) {
  const file = path.join(projectRoot, "test", "eval", "intents", `${lang}.jsonl`);
  const lines = (await readFile(file, "utf8").catch(() => "")).split("\n").filter(Boolean);
  for (const line of lines) heldOut.push({ ...(JSON.parse(line) as { text: string; intent: string }), lang });
}
const predictOurs = await ours(training);
const nlp = new NlpManager({
  languages: languages.map(bcp47Of),
  forceNER: false,
  nlu: { log: false },
  autoSave: false,
});
for (const example of training) nlp.addDocument(bcp47Of(example.lang), example.text, example.intent);
const nlpTrainStart = performance.now();
await nlp.train();
const nlpTrainMs = performance.now() - nlpTrainStart;

// An untimed pass through both classifiers first, so neither is timed while it is being compiled.
// Training examples, not the held-out messages: the embedder caches queries, and a cached held-out
// message would make our English latency look far better than a new message gets.
for (const example of training.filter((_, index) => index % 5 === 0)) {
  await predictOurs(example.text, example.lang);
  await nlp.process(bcp47Of(example.lang), example.text);
}

const rows: (string | number)[][] = [];
const perLanguage: Record<string, unknown> = {};
const latency = { ours: [] as number[], nlp: [] as number[] };
const oursTiming = { embed: [] as number[], classify: [] as number[] };
for (const lang of languages) {
  const items = heldOut.filter((item) => item.lang === lang);
  const oursPairs: { truth: string; predicted: string }[] = [];
  const nlpPairs: { truth: string; predicted: string }[] = [];
  for (const item of items) {
    let started = performance.now();
    const prediction = await predictOurs(item.text, lang, oursTiming);
    latency.ours.push(performance.now() - started);
    oursPairs.push({ truth: item.intent, predicted: prediction.best?.intent ?? "none" });
    started = performance.now();
    const result = await nlp.process(bcp47Of(lang), item.text);
    latency.nlp.push(performance.now() - started);
    nlpPairs.push({ truth: item.intent, predicted: result.classifications?.[0]?.intent ?? result.intent ?? "none" });
  }
  const accuracy = (pairs: typeof oursPairs) =>
    pairs.filter((p) => p.truth === p.predicted).length / Math.max(1, pairs.length);
  const scores = {
    n: items.length,
    ours: { accuracy: accuracy(oursPairs), macroF1: macroF1(oursPairs) },
    nlp: { accuracy: accuracy(nlpPairs), macroF1: macroF1(nlpPairs) },
  };
  perLanguage[lang] = scores;
  rows.push([
    lang,
    items.length,
    scores.ours.accuracy,
    scores.ours.macroF1,
    scores.nlp.accuracy,
    scores.nlp.macroF1,
    scores.ours.accuracy >= scores.nlp.accuracy ? "yes" : "NO",
  ]);
}
console.log(
  `\nIntent classification on held-out messages — ${training.length} training examples, ${files.intents.length - 2} intents, embedder ${embedder.id}\n`,
);
console.log(
  formatTable(["lang", "n", "ours acc", "ours macro-F1", "NLP.js acc", "NLP.js macro-F1", "ours ≥ NLP.js"], rows),
);
const oursLatency = summarise(latency.ours);
const oursClassify = summarise(oursTiming.classify);
const englishEmbed = summarise(oursTiming.embed.filter((_, i) => heldOut[i]?.lang === "eng"));
const nlpLatency = summarise(latency.nlp);
console.log("");
console.log(
  formatTable(
    ["per message", "p50 ms", "p95 ms", "p99 ms"],
    [
      ["ours: classification (all languages)", oursClassify.p50, oursClassify.p95, oursClassify.p99],
      [
        "ours: + query embedding, English only (shared with the leaflet search)",
        englishEmbed.p50,
        englishEmbed.p95,
        englishEmbed.p99,
      ],
      ["ours: total, all languages", oursLatency.p50, oursLatency.p95, oursLatency.p99],
      ["NLP.js", nlpLatency.p50, nlpLatency.p95, nlpLatency.p99],
    ],
  ),
);
console.log(
  `\nNLP.js training: ${(nlpTrainMs / 1000).toFixed(1)} s; classification p50 ours / NLP.js = ${(oursClassify.p50 / nlpLatency.p50).toFixed(2)}×; total p50 ours / NLP.js = ${(oursLatency.p50 / nlpLatency.p50).toFixed(2)}×`,
);

// 2. Calibration: 5-fold cross-validation on the training examples.
const folds = 5;
const samples: { source: string; score: number; correct: boolean; inTop3: boolean }[] = [];
for (let fold = 0; fold < folds; fold += 1) {
  const train = training.filter((_, i) => i % folds !== fold);
  const test = training.filter((_, i) => i % folds === fold);
  const predict = await ours(train);
  for (const example of test) {
    const prediction = await predict(example.text, example.lang);
    samples.push({
      source: prediction.source,
      score: prediction.best?.score ?? 0,
      correct: prediction.best?.intent === example.intent,
      inTop3: prediction.ranking.slice(0, 3).some((entry) => entry.intent === example.intent),
    });
  }
}
const calibration: Record<string, unknown> = {};
for (const source of ["lexical", "lexical+embedding"]) {
  const own = samples.filter((sample) => sample.source === source);
  const precisionAbove = (t: number) => {
    const above = own.filter((sample) => sample.score >= t);
    return {
      share: above.length / Math.max(1, own.length),
      precision: above.filter((s) => s.correct).length / Math.max(1, above.length),
    };
  };
  const thresholds = Array.from({ length: 17 }, (_, i) => 0.2 + i * 0.05);
  const answer = thresholds.find((t) => precisionAbove(t).precision >= 0.9) ?? 0.9;
  const offerRows = thresholds.map((t) => {
    const band = own.filter((sample) => sample.score >= t && sample.score < answer);
    return { t, top3: band.filter((s) => s.inTop3).length / Math.max(1, band.length) };
  });
  const offer = offerRows.find((row) => row.top3 >= 0.7)?.t ?? answer;
  calibration[source] = {
    n: own.length,
    answer: Number(answer.toFixed(2)),
    offer: Number(offer.toFixed(2)),
    precisionAtAnswer: precisionAbove(answer),
  };
  console.log(
    `${source}: ${own.length} cross-validated examples; precision ≥ 0.9 from score ${answer.toFixed(2)} (${(precisionAbove(answer).share * 100).toFixed(0)} % of messages); likely intents in top 3 ≥ 70 % from ${offer.toFixed(2)}`,
  );
}
// 3. Safety sets: every crisis message must escalate; ordinary questions must rarely do so.
const detector = SafetyDetector.fromIntents(files.intents, await readCrisisModel(config.paths.intents));
async function readSet(name: string): Promise<{ text: string; category?: string }[]> {
  const file = path.join(projectRoot, "test", "safety", name);
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { text: string; category?: string });
}
const safety: Record<string, unknown> = {};
const safetyRows: (string | number)[][] = [];
for (const [set, prefix] of [
  ["held-out", ""],
  ["development", "dev-"],
  ["written blind", "blind-"],
] as const) {
  const crisis = await readSet(`${prefix}crisis.jsonl`);
  const ordinary = await readSet(`${prefix}ordinary.jsonl`);
  const hits = crisis.map((line) => ({ line, hit: detector.detect(line.text), verdict: detector.judge(line.text) }));
  const recall = hits.filter((entry) => entry.hit).length / crisis.length;
  const category = hits.filter((entry) => entry.hit?.category === entry.line.category).length / crisis.length;
  const falseAlarms = ordinary.filter((line) => detector.detect(line.text)).length / ordinary.length;
  // With the learned scorer: escalated, or asked "is someone in danger now?".
  const caught = hits.filter((entry) => entry.verdict.decision !== "ordinary").length / crisis.length;
  const escalated = hits.filter((entry) => entry.verdict.decision === "escalate").length / crisis.length;
  const ordinaryVerdicts = ordinary.map((line) => detector.judge(line.text).decision);
  const combinedAlarms = ordinaryVerdicts.filter((decision) => decision === "escalate").length / ordinary.length;
  const asked = ordinaryVerdicts.filter((decision) => decision === "triage").length / ordinary.length;
  safety[set] = {
    crisis: crisis.length,
    ordinary: ordinary.length,
    recall,
    category,
    falseAlarms,
    combined: { caught, escalated, falseAlarms: combinedAlarms, triageOnOrdinary: asked },
  };
  safetyRows.push([
    set,
    crisis.length,
    recall,
    category,
    ordinary.length,
    falseAlarms,
    caught,
    escalated,
    combinedAlarms,
    asked,
  ]);
}
console.log("\nSafety detector (" + String(detector.patternCount) + " patterns)\n");
console.log(
  formatTable(
    [
      "set",
      "crisis",
      "lexicon: escalated",
      "right category",
      "ordinary",
      "false alarms",
      "with scorer: caught",
      "escalated",
      "false alarms",
      "asked",
    ],
    safetyRows,
  ),
);

console.log(
  `\n${JSON.stringify({ embedder: embedder.id, perLanguage, latencyMs: { oursClassification: oursClassify, oursEnglishEmbedding: englishEmbed, oursTotal: oursLatency, nlp: nlpLatency }, calibration, safety })}`,
);
await embedder.close();
