import { describe, expect, it } from "vitest";
import { loadIntentFiles } from "../../src/nlu/intent-files.js";
import { SafetyDetector } from "../../src/nlu/safety-detector.js";
import { testConfig } from "../helpers/rahnama.js";

const files = await loadIntentFiles(testConfig().paths.intents);
const detector = SafetyDetector.fromIntents(files.intents);

describe("safety detector", () => {
  it.each([
    ["my boss took my passport and won't give it back", "confiscated-documents"],
    ["The agent has my passport", "confiscated-documents"],
    ["they lock us in the room at night", "forced-labour"],
    ["I haven't been paid my salary for 4 months", "unpaid-wages"],
    ["my employer beats me", "violence"],
    ["he threatened to kill me if I tell anyone", "threat-to-life"],
    ["I want to kill myself", "suicide"],
    ["مالک نے میرا پاسپورٹ رکھ لیا ہے", "confiscated-documents"],
    ["মালিক আমার পাসপোর্ট আটকে রেখেছে", "confiscated-documents"],
    ["работодатель забрал паспорт", "confiscated-documents"],
    ["کفیل جوازي محجوز عنده", "confiscated-documents"],
  ])("%s → %s", (text, category) => {
    expect(detector.detect(text)?.category).toBe(category);
  });

  it.each([
    "Why does the kafeel keep your passport?",
    "What is debt bondage?",
    "how much does a passport cost",
    "how is salary paid in malaysia",
    "I have no idea how to pay the agent",
    "what is human trafficking",
    "is it safe to work in qatar in summer",
    "is it legal for an employer to keep a worker's passport?",
    "can the company legally hold the passports of its workers?",
  ])("does not raise an alarm for an ordinary question: %s", (text) => {
    expect(detector.detect(text)).toBeNull();
  });

  it.each([
    ["my employer kept my passport, is it legal?", "confiscated-documents"],
    ["is it legal for the kafeel to keep my passport for 2 years, he still has it", "confiscated-documents"],
    ["they took our passports at the airport and we are locked in a house", "confiscated-documents"],
  ])("a law question about one's own passport still escalates: %s", (text, category) => {
    expect(detector.detect(text)?.category).toBe(category);
  });
});
