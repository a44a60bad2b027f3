import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildCrisisModelFile } from "../../scripts/crisis-model-build.js";
import { readBlindSets } from "../../scripts/crisis-training-data.js";
import { crisisModelFileName, crisisModelFileSchema, loadCrisisModelData } from "../../src/nlu/crisis-model-file.js";
import { loadIntentFiles } from "../../src/nlu/intent-files.js";
import { SafetyDetector } from "../../src/nlu/safety-detector.js";
import { testConfig } from "../helpers/rahnama.js";

const intentsDir = testConfig().paths.intents;
const committedFile = path.join(intentsDir, "safety", crisisModelFileName);

/**
 * The shipped crisis model is what the repository's own files give (issue 12: "trained in the repository by
 * a script, no download"): retraining from test/safety and the intents' examples reproduces it, thresholds
 * and weights, so nobody can ship a model the corpus does not explain. After changing those files, run
 * `npm run train:crisis` and commit the result.
 */
describe("the committed crisis model", () => {
  it("is exactly what retraining from the repository gives", async () => {
    const committed = crisisModelFileSchema.parse(JSON.parse(await readFile(committedFile, "utf8")));
    const rebuilt = await buildCrisisModelFile(intentsDir, committed.trainedAt);
    expect(rebuilt.thresholds).toEqual(committed.thresholds);
    expect(rebuilt.trainedOn).toEqual(committed.trainedOn);
    expect(rebuilt.crisis.bias).toBeCloseTo(committed.crisis.bias, 6);
    expect(rebuilt.crisis.weights === committed.crisis.weights).toBe(true);
    expect(rebuilt.categories.weights === committed.categories.weights).toBe(true);
    expect(rebuilt.categories.categories).toEqual(committed.categories.categories);
  }, 180_000);

  it("refuses a file whose weights do not fit its size, with the file named", () => {
    expect(() =>
      loadCrisisModelData(
        {
          version: 1,
          trainedAt: "2026-12-07",
          thresholds: { triage: 0.3, escalate: 0.6, lexiconFloor: 0.05 },
          calibration: {},
          trainedOn: {},
          crisis: { bits: 10, bias: 0, scale: 1, weights: "AAAA" },
          categories: { bits: 10, categories: ["x"], biases: [0], scale: 1, weights: "AAAA" },
        },
        "crisis-model.json",
      ),
    ).toThrow(/weights do not match/);
    expect(() => loadCrisisModelData({ version: 1, thresholds: { triage: 0.9, escalate: 0.2 } }, "bad.json")).toThrow(
      /bad\.json/,
    );
  });

  it("with the lexicon, escalates or asks about every crisis of the blind sets and escalates few ordinary messages", async () => {
    const files = await loadIntentFiles(intentsDir);
    const committed = loadCrisisModelData(JSON.parse(await readFile(committedFile, "utf8")), committedFile);
    const detector = SafetyDetector.fromIntents(files.intents, committed);
    const blind = await readBlindSets();
    const verdicts = blind.map((message) => ({ message, verdict: detector.judge(message.text) }));
    const crises = verdicts.filter((entry) => entry.message.crisis);
    const ordinary = verdicts.filter((entry) => !entry.message.crisis);
    const missed = crises.filter((entry) => entry.verdict.decision === "ordinary").map((entry) => entry.message.text);
    expect(missed).toEqual([]);
    const escalated = crises.filter((entry) => entry.verdict.decision === "escalate").length / crises.length;
    expect(escalated).toBeGreaterThanOrEqual(0.9);
    const alarms = ordinary.filter((entry) => entry.verdict.decision === "escalate").length / ordinary.length;
    expect(alarms).toBeLessThanOrEqual(0.05);
    const asked = ordinary.filter((entry) => entry.verdict.decision === "triage").length / ordinary.length;
    expect(asked).toBeLessThanOrEqual(0.08);
  });
});
