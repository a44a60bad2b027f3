import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import type { Outbound } from "../../src/core/message.js";
import { countryName } from "../../src/i18n/countries.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { projectRoot } from "../../src/paths.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

const textOf = (replies: readonly Outbound[]) => replies.map((reply) => stripDirectionMarks(reply.text)).join("\n");
const cited = (replies: readonly Outbound[]) => replies.flatMap((reply) => reply.citations.map((c) => c.leafletId));

describe("answers that hold the fact asked", () => {
  let rahnama: Rahnama;
  let store: MemoryStore;
  beforeAll(async () => {
    store = new MemoryStore();
    rahnama = await testRahnama({ store });
  });
  afterAll(async () => {
    await rahnama.close();
  });
  const text = (namespace: string, key: string, lang = "eng" as const, vars: Record<string, string> = {}) =>
    rahnama.services.texts.get(namespace, key, lang, vars).text;

  it("asks the previous question again about the place a follow-up names", async () => {
    const send = chat(rahnama, "follow-up-wage");
    const first = await send("what is the minimum wage in malaysia for foreign workers");
    expect(textOf(first)).toContain("RM1,700");
    const second = await send("and in korea?");
    expect(textOf(second)).toMatch(/10,320/);
    expect(cited(second)).toContain("dest-korea-eps-wages");
  });

  it("answers a short follow-up about the previous question's subject and place", async () => {
    const send = chat(rahnama, "follow-up-month");
    expect(textOf(await send("what is the minimum wage in korea per hour for eps workers"))).toContain("10,320");
    const second = await send("how much a month?");
    expect(textOf(second)).toContain("2,156,880");
    expect(cited(second)).toContain("dest-korea-eps-wages");
  });

  it("answers a follow-up about last year's figure from the table that gives it", async () => {
    const send = chat(rahnama, "follow-up-year");
    expect(textOf(await send("Koreyada eng kam ish haqi soatiga qancha?"))).toContain("10,320");
    expect(textOf(await send("o'tgan yil 2025 da-chi?"))).toContain("10,030");
  });

  it("carries a question the safety reply answered into the next one about another country", async () => {
    const send = chat(rahnama, "follow-up-after-safety");
    const first = await send("мне в саудии 3 месяца зарплату не платят, хозяин паспорт забрал, куда звонить?");
    expect(first.at(-1)?.meta.intent).toBe("safety");
    expect(cited(first).length).toBeGreaterThan(0);
    expect(textOf(await send("а в Катаре куда?"))).toMatch(/16008|92727/);
  });

  it("keeps a Pakistani's office named in the first question for the follow-up under a new condition", async () => {
    const send = chat(rahnama, "follow-up-office-origin");
    await send("OEP زما نه د کویټ د ویزې لپاره د خدمت فیس تر ټولو زیات څومره اخلي؟");
    expect(textOf(await send("او که وظیفه ما پخپله موندلې وي؟"))).toMatch(/6,000/);
  });

  it("gives the Volga region's representative when a follow-up names the region, with a word about the person", async () => {
    const send = chat(rahnama, "follow-up-volga");
    await send("Нужен номер представителя Минтруда Таджикистана в Москве");
    expect(textOf(await send("а по Поволжью? я в Самару переезжаю"))).toMatch(/311-52-53/);
  });

  it("says how many Tajiks were on Russia's list of controlled persons, in Tajik", async () => {
    const replies = await chat(rahnama, "rkl-count")("чанд ҳазор тоҷик дар рӯйхати РКЛ ҳастанд?");
    expect(textOf(replies)).toMatch(/120,000/);
  });

  it("tells a Pakistani what joining the OPF costs for someone not registered automatically", async () => {
    const replies = await chat(rahnama, "opf-join")("ابو OPF میں خود بخود رجسٹر نہیں ہوئے، ممبر بننے کی فیس کتنی ہے؟");
    expect(textOf(replies)).toMatch(/4,000/);
  });

  it("reads a returnee's 'back from Pakistan' and the border town they crossed at, in Dari", async () => {
    const send = chat(rahnama, "returnee-torkham");
    const replies = await send(
      "فامیل ما از پاکستان پس آمدیم از راه تورخم، در سرحد برای هر فامیل چند افغانی پول میدهند؟",
    );
    expect(textOf(replies)).toMatch(/10,000/);
    expect(cited(replies)).toContain("af-returnees-from-pakistan-iran");
    // Coming back from Pakistan does not make the asker a Pakistani: no Pakistani MRC is offered.
    expect(textOf(await send("MRC کجاست؟"))).not.toMatch(/پاکستان|Pakistan/);
  });

  it("answers 'until what date' from the section that gives the dates, not the one about who the ban covers", async () => {
    const replies = await chat(
      rahnama,
      "date-question",
    )("До какой даты в Ростовской области мигрантам нельзя работать курьерами?");
    expect(textOf(replies)).toMatch(/31 декабря/);
  });

  it("answers a question about a share with the section that gives the percentage", async () => {
    const replies = await chat(rahnama, "share-question")("بكردستان شكد نسبة الموظفين الاجانب المسموح بالشركة؟");
    expect(textOf(replies)).toMatch(/75\s?%|٧٥/);
  });

  it("gives the helpline of the ministry whose country is named, not of the country the caller is in", async () => {
    const replies = await chat(
      rahnama,
      "ministry-home",
    )("Из России как позвонить на линию доверия МВД Таджикистана, номер телефона?");
    const tajik = rahnama.services.directory.hotlinesIn("TJ", ["police"]).map((line) => line.number);
    expect(tajik.length).toBeGreaterThan(0);
    expect(tajik.some((number) => textOf(replies).includes(number))).toBe(true);
  });

  it("gives a country's emergency numbers from the directory, with their sources", async () => {
    const replies = await chat(
      rahnama,
      "emergency-libya",
    )("my brother is in tripoli libya, what is the police number?");
    const answer = textOf(replies);
    const libya = rahnama.services.directory.hotlinesIn("LY", ["emergency", "police"])[0];
    expect(libya).toBeDefined();
    expect(answer).toContain(`🚨 ${libya?.number} —`);
    expect(answer).toMatch(/\(.+, \d{4}(-\d{2}){0,2}\)/);
  });

  it("gives the directory's labour complaints line when asked which number to call in Qatar", async () => {
    const replies = await chat(
      rahnama,
      "helpline-qatar",
    )("which number do i call in qatar to complain about my employer?");
    const qatar = rahnama.services.directory.hotlinesIn("QA", ["labour-complaints"])[0];
    expect(qatar).toBeDefined();
    expect(textOf(replies)).toContain(`🚨 ${qatar?.number} —`);
  });

  it("tells the maximum a route allows when that is what is asked, with its year", async () => {
    const replies = await chat(
      rahnama,
      "ceiling-qatar",
    )("what is the most an agency may charge to go from bangladesh to qatar?");
    const answer = textOf(replies);
    const rule = rahnama.services.fees.forRoute("BD", "QA")[0];
    expect(rule).toBeDefined();
    expect(answer).toContain("Tk 1,00,780");
    expect(answer).toContain(text("fee-check", "as_of", "eng", { year: String(rule?.as_of) }));
  });

  it("shows the maximum when the person does not know the amount, and names countries in their language", async () => {
    const send = chat(rahnama, "fee-unknown-amount");
    await send("আমি বাংলাদেশ থেকে");
    const started = await send("", { action: "intent:fee-check" });
    const titles = started.flatMap((reply) => reply.quickReplies.map((q) => q.title));
    for (const title of titles) expect(title, "a country button shows a code").not.toMatch(/^[A-Z]{2}$/);
    expect(titles).toContain("কাতার");
    await send("", { action: "flow:country:QA" });
    const answer = await send("জানি না");
    expect(textOf(answer)).toContain("Tk 1,00,780");
  });

  it("says it cannot give today's exchange rate, and records the gap without the question's words", async () => {
    const send = chat(rahnama, "gap-rate");
    const replies = await send("what is today's riyal to taka rate? i want to send money tonight");
    expect(textOf(replies)).toBe(text("fallback", "gap_exchange_rate"));
    expect(cited(replies)).toEqual([]);
    const gaps = await rahnama.services.gaps.list(1, new Date());
    const gap = gaps.find((entry) => entry.reason === "exchange-rate");
    expect(gap).toMatchObject({ lang: "eng", reason: "exchange-rate" });
    expect(JSON.stringify(gap)).not.toMatch(/tonight|riyal to taka/);
  });

  it("says honestly that no leaflet answers a question it can only guess the subject of, and records the gap", async () => {
    const before = (await rahnama.services.gaps.list(1, new Date())).length;
    const replies = await chat(rahnama, "guess-subject")("contract wobble");
    expect(cited(replies)).toEqual([]);
    expect(textOf(replies)).toContain(text("fallback", "not_found"));
    expect(textOf(replies)).toContain(text("common", "did_you_mean"));
    const actions = replies.flatMap((reply) => reply.quickReplies.map((q) => q.action));
    expect(actions).toContain("intent:contracts-rights");
    expect(actions.filter((action) => action === "intent:counsellor")).toHaveLength(1);
    const gaps = await rahnama.services.gaps.list(1, new Date());
    expect(gaps.length).toBeGreaterThan(before);
    expect(JSON.stringify(gaps)).not.toMatch(/wobble/);
  });

  it("says it has no leaflet about a country none is written for, instead of quoting another country's", async () => {
    const replies = await chat(
      rahnama,
      "gap-japan",
    )("how do i get a work visa for japan from bangladesh and what does it cost?");
    expect(textOf(replies)).toBe(text("fallback", "gap_place", "eng", { place: "Japan" }));
    expect(cited(replies)).toEqual([]);
  });

  it("answers a follow-up that asks another table's fact about the same place from that table", async () => {
    const send = chat(rahnama, "follow-up-other-table");
    expect(textOf(await send("malaysia te minimum salary koto ekhon?"))).toContain("1,700");
    const second = textOf(await send("ar overtime mashe max koto ghonta?"));
    expect(second).toMatch(/(?<!\d)45(?!\d)/);
    expect(second).not.toContain("1,700");
  });

  it("asks the registration question again for the nationality a follow-up names", async () => {
    const send = chat(rahnama, "follow-up-nationality");
    expect(textOf(await send("Сколько дней у узбека есть, чтобы встать на учёт в России?"))).toMatch(/15/);
    expect(textOf(await send("а если кыргыз?"))).toMatch(/30 дней/);
  });

  it("answers about the covered place when a question also names one no leaflet covers", async () => {
    const replies = await chat(
      rahnama,
      "gap-partly",
    )("my friend went to japan but I work in malaysia, what is the minimum wage in malaysia?");
    expect(textOf(replies)).toContain("1,700");
  });

  it("says it has no leaflet for a place no leaflet covers, in any script", async () => {
    const replies = await chat(rahnama, "gap-hong-kong")("hong kong e housemaid er beton koto?");
    expect(cited(replies)).toEqual([]);
    // Named in the person's language, not in English.
    expect(textOf(replies)).toContain(countryName("HK", "ben"));
    expect(countryName("HK", "ben")).not.toBe("Hong Kong");
  });

  it("does not answer for an EU country from another member state's own leaflet", async () => {
    const replies = await chat(rahnama, "gap-poland")("Poland ta da kar visa sanga akhlam, fees sumra de?");
    expect(cited(replies)).not.toContain("af-germany-family-reunification");
  });

  it("takes a section about 'the EU' as one about Europe, in Uzbek and in Dari", async () => {
    for (const question of [
      "Yevropada talaba bo'lib haftasiga necha soat ishlash mumkin?",
      "اگر در اروپا درس بخوانم هفته چند ساعت میتوانم کار کنم؟",
    ]) {
      const replies = await chat(rahnama, `eu-students-${question.length}`)(question);
      expect(textOf(replies)).toMatch(/(?<!\d)15(?!\d)/);
    }
  });

  it("finds a penalty asked in Roman Urdu through the glossary's words for prison and punishment", async () => {
    const send = chat(rahnama, "penalty-roman-urdu");
    let replies = await send("pakistan mein aurat ki trafficking ki saza kitne saal qaid hai?");
    // Trafficking and prison in one message: the safety check may first ask whether someone is in danger.
    if (replies[0]?.meta.triage) replies = await send("nahi");
    expect(replies[0]?.meta.safety).toBe(false);
    expect(textOf(replies)).toMatch(/(?<!\d)10(?!\d)[^.]{0,20}(years?|سال)/);
  });

  it("does not quote Moscow's patent price for a question about another city", async () => {
    const replies = await chat(rahnama, "other-city")("how much is the monthly patent in kazan in 2026?");
    expect(textOf(replies)).not.toMatch(/10,000 roubles/);
  });
});

