import { loadConfig } from "../src/config.js";
import { readCrisisModel } from "../src/nlu/crisis-model-file.js";
import { crisisCategory, crisisScore } from "../src/nlu/crisis-scorer.js";
import { loadIntentFiles } from "../src/nlu/intent-files.js";
import { SafetyDetector } from "../src/nlu/safety-detector.js";
import { readBlindSets, readCorpus } from "../scripts/crisis-training-data.js";
import { formatTable, summarise } from "./stats.js";

/**
 * Part of `npm run bench`: what the safety check costs per message (issue 12 goal: the learned scorer adds
 * at most 1 ms p50), on the corpus and blind sets' 5,500 messages of every length, against the lexicon
 * alone measured in the same run.
 */
const config = loadConfig({ ...process.env, LOG_LEVEL: "warn" });
const files = await loadIntentFiles(config.paths.intents);
const model = await readCrisisModel(config.paths.intents);
if (!model) throw new Error("intents/safety/crisis-model.json is missing: run npm run train:crisis");
const detector = SafetyDetector.fromIntents(files.intents, model);
const messages = [...(await readCorpus()), ...(await readBlindSets())].map((message) => message.text);

const lexicon: number[] = [];
const scorer: number[] = [];
const judged: number[] = [];
for (let round = 0; round < 3; round += 1) {
  for (const text of messages) {
    let started = performance.now();
    detector.detect(text);
    lexicon.push(performance.now() - started);
    started = performance.now();
    crisisScore(model.crisis, text);
    crisisCategory(model.categories, text);
    scorer.push(performance.now() - started);
    started = performance.now();
    detector.judge(text);
    judged.push(performance.now() - started);
  }
}
const rows = [
  ["lexicon alone (baseline)", summarise(lexicon)],
  ["learned scorer and category", summarise(scorer)],
  ["whole safety check (judge)", summarise(judged)],
] as const;
console.log(`\nSafety detection per message (${messages.length} messages × 3), ms\n`);
console.log(
  formatTable(
    ["", "p50", "p95", "p99"],
    rows.map(([name, summary]) => [name, summary.p50.toFixed(3), summary.p95.toFixed(3), summary.p99.toFixed(3)]),
  ),
);
const base = summarise(lexicon).p50;
const whole = summarise(judged).p50;
console.log(
  `\nThe scorer adds ${(whole - base).toFixed(3)} ms p50 per message (goal ≤ 1 ms); whole check / lexicon alone = ${(whole / base).toFixed(2)}×`,
);
