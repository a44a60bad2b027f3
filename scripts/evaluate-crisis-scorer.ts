import { areaUnderCurve } from "../bench/stats.js";
import { crisisScore, trainCrisisModel, type CrisisExample } from "../src/nlu/crisis-scorer.js";
import { readCorpus, readSafetySet, type LabelledMessage } from "./crisis-training-data.js";

/**
 * How well the learned crisis scorer generalises to authors it never saw (issue 12): for each author of
 * the corpus in test/safety/corpus, train on every other author and score this one's messages; then train
 * on the whole corpus and score the independently written blind sets (test/safety/blind-*.jsonl).
 *   npx tsx scripts/evaluate-crisis-scorer.ts
 */
const thresholds = [0.3, 0.5, 0.7];

function row(name: string, crises: readonly number[], ordinary: readonly number[]): string {
  const share = (scores: readonly number[], at: number) =>
    (scores.filter((score) => score >= at).length / Math.max(1, scores.length)).toFixed(2);
  const cells = thresholds.map((at) => `${share(crises, at)} / ${share(ordinary, at)}`);
  return [
    name.padEnd(22),
    String(crises.length).padStart(4),
    String(ordinary.length).padStart(4),
    areaUnderCurve(crises, ordinary).toFixed(3).padStart(6),
    ...cells.map((cell) => cell.padStart(12)),
  ].join("  ");
}

const corpus = await readCorpus();
const authors = [...new Set(corpus.map((message) => message.author))];
console.log(`Crisis scorer, ${corpus.length} corpus messages by ${authors.length} authors\n`);
console.log(
  ["held-out".padEnd(22), "cri".padStart(4), "ord".padStart(4), "AUC".padStart(6)]
    .concat(thresholds.map((at) => `caught/false@${at}`.padStart(12)))
    .join("  "),
);
const toExample = (message: LabelledMessage): CrisisExample => ({ text: message.text, crisis: message.crisis });
for (const author of authors) {
  const model = trainCrisisModel(corpus.filter((message) => message.author !== author).map(toExample));
  const own = corpus.filter((message) => message.author === author);
  const scores = (label: string) =>
    own.filter((message) => message.crisis === (label === "crisis")).map((message) => crisisScore(model, message.text));
  console.log(row(author ?? "team", scores("crisis"), scores("ordinary")));
}
const whole = trainCrisisModel(corpus.map(toExample));
const blindCrisis = (await readSafetySet("blind-crisis.jsonl", true)).map((example) =>
  crisisScore(whole, example.text),
);
const blindOrdinary = (await readSafetySet("blind-ordinary.jsonl", false)).map((example) =>
  crisisScore(whole, example.text),
);
console.log(row("blind set (all langs)", blindCrisis, blindOrdinary));
