import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { areaUnderCurve } from "../bench/stats.js";
import { crisisScore, trainCrisisModel, type CrisisExample } from "../src/nlu/crisis-scorer.js";
import { projectRoot } from "../src/paths.js";

/**
 * How well the learned crisis scorer generalises to authors it never saw (issue 12): for each author of
 * the corpus in test/safety/corpus, train on every other author and score this one's messages; then train
 * on the whole corpus and score the independently written blind sets (test/safety/blind-*.jsonl).
 *   npx tsx scripts/evaluate-crisis-scorer.ts
 */
const corpusLine = z.object({
  text: z.string().min(1),
  lang: z.string().length(3),
  label: z.enum(["crisis", "ordinary"]),
  category: z.string(),
  danger_now: z.boolean(),
  register: z.string(),
  author: z.string().min(1),
});
type CorpusMessage = z.infer<typeof corpusLine>;

async function readCorpus(dir: string): Promise<CorpusMessage[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();
  const messages: CorpusMessage[] = [];
  for (const name of names) {
    const lines = (await readFile(path.join(dir, name), "utf8")).split("\n");
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const parsed = corpusLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${name}:${index + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      messages.push(parsed.data);
    });
  }
  return messages;
}

async function readBlind(name: string, crisis: boolean): Promise<CrisisExample[]> {
  const text = await readFile(path.join(projectRoot, "test", "safety", name), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => ({ text: z.object({ text: z.string() }).parse(JSON.parse(line)).text, crisis }));
}

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

const corpus = await readCorpus(path.join(projectRoot, "test", "safety", "corpus"));
const authors = [...new Set(corpus.map((message) => message.author))];
console.log(`Crisis scorer, ${corpus.length} corpus messages by ${authors.length} authors\n`);
console.log(
  ["held-out".padEnd(22), "cri".padStart(4), "ord".padStart(4), "AUC".padStart(6)]
    .concat(thresholds.map((at) => `caught/false@${at}`.padStart(12)))
    .join("  "),
);
const toExample = (message: CorpusMessage): CrisisExample => ({
  text: message.text,
  crisis: message.label === "crisis",
});
for (const author of authors) {
  const model = trainCrisisModel(corpus.filter((message) => message.author !== author).map(toExample));
  const own = corpus.filter((message) => message.author === author);
  const scores = (label: string) =>
    own.filter((message) => message.label === label).map((message) => crisisScore(model, message.text));
  console.log(row(author, scores("crisis"), scores("ordinary")));
}
const whole = trainCrisisModel(corpus.map(toExample));
const blindCrisis = (await readBlind("blind-crisis.jsonl", true)).map((example) => crisisScore(whole, example.text));
const blindOrdinary = (await readBlind("blind-ordinary.jsonl", false)).map((example) =>
  crisisScore(whole, example.text),
);
console.log(row("blind set (all langs)", blindCrisis, blindOrdinary));
