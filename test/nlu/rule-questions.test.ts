import { describe, expect, it } from "vitest";
import { namesRussianPaperwork, ruleQuestion } from "../../src/nlu/rule-questions.js";

describe("questions the fact tables answer", () => {
  it("finds a patent price, a registration or notification deadline, a midday ban and a minimum wage in every script", () => {
    const cases: [string, string][] = [
      ["how much is the patent in moscow now?", "patent-price"],
      ["сколько стоит патент в Екатеринбурге?", "patent-price"],
      ["patent narxi qancha Tyumenda?", "patent-price"],
      ["патент дар Маскав чанд пул аст?", "patent-price"],
      ["how many days do I have to register after arriving in russia?", "registration-deadline"],
      ["в течение скольки дней надо встать на учет в России?", "registration-deadline"],
      ["Rossiyaga kelganimdan keyin necha kun ichida ro'yxatdan o'tishim kerak?", "registration-deadline"],
      ["когда подавать уведомление о трудовом договоре в МВД?", "job-notification"],
      ["patent olgandan keyin ish haqida xabarnoma qachongacha beriladi?", "job-notification"],
      ["what hours is outdoor work banned in summer in qatar?", "midday-ban"],
      ["سعودیہ میں گرمی میں دوپہر کو کام پر پابندی کس وقت ہوتی ہے؟", "midday-ban"],
      ["what is the minimum wage in malaysia?", "minimum-wage"],
      ["কাতারে ন্যূনতম বেতন কত?", "minimum-wage"],
      ["kuwait mein kam se kam tankhwa kitni hai?", "minimum-wage"],
      ["الحد الأدنى للأجور في قطر كم؟", "minimum-wage"],
      ["минимальная зарплата в Корее сколько?", "minimum-wage"],
      ["how many hours a day can they make me work in malaysia?", "working-hours"],
      ["kuwait mein overtime roz ka kitna zyada se zyada ho sakta hai", "working-hours"],
      ["په کویت کې په یوه ورځ کې څو ساعته اوور ټایم اجازه ده؟", "working-hours"],
      ["сколько часов в день можно работать в Сингапуре?", "working-hours"],
    ];
    for (const [question, kind] of cases) expect([question, ruleQuestion(question)]).toEqual([question, kind]);
  });

  it("leaves to the leaflets what only mentions a subject without asking the table's kind of fact", () => {
    for (const question of [
      "I lost my patent what to do",
      "how do I get a patent in russia",
      "who registers me in russia, the owner or me?",
      "is it safe to work outside in summer heat?",
      "arrival notification form where to get",
      "my salary is less than in my contract",
      "my shift is 12 hours",
      "регистрация надорам, ҷарима то чанд сӯм мешавад?",
      "без регистрации какой штраф, сколько дней дают?",
      // Another price asked about the patent: the exam's or the insurance's, not the patent's own.
      "сколько стоит экзамен для патента в москве?",
      "patent uchun sug'urta polisi qancha turadi?",
    ]) {
      expect([question, ruleQuestion(question)]).toEqual([question, null]);
    }
  });

  it("knows a patent and the MVD are Russia's paperwork", () => {
    expect(namesRussianPaperwork("сколько стоит патент?")).toBe(true);
    expect(namesRussianPaperwork("уведомление в МВД")).toBe(true);
    expect(namesRussianPaperwork("work permit in korea")).toBe(false);
  });
});
