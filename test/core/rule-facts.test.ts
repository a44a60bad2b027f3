import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import type { Outbound } from "../../src/core/message.js";
import { FeeRules } from "../../src/directory/fee-rules.js";
import { RuleFacts } from "../../src/directory/rule-facts.js";
import { isRahnamaError } from "../../src/errors.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { projectRoot } from "../../src/paths.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

const textOf = (replies: readonly Outbound[]) => replies.map((reply) => stripDirectionMarks(reply.text)).join("\n");
const cited = (replies: readonly Outbound[]) => replies.flatMap((reply) => reply.citations.map((c) => c.leafletId));

describe("the fact tables (knowledge/facts.yaml)", () => {
  it("picks the asked city's row, the asker's citizenship row, or says the city is missing and shows all", async () => {
    const facts = await RuleFacts.load(path.join(projectRoot, "knowledge"));
    const kazan = facts.find({ kind: "patent-price", places: ["RU"], cities: ["kazan"], origin: null });
    expect(kazan?.missingRow).toBe(true);
    expect(kazan?.rows).toEqual([]);
    const moscow = facts.find({ kind: "patent-price", places: ["RU"], cities: ["moscow"], origin: "TJ" });
    expect(moscow?.rows.map((row) => row.text.eng)).toEqual([expect.stringContaining("10,000")]);
    const tajik = facts.find({ kind: "registration-deadline", places: ["RU"], cities: [], origin: "TJ" });
    expect(tajik?.rows.map((row) => row.text.eng)).toEqual([
      expect.stringContaining("7 working days"),
      expect.stringContaining("Tajikistan: 15 days"),
    ]);
    expect(facts.find({ kind: "minimum-wage", places: ["LB"], cities: [], origin: null })).toBeNull();
  });

  it("refuses an invalid table with the file, line and field named", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rahnama-facts-"));
    await writeFile(
      path.join(dir, "facts.yaml"),
      "reviewed: 2026-12-01\ntranslations_reviewed: false\nfacts:\n  - id: x\n    kind: rainfall\n",
    );
    const error = await RuleFacts.load(dir).catch((caught: unknown) => caught);
    expect(isRahnamaError(error, "KNOWLEDGE_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(/facts\.yaml.*kind/s);
  });
});

describe("the official fee ceilings file", () => {
  it("is optional, but one that cannot be read stops the start instead of leaving every ceiling out", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "rahnama-fees-"));
    expect((await FeeRules.load(empty)).rules).toEqual([]);
    const unreadable = await mkdtemp(path.join(os.tmpdir(), "rahnama-fees-"));
    await mkdir(path.join(unreadable, "fees.yaml"));
    await expect(FeeRules.load(unreadable)).rejects.toThrow(/EISDIR|directory/i);
  });

  it("refuses an invalid file with the file and field named", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rahnama-fees-"));
    await writeFile(path.join(dir, "fees.yaml"), "reviewed: 2026-12-01\nrules:\n  - origin: Bangladesh\n");
    const error = await FeeRules.load(dir).catch((caught: unknown) => caught);
    expect(isRahnamaError(error, "KNOWLEDGE_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(/fees\.yaml.*origin/s);
  });
});

describe("questions answered from the fact tables", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama();
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it("gives the patent price for the region asked, in Russian, with the year and source", async () => {
    const replies = await chat(rahnama, "patent-tyumen")("сколько стоит патент в Тюмени?");
    const answer = textOf(replies);
    expect(answer).toContain("11,471");
    expect(answer).not.toContain("10,860");
    expect(answer).toMatch(/2026/);
    expect(answer).toContain("Gazeta.ru");
    expect(replies[0]?.lang).toBe("rus");
    expect(cited(replies)).toEqual(["ru-patent-fees-and-notification"]);
  });

  it("says it has no price for the region asked, quoting no other region's price, and notes the gap", async () => {
    const before = (await rahnama.services.gaps.list(1, new Date())).length;
    const replies = await chat(rahnama, "patent-yekaterinburg")("how much is a patent in yekaterinburg?");
    expect(textOf(replies)).toMatch(/do not have the patent price for that region/i);
    expect(textOf(replies)).not.toMatch(/\d,\d{3}/);
    expect(cited(replies)).toEqual([]);
    const after = (await rahnama.services.gaps.list(1, new Date())).length;
    expect(after).toBe(before + 1);
  });

  it("gives a Tajik the general registration deadline and the one for Tajik citizens", async () => {
    const send = chat(rahnama, "registration-tajik");
    await send("I am from Tajikistan");
    const answer = textOf(await send("how many days do I have to register after I arrive in Russia?"));
    expect(answer).toContain("7 working days");
    expect(answer).toContain("15 days");
    expect(answer).not.toContain("30 days");
  });

  it("answers the midday ban hours for the Gulf country named, in Urdu", async () => {
    const replies = await chat(
      rahnama,
      "midday-qatar",
    )("قطر میں گرمیوں میں دوپہر کو باہر کام پر پابندی کس وقت ہوتی ہے؟");
    const answer = textOf(replies);
    expect(answer).toContain("10:00");
    expect(answer).toContain("15:30");
    expect(answer).not.toContain("12:30");
    expect(replies[0]?.lang).toBe("urd");
  });

  it("gives the working hours and overtime limit of the country asked, in Pashto", async () => {
    const replies = await chat(rahnama, "hours-kuwait")("په کویت کې په یوه ورځ کې څو ساعته اوور ټایم اجازه ده؟");
    const answer = textOf(replies);
    expect(answer).toContain("48");
    expect(answer).toMatch(/(?<!\d)2(?!\d)/);
    expect(answer).not.toContain("104");
    expect(replies[0]?.lang).toBe("pus");
    expect(cited(replies)).toEqual(["dest-kuwait-worker-rights"]);
  });

  it("gives a country's minimum wage with that country's leaflet, and says so for a country it lacks", async () => {
    const korea = await chat(rahnama, "minimum-korea")("what is the minimum wage in korea?");
    expect(textOf(korea)).toContain("10,320");
    expect(cited(korea)).toEqual(["dest-korea-eps-wages"]);
    // The table holds every minimum wage the leaflets give: for another country it says it has none.
    const lebanon = await chat(rahnama, "minimum-lebanon")("what is the minimum wage in lebanon for housemaids?");
    expect(textOf(lebanon)).toMatch(/do not have the minimum wage for Lebanon/);
    expect(cited(lebanon)).toEqual([]);
  });
});
