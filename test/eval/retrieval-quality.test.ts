import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
} from "../../bench/evaluate.js";
import type { Rahnama } from "../../src/bootstrap.js";
import { testRahnama } from "../helpers/rahnama.js";

/**
 * The knowledge issue's quality bar, on our own question sets (written the way migrants type): hit@3
 * at least 0.9 in English and 0.8 in every other language, and off-topic chatter left unanswered.
 * `npm run eval` prints the same figures per language and topic, next to plain BM25.
 */
describe("retrieval quality on our own question sets", () => {
  let rahnama: Rahnama;
  let results: QuestionResult[];
  beforeAll(async () => {
    rahnama = await testRahnama();
    const files = await questionFiles(fileURLToPath(new URL(".", import.meta.url)));
    results = await evaluate(rahnama.services.knowledge, await loadQuestions(files));
  }, 300_000);
  afterAll(async () => {
    await rahnama.close();
  });

  it("covers every reply language", () => {
    const languages = new Set(results.map((result) => result.question.lang));
    for (const lang of ["eng", "ben", "urd", "fas", "pus", "ara", "rus", "tgk", "uzb"])
      expect(languages).toContain(lang);
  });

  it("finds a right leaflet in the top 3 often enough in every language", () => {
    const byLanguage = groupBy(
      results.filter((result) => !isOffTopic(result.question)),
      (result) => result.question.lang,
    );
    const failures: string[] = [];
    for (const [lang, items] of byLanguage) {
      const target = targetHit3(items[0]?.question.lang ?? "eng");
      const { hit3, n } = score(items, "ours");
      if (hit3 < target) failures.push(`${lang}: hit@3 ${hit3.toFixed(2)} < ${target} (${n} questions)`);
    }
    expect(failures).toEqual([]);
  });

  it("beats plain BM25 overall", () => {
    const answerable = results.filter((result) => !isOffTopic(result.question));
    expect(score(answerable, "ours").mrr).toBeGreaterThan(score(answerable, "baseline").mrr);
  });

  it("leaves off-topic chatter unanswered instead of quoting a leaflet", () => {
    expect(falseAnswerRate(results, "ours").rate).toBeLessThanOrEqual(0.15);
  });
});
