import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { intentThreshold } from "../../src/core/stages.js";
import { LexicalIntentClassifier } from "../../src/nlu/intent-classifier.js";
import { loadIntentFiles } from "../../src/nlu/intent-files.js";
import { replyLanguages } from "../../src/i18n/languages.js";
import { testConfig } from "../helpers/rahnama.js";

const files = await loadIntentFiles(testConfig().paths.intents);
const classifier = new LexicalIntentClassifier(
  files.intents
    .filter((intent) => intent.id !== "safety" && intent.id !== "fallback")
    .flatMap((intent) =>
      Object.values(intent.examples).flatMap((list) => (list ?? []).map((text) => ({ intent: intent.id, text }))),
    ),
);

describe("intent files", () => {
  it("have every reply in every reply language, so nobody gets a silent English fallback", () => {
    for (const intent of files.intents) {
      for (const [key, texts] of Object.entries(intent.replies)) {
        for (const lang of replyLanguages) expect(texts[lang], `${intent.id}.${key} in ${lang}`).toBeTruthy();
      }
    }
    for (const [key, texts] of Object.entries(files.common)) {
      for (const lang of replyLanguages) expect(texts[lang], `common.${key} in ${lang}`).toBeTruthy();
    }
  });

  it("give each classified intent examples in every reply language", () => {
    for (const intent of files.intents.filter((i) => !["safety", "fallback"].includes(i.id))) {
      for (const lang of replyLanguages)
        expect(intent.examples[lang]?.length, `${intent.id} examples in ${lang}`).toBeGreaterThan(0);
    }
  });
});

describe("intent classifier", () => {
  // Phrasings not in the training examples (misspelt, mixed, with extra words).
  it.each([
    ["helo there", "greeting"],
    ["Assalamu alaikum bhai", "greeting"],
    ["салам алейкум", "greeting"],
    ["thanks a lot!", "thanks-bye"],
    ["ধন্যবাদ ভাই", "thanks-bye"],
    ["i want to talk to a real human counsellor", "counsellor"],
    ["کونسلر سے بات کرنی ہے", "counsellor"],
    ["хочу поговорить с консультантом", "counsellor"],
    ["please change the language", "change-language"],
  ])("%s → %s", (text, intent) => {
    const { best } = classifier.predict(text);
    expect(best?.intent).toBe(intent);
    expect(best?.score).toBeGreaterThanOrEqual(intentThreshold);
  });

  it.each([
    ["how much does it cost to go to saudi arabia", "recruitment-costs"],
    ["what documents do i need for a work visa in malaysia", "documents"],
  ])("sends a question on a leaflet topic to that topic's intent: %s", (text, intent) => {
    expect(classifier.predict(text).best?.intent).toBe(intent);
  });

  it.each(["the sky is blue today and birds sing", "qwerty asdf", "মাছ ভাত খাব আজ রাতে"])(
    "is not sure about unrelated text: %s",
    (text) => {
      expect(classifier.predict(text).best?.score ?? 0).toBeLessThan(intentThreshold);
    },
  );
});

describe("intent classifier on held-out questions (test/eval/intents, never used for training)", () => {
  // Written by other people than the examples, per language; the bench (npm run eval:intents) reports
  // the same sets against NLP.js. The floors sit a little under today's figures to catch regressions.
  it.each(replyLanguages)("%s: picks the right intent for most, and is rarely wrong when it answers", (lang) => {
    const rows = readFileSync(new URL(`../eval/intents/${lang}.jsonl`, import.meta.url), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { text: string; intent: string });
    let right = 0;
    let answered = 0;
    let answeredRight = 0;
    for (const row of rows) {
      const { best } = classifier.predict(row.text);
      if (best?.intent === row.intent) right += 1;
      if (best && best.score >= intentThreshold) {
        answered += 1;
        if (best.intent === row.intent) answeredRight += 1;
      }
    }
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(right / rows.length).toBeGreaterThanOrEqual(0.85);
    expect(answeredRight / answered).toBeGreaterThanOrEqual(0.9);
  });
});
