import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import type { Outbound } from "../../src/core/message.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { projectRoot } from "../../src/paths.js";
import type { Leaflet } from "../../src/retrieval/leaflet.js";
import { PlaceCoverage } from "../../src/retrieval/place-coverage.js";
import { SpecificSubjects } from "../../src/retrieval/specific-subjects.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

const textOf = (replies: readonly Outbound[]) => replies.map((reply) => stripDirectionMarks(reply.text)).join("\n");
const cited = (replies: readonly Outbound[]) => replies.flatMap((reply) => reply.citations.map((c) => c.leafletId));
/** No passage quoted, and a counsellor offered (after "I have no leaflet for this" or "is it about one of these?"). */
const declined = (replies: readonly Outbound[]) => {
  expect(cited(replies)).toEqual([]);
  expect(replies.flatMap((reply) => reply.quickReplies.map((button) => button.action))).toContain("intent:counsellor");
};

describe("subjects a passage must name", () => {
  let subjects: SpecificSubjects;
  beforeAll(async () => {
    subjects = await SpecificSubjects.load(path.join(projectRoot, "knowledge"));
  });

  it("recognises a subject however it is asked, in every script", () => {
    expect(subjects.askedIn("солҳое ки дар Русия кор кардам ба нафақа ҳисоб мешавад?", "tgk")).toEqual(["pension"]);
    expect(subjects.askedIn("Rossiya fuqaroligini olish uchun necha yil kerak?", "uzb")).toEqual(["citizenship"]);
    expect(subjects.askedIn("سعودی عرب میں ڈرائیونگ لائسنس کی فیس؟", "urd")).toEqual(["driving licence"]);
    expect(subjects.askedIn("сколько стоит полис ДМС для патента", "rus")).toEqual(["health insurance policy"]);
    expect(subjects.askedIn("اكدر ادخل سيارتي للعراق بدون كمرك؟", "ara")).toEqual(["customs"]);
    // Tajik's "полиса" is the police, not an insurance policy; the Russian word is "полиция".
    expect(subjects.askedIn("мегӯяд агар равӣ ба полиса месупорам", "tgk")).toEqual([]);
    expect(subjects.askedIn("какой МРОТ в России в 2026 году?", "rus")).toEqual(["minimum wage"]);
    expect(subjects.askedIn("how many days to register after arriving?", "eng")).toEqual([]);
  });

  it("finds the subject in a passage in the passage's language or its English original", () => {
    expect(subjects.namedIn("pension", [{ text: "Your years of work count for your pension.", lang: "eng" }])).toBe(
      true,
    );
    expect(subjects.namedIn("pension", [{ text: "Патент стоит 10 000 рублей в месяц.", lang: "rus" }])).toBe(false);
    expect(subjects.namedIn("pension", [{ text: "Стаж и пенсия мигранта.", lang: "rus" }])).toBe(true);
  });

  it("counts a subject asked of only for a figure (an exam's fee) only when a figure is asked", () => {
    expect(subjects.askedIn("сколько стоит экзамен для патента?", "rus", true)).toEqual(["exam"]);
    expect(subjects.askedIn("где сдавать экзамен для патента?", "rus", false)).toEqual([]);
  });

  it("finds such a subject only in a sentence that gives a number", () => {
    const passage = {
      text: "Before the patent you pass an exam in Russian, history and law. The patent costs 9,000 roubles a month.",
      lang: "eng" as const,
    };
    expect(subjects.namedIn("exam", [passage])).toBe(false);
    expect(subjects.namedIn("exam", [{ text: "The exam fee is 5,300 roubles.", lang: "eng" }])).toBe(true);
    // A phone number is not the figure asked.
    expect(subjects.namedIn("exam", [{ text: "Ask about the exam: +7 495 123 45 67.", lang: "eng" }])).toBe(false);
  });

  it("takes a figure for the subject only when it stands next to it, or under a heading that names it", () => {
    // The card is one of the documents listed; the 2 is the photos, the fee further on is the passport's.
    const documents = {
      text:
        "Bring the application form; the Unified National Card; 2 passport photos. In 2023 the electronic " +
        "passport cost nearly 91,000 IQD (around $70), paid by bank card, and only a residence card and an " +
        "identity card were needed.",
      lang: "eng" as const,
    };
    expect(subjects.namedIn("identity card", [documents])).toBe(false);
    expect(subjects.namedIn("identity card", [{ text: "The national card costs 5,000 IQD.", lang: "eng" }])).toBe(true);
    // The heading says what the section is about; its sentences may say "it".
    const headcount = { text: "In 2022 it cost 270,000 rials a person at Pishkhan offices.", lang: "eng" as const };
    expect(subjects.namedIn("iran residence card", [headcount])).toBe(false);
    expect(subjects.namedIn("iran residence card", [{ ...headcount, heading: "The headcount slip" }])).toBe(true);
    // A year dates the heading's subject; it is not its figure.
    expect(
      subjects.namedIn("iran residence card", [
        { heading: "The headcount slip", text: "It began in 2022.", lang: "eng" },
      ]),
    ).toBe(false);
  });

  it("rejects a subjects file with a clear error, naming the bad key", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rahnama-subjects-"));
    await writeFile(
      path.join(dir, "specific-subjects.yaml"),
      "subjects:\n  - id: pension\n    eng: [pension]\n    xx: [a]\n",
    );
    await expect(SpecificSubjects.load(dir)).rejects.toThrow(/xx.*not a language code/s);
  });

  it("has no subjects when the file is missing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rahnama-subjects-none-"));
    expect((await SpecificSubjects.load(dir)).askedIn("pension", "eng")).toEqual([]);
  });
});

