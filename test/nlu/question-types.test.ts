import { describe, expect, it } from "vitest";
import { factQuestion } from "../../src/nlu/fact-questions.js";
import { questionGap } from "../../src/nlu/question-gaps.js";
import { questionKinds } from "../../src/nlu/question-kind.js";

describe("what kind of fact a question asks for", () => {
  it.each([
    ["how much is the patent in moscow", "amount"],
    ["koto taka lagbe malaysia jete", "amount"],
    ["سعودیہ کے لیے کتنے پیسے لگتے ہیں", "amount"],
    ["сколько стоит патент", "amount"],
    ["how many days do i have to register", "period"],
    ["kitne din mein visa aata hai", "period"],
    ["сколько дней без регистрации", "period"],
    ["what is the hotline number", "phone"],
    ["رقم الطوارئ في العراق", "phone"],
    ["which website do i check my status on", "website"],
  ])("%s asks for %s", (question, kind) => {
    expect(questionKinds(question)).toContain(kind);
  });

  it("asks for nothing in particular when the question is about a rule", () => {
    expect(questionKinds("can my employer keep my passport")).toEqual([]);
  });
});

describe("questions answered from the data files", () => {
  it.each([
    ["what is the police number in libya", "emergency-number"],
    ["emergency number in turkey for ambulance?", "emergency-number"],
    ["dubai te site e keu ojnan hoye gele kon number e call dibo?", "emergency-number"],
    ["رقم الطوارئ الموحد بالعراق شنو", "emergency-number"],
    ["what is the max cost bangladesh govt fixed for qatar", "cost-ceiling"],
    ["malaysia jete bd sorkar total khoroch koto fix korse?", "cost-ceiling"],
  ])("%s", (question, kind) => {
    expect(factQuestion(question)).toBe(kind);
  });

  it("leaves ordinary questions to the leaflets", () => {
    for (const question of ["how do i renew my patent", "my agent took my passport", "what is kafala"]) {
      expect(factQuestion(question), question).toBeNull();
    }
  });
});

describe("questions no leaflet can answer", () => {
  it.each([
    ["whats today riyal to taka rate?", "exchange-rate"],
    ["aj dubai dirham er rate koto taka?", "exchange-rate"],
    ["қурби рубл ба сомонӣ имрӯз чанд аст?", "exchange-rate"],
    ["есть сейчас вакансии на стройке в казани?", "vacancy"],
    ["is 'Gulf Star Overseas Employment' with licence no 2345/RWP genuine?", "named-agency"],
    ["شركة النور للسفريات بالكرادة مرخصة؟", "named-agency"],
  ])("%s", (question, gap) => {
    expect(questionGap(question)).toBe(gap);
  });

  it("still answers how to check an agency or where to look for vacancies", () => {
    for (const question of [
      "how can i check if an agency is licensed",
      "chet eldagi ish vakansiyalarini rasmiy qaysi platformada tekshirsa boladi?",
      "what is the remittance fee for sending money",
    ]) {
      expect(questionGap(question), question).toBeNull();
    }
  });
});
