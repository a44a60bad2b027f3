import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/nlu/language-detector.js";

describe("language detection of short chat messages", () => {
  it.each([
    ["how much does it cost to go to saudi arabia", "eng"],
    ["what is visa trading", "eng"],
    ["আমি বিদেশে যেতে চাই", "ben"],
    ["آپ کیسے ہیں؟ مجھے سعودی عرب جانا ہے", "urd"],
    ["سلام، می‌خواهم به آلمان بروم", "fas"],
    ["زه غواړم چې بهر کار وکړم", "pus"],
    ["مرحبا، أريد العمل في الخارج", "ara"],
    ["Привет, как получить патент?", "rus"],
    ["Салом, ман мехоҳам ба Русия равам", "tgk"],
    ["Salom, men Rossiyaga ishlash uchun bormoqchiman", "uzb"],
    ["Сәлеметсіз бе, мен Ресейде жұмыс істегім келеді", "kaz"],
    ["Саламатсызбы, мен Орусияда иштегим келет, жардам бериңиз", "kir"],
  ])("%s → %s", (text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });

  it.each([
    ["mujhe saudi jana hai kya karna hoga", "urd"],
    ["ami bidesh jete chai ki korbo", "ben"],
  ])("tells Roman Urdu and Banglish apart from English and Turkmen: %s", (text, lang) => {
    expect(detectLanguage(text)).toMatchObject({ lang, romanised: true });
  });

  it("does not guess from a word or two", () => {
    expect(detectLanguage("hi").confident).toBe(false);
    expect(detectLanguage("ok").lang).toBeNull();
    expect(detectLanguage("123 👍").lang).toBeNull();
  });
});