describe("countries the leaflets touch only thinly", () => {
  const leaflet = (id: string, countries: string[]) => ({ id, countries }) as unknown as Leaflet;

  it("counts leaflets by id, whatever their language, and leaves the asker's own country out", () => {
    const places = new PlaceCoverage([
      leaflet("returns", ["GB", "IQ"]),
      { ...leaflet("returns", ["GB", "IQ"]), lang: "ara" },
      leaflet("gulf-1", ["SA"]),
      leaflet("gulf-2", ["SA"]),
      leaflet("gulf-3", ["SA"]),
    ]);
    expect(places.allThin(["GB"])).toBe(true);
    expect(places.allThin(["GB", "IQ"])).toBe(true);
    expect(places.allThin(["GB", "SA"])).toBe(false);
    expect(places.allThin(["IQ"])).toBe(false);
    expect(places.uncovered(["JP", "GB"])).toEqual(["JP"]);
  });
});

describe("answers only from a passage about the subject or the thinly covered place asked", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama();
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it("says it has no leaflet for a pension question instead of quoting the patent's price", async () => {
    const replies = await chat(
      rahnama,
      "pension-tgk",
    )("солҳое ки дар Русия кор кардам ба пенсияи Тоҷикистон ҳисоб мешавад?");
    declined(replies);
    expect(textOf(replies)).not.toMatch(/патент/i);
  });

  it("says it has no leaflet for a driving licence's fee instead of quoting a visa section", async () => {
    const replies = await chat(rahnama, "driving-urd")("سعودی عرب میں ڈرائیونگ لائسنس بنوانے کی فیس کتنی ہے؟");
    declined(replies);
  });

  it("does not answer a question about the UK (one leaflet names it, about returns) from a general leaflet", async () => {
    for (const [question, lang] of [
      ["UK care worker visa ke liye kitni salary chahiye aur IELTS ke kitne band?", "urd"],
      ["د انګلستان د سکلډ ورکر ویزې لپاره لږ تر لږه کلنی تنخوا څومره ده؟", "pus"],
    ] as const) {
      const replies = await chat(rahnama, `uk-${lang}`)(question);
      declined(replies);
    }
  });

  it("does not answer a pension question from the patent-price table", async () => {
    const replies = await chat(
      rahnama,
      "pension-table",
    )("10 сол дар Русия бо патент кор кардам, аз Русия пенсия мегирам? чанд пул");
    declined(replies);
    expect(textOf(replies)).not.toMatch(/\d[\d ,.]*\s?(рубл|руб|roubles)/i);
  });

  it("does not give the patent's price for the fee of the exam the patent needs", async () => {
    const replies = await chat(
      rahnama,
      "exam-fee",
    )("сколько стоит экзамен по русскому языку, истории и праву для патента в москве?");
    declined(replies);
    expect(textOf(replies)).not.toMatch(/\d[\d ,.]*\s?(рубл|руб|roubles)/i);
  });

  it("does not give the patent's price for Russia's minimum wage", async () => {
    declined(await chat(rahnama, "mrot")("какой МРОТ в России в 2026 году? работодатель платит 15 тыщ"));
  });

  it("does not give Russia's registration deadline for Kazakhstan, whose migrants Russia's section names", async () => {
    for (const [question, lang] of [
      ["в казахстане за сколько дней надо встать на учёт по месту пребывания?", "rus"],
      ["Қазоқистонда баъди омадан дар чанд рӯз қайд шудан лозим?", "tgk"],
    ] as const) {
      declined(await chat(rahnama, `kz-registration-${lang}`)(question));
    }
    const russia = await chat(
      rahnama,
      "ru-registration",
    )("в россии за сколько дней надо встать на учёт по месту пребывания?");
    expect(textOf(russia)).toMatch(/7/);
    expect(cited(russia)).toContain("ru-registration-on-arrival");
  });

  it("does not take the passport's fee, or the photos listed beside the card, for the national card's fee", async () => {
    declined(await chat(rahnama, "iq-card-fee")("كم رسوم اصدار البطاقة الوطنية الموحدة بالعراق؟"));
  });

  it("still answers a covered subject about a well-covered place", async () => {
    const replies = await chat(rahnama, "patent-moscow")("how much is the monthly patent in moscow in 2026?");
    expect(textOf(replies)).toMatch(/9,?\d{3}|10,?\d{3}/);
    expect(cited(replies).length).toBeGreaterThan(0);
  });
});

