import { describe, expect, it } from "vitest";
import { countriesMentioned } from "../../src/i18n/countries.js";
import { latinToCyrillicText, uzbekCyrillicToLatin } from "../../src/nlu/transliterate.js";
import { ruleQuestion } from "../../src/nlu/rule-questions.js";

describe("Russian typed in Latin letters, read in Cyrillic", () => {
  it.each([
    ["kakoy nomer", "какой номер"],
    ["seychas", "сейчас"],
    ["stroyka", "стройка"],
    ["Ya iz Tashkenta", "я из ташкента"],
  ])("%s → %s", (latin, cyrillic) => {
    expect(latinToCyrillicText(latin)).toBe(cyrillic);
  });

  it("finds the country and the question in 'skolko minimalka v Malayzii seychas?'", () => {
    const question = "skolko minimalka v Malayzii seychas v ringgitah?";
    expect(countriesMentioned(question)).toContain("MY");
    expect(ruleQuestion(question, "rus")).toBe("minimum-wage");
  });
});

describe("Uzbek typed in Cyrillic, read in the Latin alphabet of the Uzbek leaflets", () => {
  it.each([
    ["Малайзияда касал бўлсам", "malayziyada kasal bo'lsam"],
    ["Ёзда қуёшда ишлаш тақиқланган", "yozda quyoshda ishlash taqiqlangan"],
    ["Европа ва Ғарб", "yevropa va g'arb"],
    ["энг кам иш ҳақи", "eng kam ish haqi"],
  ])("%s", (cyrillic, latin) => {
    expect(uzbekCyrillicToLatin(cyrillic)).toBe(latin);
  });
});
