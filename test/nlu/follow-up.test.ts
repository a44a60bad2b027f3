import { beforeAll, describe, expect, it } from "vitest";
import type { LanguageCode } from "../../src/i18n/languages.js";
import {
  carryPlace,
  renumberFollowUp,
  followUpWithChatter,
  followUpTarget,
  isConditionFollowUp,
  isEllipticalFollowUp,
  resolveFollowUp,
} from "../../src/nlu/follow-up.js";
import { projectRoot } from "../../src/paths.js";
import { Glossary } from "../../src/retrieval/glossary.js";

describe("follow-up questions", () => {
  it.each([
    ["and for Lebanon?", ["LB"], []],
    ["what about for drivers?", [], ["drivers"]],
    ["ar singapore er jonno?", ["SG"], []],
    ["а в Екатеринбурге?", ["RU"], []],
    ["اور قطر میں؟", ["QA"], []],
    ["আর বাহরাইনে?", ["BH"], []],
    ["and kyrgyz ppl?", ["KG"], []],
    ["وفي الكويت؟", ["KW"], []],
    ["and for housemaids?", [], ["housemaids"]],
    ["wa dar peterburg chi?", ["RU"], []],
    ["w b italia?", ["IT"], []],
    ["а если кыргыз?", ["KG"], []],
    ["and for kyrgyz citizens?", ["KG"], []],
    ["aur ghar ki kaam wali ke liye?", [], ["ghar"]],
    ["what about for house driver?", [], ["driver"]],
    ["وللعاملات بالبيوت؟", [], ["وللعاملات", "بالبیوت"]],
    ["what if he was from kyrgyzstan", ["KG"], []],
    ["Kuvaytda-chi?", ["KW"], []],
    // A group with one word the lists lack beside it ("for the servant of the house?").
    ["برای خدمتکار خانه چی؟", [], ["خدمتکار"]],
    // "Work", "doing" said with the group add no subject: "and for the maid who works at home?"
    ["aur ghar mein kaam karne wali maid ki?", [], ["ghar", "maid"]],
    ["and for men working on farms?", [], ["men", "farms"]],
    ["aur auraton ke liye helpline?", [], ["auraton"]],
  ])("%s names a new place or group and nothing else", (text, places, groups) => {
    expect(followUpTarget(text)).toEqual({ places, groups, years: [] });
  });

  it.each([
    "what is the minimum wage in qatar",
    "what visa for qatar",
    "and is the visa free for qatar?",
    "my passport was taken in dubai",
    "thanks",
    "how much for a patent in moscow",
    "I am from Bangladesh",
  ])("%s is a question of its own", (text) => {
    expect(followUpTarget(text)).toBeNull();
  });

  it("asks the previous question again with the new place instead of the old one", () => {
    expect(resolveFollowUp("how many days notice to change job in qatar", "and kuwait?")).toBe(
      "how many days notice to change job in kuwait",
    );
    expect(resolveFollowUp("abu dhabi minimum wage for cleaners", "and in doha?")).toBe(
      "minimum wage for cleaners doha",
    );
    expect(resolveFollowUp("minimum wage in kuwait", "and for housemaids?")).toBe("minimum wage in kuwait housemaids");
    // Another city of the same country, and "how much" asked again, which adds no subject.
    expect(resolveFollowUp("сколько стоит патент в москве в месяц", "а в питере скок?")).toBe(
      "сколько стоит патент в в месяц питере",
    );
    // A nationality replaces the nationality, not the destination; a destination keeps the origin.
    expect(resolveFollowUp("ozbeklar rossiyaga necha kun registratsiyasiz", "qirgizlar-chi?")).toBe(
      "rossiyaga necha kun registratsiyasiz qirgizlar",
    );
    expect(resolveFollowUp("notice to change job from pakistan to qatar", "and kuwait?")).toBe(
      "notice to change job from pakistan to kuwait",
    );
    expect(resolveFollowUp("qatar minimum wage kitni hai", "aur kuwait mein kitni?")).toBe(
      "minimum wage kitni hai kuwait",
    );
  });

  it("asks the previous question again for another year, in any script", () => {
    expect(resolveFollowUp("korea minimum wage per hour in 2026", "and in 2025?")).toBe(
      "korea minimum wage per hour in 2025",
    );
    expect(followUpTarget("2025 da qancha edi?")?.years).toEqual(["2025"]);
    expect(followUpTarget("а в ۲۰۲۴ году сколько было?")?.years).toEqual(["2024"]);
    // A story that mentions a year is a question of its own.
    expect(followUpTarget("I came in 2019 and my boss took my passport")).toBeNull();
  });

  it("finds the follow-up in one sentence when the others only tell about the person", () => {
    expect(followUpWithChatter("and for Oman? my cousin is moving there next month.")).toEqual({
      followUp: "and for Oman?",
      chatter: "my cousin is moving there next month.",
    });
    expect(followUpWithChatter("а в Поволжье? я в Самару переезжаю")?.followUp).toBe("а в Поволжье?");
    // Another sentence that asks something is a question of its own.
    expect(followUpWithChatter("and for Oman? how much is the visa there?")).toBeNull();
    expect(followUpWithChatter("and for Oman?")).toBeNull();
  });

  it("reads a follow-up about someone else of another nationality, or asking 'from what time' again", () => {
    expect(resolveFollowUp("im tajik, how many days to register in russia?", "what about my kyrgyz friend?")).toBe(
      "im how many days to register in russia kyrgyz",
    );
    expect(
      resolveFollowUp("Rossiyada o'zbeklar necha kun ichida registratsiya qiladi?", "qozoq bo'lsa-chi? xotinim qozoq"),
    ).toMatch(/^rossiyada necha kun .*qozoq/);
    expect(resolveFollowUp("dammame dupure kaj koyta theke bondho?", "kuwait e koyta theke?")).toMatch(
      /^dupure kaj .*kuwait/,
    );
  });
});