describe("a leaflet added about a subject answers it at once", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    const knowledge = await mkdtemp(path.join(os.tmpdir(), "rahnama-pension-"));
    await cp(path.join(projectRoot, "knowledge", "directory"), path.join(knowledge, "directory"), { recursive: true });
    for (const file of ["fees.yaml", "glossary.yaml", "check.yaml", "specific-subjects.yaml"]) {
      await cp(path.join(projectRoot, "knowledge", file), path.join(knowledge, file));
    }
    await mkdir(path.join(knowledge, "leaflets", "eng"), { recursive: true });
    await writeFile(
      path.join(knowledge, "leaflets", "eng", "fixture-pension.md"),
      [
        "---",
        "id: fixture-pension",
        "title: Do my years of work in Russia count for a pension?",
        "language: eng",
        "countries: [RU, TJ]",
        "topics: [contracts-rights]",
        "sources:",
        '  - title: "Test fixture: pension rules"',
        "    url: https://example.org/fixture-pension",
        "    date: 2026-01-01",
        "reviewed: 2026-12-01",
        "---",
        "",
        "## Years of work in Russia and your pension",
        "In this fixture, years of legal work in Russia count towards a pension in Tajikistan after 7 years of contributions.",
        "",
      ].join("\n"),
    );
    rahnama = await testRahnama({
      env: {
        KNOWLEDGE_DIR: knowledge,
        DATA_DIR: await mkdtemp(path.join(os.tmpdir(), "rahnama-pension-data-")),
        REINDEX_ON_START: "auto",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await rahnama?.close();
  });

  it("quotes the passage that names the pension", async () => {
    const replies = await chat(rahnama, "pension-answered")("солҳое ки дар Русия кор кардам ба пенсия ҳисоб мешавад?");
    expect(textOf(replies)).toContain("7 years");
    expect(cited(replies)).toContain("fixture-pension");
  });
});