describe("a question in Russian answered from a leaflet that exists only in English", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    const knowledge = await mkdtemp(path.join(os.tmpdir(), "rahnama-english-only-"));
    await cp(path.join(projectRoot, "knowledge", "directory"), path.join(knowledge, "directory"), { recursive: true });
    for (const file of ["fees.yaml", "glossary.yaml", "check.yaml"]) {
      await cp(path.join(projectRoot, "knowledge", file), path.join(knowledge, file));
    }
    await mkdir(path.join(knowledge, "leaflets", "eng"), { recursive: true });
    await writeFile(
      path.join(knowledge, "leaflets", "eng", "fixture-registration-deadline.md"),
      [
        "---",
        "id: fixture-registration-deadline",
        "title: How many days do I have to register after arriving?",
        "language: eng",
        "countries: [any]",
        "topics: [documents]",
        "sources:",
        '  - title: "Test fixture: registration rules"',
        "    url: https://example.org/fixture",
        "    date: 2026-01-01",
        "reviewed: 2026-12-01",
        "---",
        "",
        "## The registration deadline",
        "In 2026, a foreign worker must complete registration within 9 working days after arriving. Keep the stamped registration slip with your passport.",
        "",
      ].join("\n"),
    );
    rahnama = await testRahnama({
      env: {
        KNOWLEDGE_DIR: knowledge,
        DATA_DIR: await mkdtemp(path.join(os.tmpdir(), "rahnama-english-only-data-")),
        REINDEX_ON_START: "auto",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await rahnama?.close();
  });

  it("quotes the English passage and says in Russian that it is in English", async () => {
    const replies = await chat(
      rahnama,
      "russian-english-only",
    )("сколько дней у меня есть на регистрацию после приезда?");
    const answer = textOf(replies);
    expect(answer).toContain("9 working days");
    expect(answer).toContain(rahnama.services.texts.get("fallback", "cross_language", "rus").text);
    expect(replies[0]?.lang).toBe("rus");
  });
});
