import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { areaUnderCurve } from "../../bench/stats.js";
import { describe, expect, it } from "vitest";
import { crisisScore, trainCrisisModel } from "../../src/nlu/crisis-scorer.js";
import { projectRoot } from "../../src/paths.js";

interface CorpusMessage {
  readonly text: string;
  readonly lang: string;
  readonly label: "crisis" | "ordinary";
  readonly author: string;
}

/** Held-out AUC per language was 0.98-0.996 when this floor was set (2026-12-07, two authors in each of nine languages). */
const heldOutFloor = 0.95;

const corpusDir = path.join(projectRoot, "test", "safety", "corpus");

async function corpus(): Promise<CorpusMessage[]> {
  const names = (await readdir(corpusDir)).filter((name) => name.endsWith(".jsonl"));
  const files = await Promise.all(names.map((name) => readFile(path.join(corpusDir, name), "utf8")));
  return files.flatMap((text) =>
    text
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as CorpusMessage),
  );
}

/**
 * The blind protocol of issue 12: the scorer is trained on the first author of each language and judged on
 * the others, whose messages it never saw. Floors sit a little under what was reached when they were set.
 */
describe("the learned crisis scorer on authors it was not trained on", () => {
  it("ranks each held-out author's crisis messages above their ordinary ones, in every language", async () => {
    const messages = await corpus();
    const trainingAuthor = (author: string) => author.endsWith("-1");
    const model = trainCrisisModel(
      messages
        .filter((message) => trainingAuthor(message.author))
        .map((message) => ({
          text: message.text,
          crisis: message.label === "crisis",
        })),
    );
    const heldOut = messages.filter((message) => !trainingAuthor(message.author));
    const languages = [...new Set(heldOut.map((message) => message.lang))].sort();
    expect(languages).toEqual(["ara", "ben", "eng", "fas", "pus", "rus", "tgk", "urd", "uzb"]);
    for (const lang of languages) {
      const scores = (label: string) =>
        heldOut
          .filter((message) => message.lang === lang && message.label === label)
          .map((message) => crisisScore(model, message.text));
      expect({ lang, auc: areaUnderCurve(scores("crisis"), scores("ordinary")) > heldOutFloor }).toEqual({
        lang,
        auc: true,
      });
    }
  }, 60_000);
});
