import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  keyFactFiles,
  runKeyFacts,
  scoreKeyFacts,
  type KeyFactOutcome,
  type KeyFactScores,
} from "../../bench/key-fact-eval.js";
import type { Rahnama } from "../../src/bootstrap.js";
import { projectRoot } from "../../src/paths.js";
import { testRahnama } from "../helpers/rahnama.js";

/**
 * The held-out test parts of the blind key-fact sets, run through the whole bot: does the reply hold the
 * fact asked? Issue 11's goals are 0.85 in English and 0.75 in every other language, abstention right
 * 0.8 with at most 0.05 of answerable questions refused, follow-ups 0.75. The gate fails below each goal
 * (each floor was raised to its goal as the bot reached it, never lowered to let a change through), so
 * that no change makes answers worse unnoticed.
 */
// Set on the test parts of ten sets on 2026-12-07 (947 answerable: English 0.89, the others 0.70-0.90,
// overall 0.83, abstention 0.64, 0.02 refused, follow-ups 0.73), less a margin of two or three questions;
// with the eleventh set's test part (1,082 answerable) they read English 0.88, the others 0.71-0.90, overall
// 0.82, abstention 0.66, 0.03 refused, follow-ups 0.74. Raised on 2026-12-07 after specific subjects and thinly
// covered places, on fourteen sets' test parts (1,487 answerable: English 0.87, the others 0.72-0.90, overall
// 0.83, abstention 0.76, 0.04 refused, follow-ups 0.77), less the same margin. Raised to the goals where the
// test parts of nineteen sets reach them (2,297 answerable on 2026-12-07: English 0.88, the others 0.75-0.89,
// overall 0.84, follow-ups 0.81, abstention 0.79, 0.03 refused): every language and follow-ups now fail below
// their goals. Abstention reached its goal on 2026-12-07 (0.82 on the same parts, after figures must stand
// next to the subject asked and a section headed with another destination no longer answers): every goal
// of issue 11 is now a floor.
const floors = {
  english: 0.85,
  otherLanguage: 0.75,
  overall: 0.82,
  abstention: 0.8,
  wronglyRefusedAtMost: 0.05,
  followUps: 0.75,
};

describe("key facts in the replies, on the held-out blind questions", () => {
  let rahnama: Rahnama;
  let outcomes: KeyFactOutcome[];
  beforeAll(async () => {
    rahnama = await testRahnama();
    const files = await keyFactFiles(path.join(projectRoot, "test", "eval", "key-facts"), "test");
    outcomes = await runKeyFacts(rahnama, files);
  }, 600_000);
  afterAll(async () => {
    await rahnama.close();
  });

  const byLanguage = (): Map<string, KeyFactScores> => {
    const languages = [...new Set(outcomes.map((outcome) => outcome.question.lang))];
    return new Map(
      languages.map((lang) => [lang, scoreKeyFacts(outcomes.filter((outcome) => outcome.question.lang === lang))]),
    );
  };

  it("holds the asked fact in English and in every other language", () => {
    const failures: string[] = [];
    for (const [lang, scores] of byLanguage()) {
      const floor = lang === "eng" ? floors.english : floors.otherLanguage;
      if (scores.answerable.fact < floor)
        failures.push(`${lang}: ${scores.answerable.fact.toFixed(2)} < ${floor} (${scores.answerable.n} questions)`);
    }
    expect(byLanguage().size).toBe(9);
    expect(failures).toEqual([]);
    expect(scoreKeyFacts(outcomes).answerable.fact).toBeGreaterThanOrEqual(floors.overall);
  });

  it("says it does not know when no leaflet answers, without refusing answerable questions", () => {
    const scores = scoreKeyFacts(outcomes);
    expect(scores.abstain.n).toBeGreaterThan(0);
    expect(scores.abstain.right).toBeGreaterThanOrEqual(floors.abstention);
    expect(scores.wronglyRefused).toBeLessThanOrEqual(floors.wronglyRefusedAtMost);
  });

  it("never quotes a searched passage below its language's abstention threshold", () => {
    const scores = scoreKeyFacts(outcomes);
    expect(scores.belowThreshold.n).toBeGreaterThan(0);
    expect(scores.belowThreshold.share).toBe(0);
  });

  it("answers follow-ups from the question before", () => {
    const scores = scoreKeyFacts(outcomes);
    expect(scores.followUps.n).toBeGreaterThan(0);
    expect(scores.followUps.fact).toBeGreaterThanOrEqual(floors.followUps);
  });
});
