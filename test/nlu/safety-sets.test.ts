import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadIntentFiles } from "../../src/nlu/intent-files.js";
import { SafetyDetector } from "../../src/nlu/safety-detector.js";
import { testConfig } from "../helpers/rahnama.js";

/**
 * The safety sets in test/safety: crisis messages that must reach a counsellor at once, and ordinary
 * questions that must not set off an alarm, written the way people type in a hurry (misspelt,
 * romanised, mixed languages). `dev-*` tuned the lexicon. `crisis`/`ordinary` were held out until the
 * lexicon passed the dev sets (first reading 79/83 and 6/230), and `blind-*` was written afterwards by
 * someone who never saw the lexicon (first reading 47/54 and 3/108). Their misses were fixed by
 * widening concepts rather than copying sentences, so all three now guard against regressions.
 */
interface Line {
  text: string;
  lang: string;
  category?: string;
}

function read(name: string): Line[] {
  return readFileSync(new URL(`../safety/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Line);
}

const files = await loadIntentFiles(testConfig().paths.intents);
const detector = SafetyDetector.fromIntents(files.intents);
const languages = ["eng", "ben", "urd", "fas", "pus", "ara", "rus", "tgk", "uzb"];

describe.each([
  ["held-out", "crisis.jsonl", "ordinary.jsonl"],
  ["development", "dev-crisis.jsonl", "dev-ordinary.jsonl"],
  ["written blind", "blind-crisis.jsonl", "blind-ordinary.jsonl"],
])("safety set (%s)", (_name, crisisFile, ordinaryFile) => {
  const crisis = read(crisisFile);
  const ordinary = read(ordinaryFile);

  it("escalates every crisis message", () => {
    const missed = crisis.filter((line) => detector.detect(line.text) === null).map((line) => line.text);
    expect(missed).toEqual([]);
  });

  it("names the right kind of danger for at least 90 % of them", () => {
    const right = crisis.filter((line) => detector.detect(line.text)?.category === line.category).length;
    expect(right / crisis.length).toBeGreaterThanOrEqual(0.9);
  });

  it("raises a false alarm on at most 5 % of ordinary questions", () => {
    const alarms = ordinary.filter((line) => detector.detect(line.text) !== null);
    expect(alarms.length / ordinary.length).toBeLessThanOrEqual(0.05);
  });

  it("covers every supported language on both sides", () => {
    for (const lang of languages) {
      expect(crisis.some((line) => line.lang === lang)).toBe(true);
      expect(ordinary.some((line) => line.lang === lang)).toBe(true);
    }
  });
});

describe("the held-out sets are large enough to mean something", () => {
  it("has at least 60 crisis messages and 200 ordinary questions", () => {
    expect(read("crisis.jsonl").length).toBeGreaterThanOrEqual(60);
    expect(read("ordinary.jsonl").length).toBeGreaterThanOrEqual(200);
  });
});
