import { readFile } from "node:fs/promises";
import path from "node:path";
import { areaUnderCurve } from "../../bench/stats.js";
import { describe, expect, it } from "vitest";
import {
  crisisScore,
  deserialiseCrisisModel,
  serialiseCrisisModel,
  trainCrisisModel,
  type CrisisExample,
} from "../../src/nlu/crisis-scorer.js";
import { projectRoot } from "../../src/paths.js";

async function messages(name: string, crisis: boolean): Promise<CrisisExample[]> {
  const text = await readFile(path.join(projectRoot, "test", "safety", name), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => ({ text: (JSON.parse(line) as { text: string }).text, crisis }));
}

describe("the learned crisis scorer", () => {
  it("trained on the team's sets, ranks crisis messages written by someone else above ordinary ones", async () => {
    const training = [
      ...(await messages("crisis.jsonl", true)),
      ...(await messages("dev-crisis.jsonl", true)),
      ...(await messages("ordinary.jsonl", false)),
      ...(await messages("dev-ordinary.jsonl", false)),
    ];
    const model = trainCrisisModel(training);
    const crises = (await messages("blind-crisis.jsonl", true)).map((example) => crisisScore(model, example.text));
    const ordinary = (await messages("blind-ordinary.jsonl", false)).map((example) => crisisScore(model, example.text));
    expect(areaUnderCurve(crises, ordinary)).toBeGreaterThan(0.9);
    // An untrained model cannot tell them apart.
    const untrained = trainCrisisModel([], { epochs: 0 });
    const flat = areaUnderCurve(
      crises.map((_, i) => crisisScore(untrained, String(i))),
      ordinary.map((_, i) => crisisScore(untrained, String(i))),
    );
    expect(flat).toBe(0.5);
  });

  it("is the same model after a round trip through its stored form, and the same on every training run", () => {
    const examples = [
      { text: "they locked us in the room and took our passports, help", crisis: true },
      { text: "how much does the patent cost in moscow?", crisis: false },
      { text: "my brother fell from the scaffolding and is bleeding", crisis: true },
      { text: "thank you brother", crisis: false },
    ];
    const model = trainCrisisModel(examples);
    const again = deserialiseCrisisModel(
      JSON.parse(JSON.stringify(serialiseCrisisModel(model))) as ReturnType<typeof serialiseCrisisModel>,
    );
    const text = "they took my passport and locked the door";
    expect(crisisScore(again, text)).toBeCloseTo(crisisScore(model, text), 2);
    expect(crisisScore(trainCrisisModel(examples), text)).toBe(crisisScore(model, text));
    expect(crisisScore(model, text)).toBeGreaterThan(crisisScore(model, "how much does the visa cost?"));
  });

  it("refuses stored weights of the wrong size instead of scoring with them", () => {
    expect(() =>
      deserialiseCrisisModel({ bits: 17, bias: 0, scale: 1, weights: Buffer.alloc(8).toString("base64") }),
    ).toThrow(/size/);
  });
});