describe("short follow-ups that ask something more of the same subject", () => {
  let glossary: Glossary;
  beforeAll(async () => {
    glossary = await Glossary.load(`${projectRoot}/knowledge`);
  });
  const elliptical = (text: string, previous: string, lang: LanguageCode = "eng") =>
    isEllipticalFollowUp(text, previous, (words) => glossary.subjects(words, lang));

  it.each<[string, string, LanguageCode]>([
    ["how much a month?", "what is the minimum wage in korea per hour for eps workers", "eng"],
    ["and the fee?", "how long does a work permit take in qatar", "eng"],
    ["а в месяц сколько выходит?", "какая минимальная зарплата в корее в час?", "rus"],
    ["kitne din lagte hain?", "saudi ke liye protector kaise karwayen", "urd"],
    ["او امبولانس؟", "په ایران کې د پولیسو بیړنی نمبر څو دی؟", "pus"],
    ["а скорая?", "какой номер полиции в казахстане?", "rus"],
    // Uzbek puts "what about" after the word: "and a month?"
    ["oyiga-chi?", "Koreyada 2026 yil eng kam ish haqi soatiga qancha?", "uzb"],
  ])("%s asks about the previous question's subject", (text, previous, lang) => {
    expect(elliptical(text, previous, lang)).toBe(true);
  });

  it.each<[string, string, LanguageCode]>([
    ["how much is a passport?", "how much is the patent in moscow", "eng"],
    ["thanks a lot", "how much is the patent in moscow", "eng"],
    ["and in doha?", "minimum wage in kuwait", "eng"],
    ["what is the minimum wage in malaysia for foreign workers and how is it paid", "and in korea", "eng"],
    ["сколько стоит паспорт?", "сколько стоит патент в москве", "rus"],
  ])("%s is a question of its own", (text, previous, lang) => {
    expect(elliptical(text, previous, lang)).toBe(false);
  });
});

