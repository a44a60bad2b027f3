import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import type { Outbound } from "../../src/core/message.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

const textOf = (replies: readonly Outbound[]) => replies.map((reply) => stripDirectionMarks(reply.text)).join("\n");

/** Numbers to ring and rules for domestic workers: answered from the directory and the fact tables. */
describe("contacts and domestic workers' rules", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama({ store: new MemoryStore() });
  });
  afterAll(async () => {
    await rahnama.close();
  });
  const numberOf = (name: RegExp) => rahnama.services.directory.hotlines.find((line) => name.test(line.name))?.number;

  it("gives the line of the organisation the question names, wherever the person is going", async () => {
    const fia = numberOf(/^FIA /);
    expect(fia).toBeDefined();
    const replies = await chat(
      rahnama,
      "named-fia",
    )("ایجنٹ میرے بیٹے کو لیبیا کے راستے اٹلی بھیجنے کا کہہ رہا ہے، FIA کی ہیلپ لائن کا نمبر کیا ہے؟");
    expect(textOf(replies)).toContain(`🚨 ${fia} —`);
  });

  it("gives the MRC's own contacts when its number is asked inside a long message", async () => {
    const whatsapp = rahnama.services.directory
      .inCountry("AF")
      .flatMap((centre) => centre.contacts)
      .find((contact) => contact.kind === "whatsapp")?.value;
    expect(whatsapp).toBeDefined();
    const replies = await chat(
      rahnama,
      "mrc-number",
    )(
      "سلام یک شرکت در دبی بری مه کار پیدا کده و قرارداد روان کده. میخواهم پیش از اینکه پول بتم کسی قرارداد ره ببینه. شماره واتساپ MRC افغانستان چند است؟",
    );
    expect(textOf(replies)).toContain(String(whatsapp));
  });

  it("gives the MRC's hotline when its number is asked without a word for phone or call", async () => {
    const replies = await chat(rahnama, "mrc-number-pashto")("د MRC پاکستان هغه وړیا نمبر څه دی؟");
    const hotline = rahnama.services.directory
      .inCountry("PK")
      .flatMap((centre) => centre.contacts)
      .find((contact) => contact.kind === "hotline")?.value;
    expect(hotline).toBeDefined();
    expect(textOf(replies)).toContain(String(hotline));
  });

  it("gives the MRC's website when it is asked, without first asking for the nearest city", async () => {
    const website = rahnama.services.directory
      .inCountry("IQ")
      .flatMap((centre) => centre.contacts)
      .find((contact) => contact.kind === "website")?.value;
    expect(website).toBeDefined();
    const replies = await chat(rahnama, "mrc-website")("what is website of migrant resource centre in iraq");
    expect(textOf(replies)).toContain(String(website));
  });

  it("gives the MRC's website asked in Tajik or Arabic, where no intent for the MRC was recognised", async () => {
    for (const [country, question] of [
      ["TJ", "MRC Тоҷикистон сайт дорад? адресаш чӣ"],
      ["IQ", "عدكم موقع الكتروني لمركز موارد المهاجرين بالعراق؟ اريد اشوف الخدمات"],
    ] as const) {
      const website = rahnama.services.directory
        .inCountry(country)
        .flatMap((centre) => centre.contacts)
        .find((contact) => contact.kind === "website")?.value;
      expect(website).toBeDefined();
      expect(textOf(await chat(rahnama, `mrc-website-${country}`)(question))).toContain(String(website));
    }
  });

  it("reads an Arabic hotline question with its glued article and the country as an adjective", async () => {
    const replies = await chat(rahnama, "hotline-qatar-ar")("رقم الخط الساخن لوزارة العمل القطرية شنو؟ ما منطيني راتب");
    const qatar = rahnama.services.directory.hotlinesIn("QA", ["labour-complaints"])[0];
    expect(qatar).toBeDefined();
    expect(textOf(replies)).toContain(`🚨 ${qatar?.number} —`);
  });

  it("gives the EU's 112 for a member state without numbers of its own, naming the EU in the person's language", async () => {
    const replies = await chat(rahnama, "emergency-germany-ar")("بالمانيا شنو رقم الطوارئ؟ نفسه بكل دول اوروبا؟");
    const eu = rahnama.services.directory.hotlinesIn("EU", ["emergency"])[0];
    expect(eu).toBeDefined();
    expect(textOf(replies)).toContain(`🚨 ${eu?.number} —`);
    expect(textOf(replies)).toContain("الاتحاد الأوروبي");
    expect(textOf(replies)).not.toMatch(/\bEU\b:/);
  });

  it("gives Kuwait's line for domestic workers' recruitment when its hotline is asked", async () => {
    const replies = await chat(
      rahnama,
      "kuwait-domestic-ar",
    )("جبنا خدامة بالكويت عن طريق مكتب وصارت عدنا مشكلة، شنو رقم الخط الساخن لإدارة تنظيم استقدام العمالة المنزلية؟");
    const line = rahnama.services.directory
      .hotlinesIn("KW", ["labour-complaints"])
      .find((hotline) => /domestic/i.test(hotline.name));
    expect(line).toBeDefined();
    expect(textOf(replies)).toContain(`🚨 ${line?.number} —`);
  });

  it("reads 'where do I ring for an ambulance' as asking for the emergency numbers", async () => {
    const replies = await chat(
      rahnama,
      "emergency-russia-ru",
    )("в России если нет симки куда звонить в скорую или полицию?");
    const russia = rahnama.services.directory.hotlinesIn("RU", ["emergency"])[0];
    expect(russia).toBeDefined();
    expect(textOf(replies)).toContain(`🚨 ${russia?.number} —`);
  });

  it("gives the labour ministry's line, not the emergency number, when an accident is only the story", async () => {
    const replies = await chat(
      rahnama,
      "accident-labour",
    )("Qatar e site e accident hoise, salary o dey na. complain korar labour ministry hotline number ki?");
    const qatar = rahnama.services.directory.hotlinesIn("QA", ["labour-complaints"])[0];
    expect(textOf(replies)).toContain(`🚨 ${qatar?.number} —`);
  });

  it("gives the lines for migrant workers with the labour complaints lines (Bahrain's 995)", async () => {
    const replies = await chat(rahnama, "bahrain-distressed")("bahrain me mazdooron ki shikayat ki hotline kya hai?");
    const migrantLine = rahnama.services.directory.hotlinesIn("BH", ["migrant-helpline"])[0];
    expect(migrantLine).toBeDefined();
    expect(textOf(replies)).toContain(`🚨 ${migrantLine?.number} —`);
  });

  it("gives Kuwait's rule for domestic workers, not only the private sector's, to a housemaid's question", async () => {
    const replies = await chat(
      rahnama,
      "kuwait-maid",
    )("my wife is housemaid in kuwait, they make her work 17 hours. what is max hours per day by kuwait law");
    expect(textOf(replies)).toMatch(/domestic workers[^\n]*12 hours/);
  });

  it("keeps a row for domestic workers out of the answer to anyone else", async () => {
    const maid = await chat(
      rahnama,
      "saudi-maid",
    )("میں جدہ میں گھر کا ڈرائیور ہوں، روزانہ کتنے گھنٹے لگاتار آرام کا حق ہے؟");
    expect(textOf(maid)).toMatch(/8 گھنٹے/);
    const found = rahnama.services.ruleFacts.find({
      kind: "working-hours",
      places: ["SA"],
      cities: [],
      origin: null,
      domesticWork: false,
    });
    expect(found).toBeNull();
  });

  it("asks the previous question again under the condition a follow-up adds", async () => {
    const send = chat(rahnama, "follow-up-condition");
    await send("په قطر کې لږ تر لږه معاش څومره دی؟ زه د یوې کمپنۍ لپاره ځم");
    expect(textOf(await send("او که د اوسېدو ځای نه راکوي؟"))).toMatch(/500/);
  });

  it("keeps the subject when an Arabic follow-up names a group with 'and for the' glued on", async () => {
    const send = chat(rahnama, "follow-up-maid-ar");
    await send("شكد الحد الادنى للراتب بالكويت للقطاع الخاص؟");
    expect(textOf(await send("وللخدامة؟"))).toMatch(/60/);
  });
});

describe("honest refusals", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama({ store: new MemoryStore() });
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it("does not quote a passage holding almost none of the question, though the search was sure of a leaflet", async () => {
    const replies = await chat(
      rahnama,
      "weak-coverage",
    )("brat hochet v Angliyu na sezonnuyu rabotu klubniku sobirat, skolko stoit viza?");
    expect(replies.flatMap((reply) => reply.citations)).toEqual([]);
    expect(textOf(replies)).toContain(rahnama.services.texts.get("fallback", "not_found", "rus").text.slice(0, 20));
  });

  it("says it has no leaflet about Israel, by the name the person wrote it in", async () => {
    const replies = await chat(rahnama, "israel")("Isroilda qurilishchi oyligi qancha?");
    expect(replies.flatMap((reply) => reply.citations)).toEqual([]);
  });
});