describe("a question that goes on about the previous question's place", () => {
  it("adds the previous question's destination, as it was written, to one that names none", () => {
    expect(carryPlace("а если жильё не дают, сколько доплачивают?", "минимальная зарплата в катаре", "rus")).toBe(
      "а если жильё не дают, сколько доплачивают? катаре",
    );
    expect(carryPlace("and if my employer keeps my passport?", "can I change jobs in qatar", "eng")).toBe(
      "and if my employer keeps my passport? qatar",
    );
    // Arabic glues "in" to the name; the leaflets write "بلجيكا".
    expect(carryPlace("والقرض شكد چان؟", "اني عراقي ببلجيكا واريد ارجع للعراق", "ara")).toMatch(/ بلج[يی][كک]ا$/u);
  });

  it("carries a town of the asker's own country the previous question named", () => {
    expect(
      carryPlace(
        "و اگه به ولایت خود بریم برای کرایه خانه هم پول میدن؟ چند",
        "ما از پاکستان از راه تورخم برگشتیم، به هر فامیل چقدر پول نقد میدن؟",
        "fas",
      ),
    ).toMatch(/تورخم$/u);
  });

  it("carries a city as it was written", () => {
    expect(
      carryPlace("and how long company has to send him back home?", "my brother in Sohar, Oman got fired", "eng"),
    ).toMatch(/sohar/i);
  });

  it("carries the place to a short question that asks for a fact without 'and'", () => {
    expect(
      carryPlace("ওভারটাইম মাসে সর্বোচ্চ কত ঘণ্টা?", "মালয়েশিয়াতে দিনে কত ঘণ্টার বেশি কাজ করাইতে পারে না?", "ben"),
    ).toBe("ওভারটাইম মাসে সর্বোচ্চ কত ঘণ্টা? মালয়েশিয়াতে");
    expect(carryPlace("how much is a passport?", "minimum wage in qatar", "eng")).toBe("how much is a passport? qatar");
  });

  it("leaves alone a question that names its own place, asks nothing short, or follows one about no destination", () => {
    expect(carryPlace("and in kuwait?", "minimum wage in qatar", "eng")).toBeNull();
    expect(
      carryPlace("my employer says I must pay him back for the visa he bought for me", "minimum wage in qatar", "eng"),
    ).toBeNull();
    expect(carryPlace("and if I found the job myself?", "how much can an OEP charge in pakistan", "eng")).toBeNull();
  });
});

describe("the previous question asked again about another figure", () => {
  it("changes the previous question's first figure, in any script's digits", () => {
    expect(renumberFollowUp("10 bochorer tar?", "৫ বছর মেয়াদি ৪৮ পাতার পাসপোর্ট করতে কত টাকা লাগে?")).toBe(
      "10 বছর মেয়াদি ৪৮ পাতার পাসপোর্ট করতে কত টাকা লাগে? bochorer tar",
    );
    expect(renumberFollowUp("а за 3 месяца?", "сколько стоит патент на 1 месяц в москве в 2025")).toBe(
      "сколько стоит патент на 3 месяц в москве в 2025 за месяца",
    );
  });

  it("leaves alone a message that is more than a figure, a year, or follows a question with no figure", () => {
    expect(
      renumberFollowUp("I have 2 kids and my wife wants to come too, what visa?", "how much is a 5 year passport"),
    ).toBeNull();
    expect(renumberFollowUp("and 2025?", "how much was the patent in moscow in 2024")).toBeNull();
    expect(renumberFollowUp("10 bochorer ta?", "passport er dam koto?")).toBeNull();
    expect(renumberFollowUp("I am 41", "how much is a 5 year passport")).toBeNull();
  });
});

describe("the previous question under a new condition", () => {
  it.each([
    "and if i found the job myself?",
    "او که د اوسېدو ځای نه راکوي؟",
    "aur agar job maine khud dhoondi ho to?",
    "а если без договора?",
    // Arabic glues "and" to "if"
    "واذا الشركة ما تنطي سكن؟",
  ])("%s", (text) => {
    expect(isConditionFollowUp(text)).toBe(true);
  });

  it("leaves a question of its own, and a message that is no clause, alone", () => {
    expect(isConditionFollowUp("and if they give no housing, how much more do they pay?")).toBe(false);
    expect(isConditionFollowUp("if")).toBe(false);
    expect(isConditionFollowUp("my brother is in qatar and he has no contract")).toBe(false);
  });
});
