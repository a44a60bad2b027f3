import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { isRahnamaError } from "../../src/errors.js";
import { Desks, formatOpening, loadDesks, type Desk } from "../../src/handoff/desks.js";

const directory = fileURLToPath(new URL("../../knowledge/directory/", import.meta.url));

function deskOf(desks: Desks, id: string): Desk {
  const desk = desks.all().find((candidate) => candidate.id === id);
  if (!desk) throw new Error(`no desk ${id}`);
  return desk;
}

let scratch: string;
let files = 0;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "rahnama-desks-"));
});

async function deskFile(yaml: string): Promise<string> {
  files += 1;
  const file = path.join(scratch, `desks-${files}.yaml`);
  await writeFile(file, yaml);
  return file;
}

/** The message loadDesks throws for `yaml`, checked to be a KNOWLEDGE_INVALID error. */
async function problemsIn(yaml: string): Promise<{ file: string; message: string }> {
  const file = await deskFile(yaml);
  const error: unknown = await loadDesks(file).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(isRahnamaError(error, "KNOWLEDGE_INVALID")).toBe(true);
  return { file, message: (error as Error).message };
}

describe("the shipped desk files", () => {
  it("the default is one desk for everybody, staffed at all hours", async () => {
    const desks = await loadDesks(path.join(directory, "counselling-desks.yaml"));
    expect(desks.all()).toHaveLength(1);
    const [desk] = desks.all();
    expect(desk).toMatchObject({ id: "all", countries: [], languages: [], timeZone: "UTC", hours: null });
    const now = new Date("2026-12-25T03:17:00Z");
    expect(desk && desks.isOpen(desk, now)).toBe(true);
    expect(desk && desks.nextOpening(desk, now)?.toISOString()).toBe(now.toISOString());
    expect(desks.forConversation("BD")).toBe(desk);
    expect(desks.forConversation(null)).toBe(desk);
  });

  it("the example loads, with a Bangladesh desk and a catch-all", async () => {
    const desks = await loadDesks(path.join(directory, "counselling-desks.example.yaml"));
    expect(desks.all().map((desk) => desk.id)).toEqual(["bd", "others"]);
  });
});

describe("desk hours", () => {
  let desks: Desks;
  let bd: Desk;
  beforeAll(async () => {
    desks = await loadDesks(path.join(directory, "counselling-desks.example.yaml"));
    bd = deskOf(desks, "bd");
  });

  it("routes a conversation by the user's country, others to the catch-all", () => {
    expect(desks.forConversation("BD").id).toBe("bd");
    expect(desks.forConversation("bd").id).toBe("bd");
    expect(desks.forConversation("PK").id).toBe("others");
    expect(desks.forConversation(null).id).toBe("others");
  });

  it("a Dhaka desk working Sunday to Thursday is closed on Friday noon and opens on Sunday 09:00 Dhaka", () => {
    const fridayNoon = new Date("2026-11-27T06:00:00Z"); // Friday 12:00 in Dhaka (UTC+6)
    expect(desks.isOpen(bd, fridayNoon)).toBe(false);
    expect(desks.nextOpening(bd, fridayNoon)?.toISOString()).toBe("2026-11-29T03:00:00.000Z");
  });

  it("is open on Sunday 10:00 Dhaka, and nextOpening is then now", () => {
    const sunday = new Date("2026-11-29T04:00:00Z");
    expect(desks.isOpen(bd, sunday)).toBe(true);
    expect(desks.nextOpening(bd, sunday)?.toISOString()).toBe(sunday.toISOString());
    // The end of a range is closed; its start is open.
    expect(desks.isOpen(bd, new Date("2026-11-29T11:00:00Z"))).toBe(false);
    expect(desks.isOpen(bd, new Date("2026-11-29T03:00:00Z"))).toBe(true);
    expect(desks.isOpen(bd, new Date("2026-11-29T02:59:59Z"))).toBe(false);
  });

  it("later the same day opens the same day; after closing time, the next morning", () => {
    expect(desks.nextOpening(bd, new Date("2026-11-29T01:00:00Z"))?.toISOString()).toBe("2026-11-29T03:00:00.000Z");
    expect(desks.nextOpening(bd, new Date("2026-11-29T12:00:00Z"))?.toISOString()).toBe("2026-11-30T03:00:00.000Z");
  });

  it("skips a closed date", () => {
    const holiday = new Date("2026-12-16T05:00:00Z"); // Wednesday 11:00 in Dhaka, on closedOn
    expect(desks.isOpen(bd, holiday)).toBe(false);
    const tuesdayEvening = new Date("2026-12-15T12:00:00Z"); // Tuesday 18:00 in Dhaka
    expect(desks.nextOpening(bd, tuesdayEvening)?.toISOString()).toBe("2026-12-17T03:00:00.000Z");
    // The same weekday a week later is an ordinary working day.
    expect(desks.isOpen(bd, new Date("2026-12-23T05:00:00Z"))).toBe(true);
  });

  it("uses the local date in the desk's zone, not the UTC date", () => {
    // 2026-12-15 20:00Z is already 02:00 on 16 December (the holiday) in Dhaka; 09:00 that day stays closed.
    expect(desks.nextOpening(bd, new Date("2026-12-15T20:00:00Z"))?.toISOString()).toBe("2026-12-17T03:00:00.000Z");
  });
});

describe("across daylight saving time (Europe/Berlin)", () => {
  let desks: Desks;
  let berlin: Desk;
  beforeAll(async () => {
    const file = await deskFile(
      [
        "reviewed: 2026-11-28",
        "desks:",
        "  - id: de",
        "    name: Berlin",
        "    timeZone: Europe/Berlin",
        "    hours:",
        '      mon: ["09:00-17:00"]',
        '      fri: ["09:00-17:00"]',
        '      sun: ["02:30-04:00"]',
        "",
      ].join("\n"),
    );
    desks = await loadDesks(file);
    berlin = deskOf(desks, "de");
  });

  it("opens at 09:00 summer time on the Monday after the March change", () => {
    const fridayEvening = new Date("2026-03-27T17:00:00Z"); // Friday 18:00 CET (UTC+1)
    // Sunday 29 March: clocks jump from 02:00 to 03:00, so 02:30 never shows; the opening moves on by the
    // hour skipped, to 03:30 CEST (as Temporal's "compatible" rule does), still inside the 02:30-04:00 range.
    expect(desks.nextOpening(berlin, fridayEvening)?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(desks.isOpen(berlin, new Date("2026-03-29T01:30:00Z"))).toBe(true);
    const sundayMorning = new Date("2026-03-29T03:00:00Z"); // Sunday 05:00 CEST
    expect(desks.nextOpening(berlin, sundayMorning)?.toISOString()).toBe("2026-03-30T07:00:00.000Z"); // 09:00 CEST
    expect(desks.isOpen(berlin, new Date("2026-03-30T06:30:00Z"))).toBe(false); // 08:30 CEST
    expect(desks.isOpen(berlin, new Date("2026-03-30T07:30:00Z"))).toBe(true); // 09:30 CEST
  });

  it("opens at 09:00 winter time on the Monday after the October change", () => {
    const sundayMorning = new Date("2026-10-25T05:00:00Z"); // Sunday 06:00 CET, after the change
    expect(desks.nextOpening(berlin, sundayMorning)?.toISOString()).toBe("2026-10-26T08:00:00.000Z"); // 09:00 CET
    expect(desks.isOpen(berlin, new Date("2026-10-26T07:30:00Z"))).toBe(false); // 08:30 CET
  });
});

describe("nextOpening gives up after fourteen days", () => {
  it("returns null when every staffed day in the next fourteen is a holiday", async () => {
    const holidays = Array.from({ length: 3 }, (_, week) => `2027-01-${String(4 + week * 7).padStart(2, "0")}`);
    const desks = await loadDesks(
      await deskFile(
        [
          "reviewed: 2026-11-28",
          "desks:",
          "  - id: mondays",
          "    name: Mondays only",
          "    timeZone: UTC",
          "    hours:",
          '      mon: ["10:00-12:00"]',
          `    closedOn: [${holidays.join(", ")}]`,
          "",
        ].join("\n"),
      ),
    );
    const [desk] = desks.all();
    if (!desk) throw new Error("no desk");
    expect(desks.nextOpening(desk, new Date("2027-01-01T00:00:00Z"))).toBeNull();
    expect(desks.nextOpening(desk, new Date("2027-01-12T00:00:00Z"))?.toISOString()).toBe("2027-01-25T10:00:00.000Z");
  });
});

describe("mistakes in the desks file are reported with file and line", () => {
  const header = ["reviewed: 2026-11-28", "desks:"];

  it("a time zone that does not exist", async () => {
    const { file, message } = await problemsIn(
      [...header, "  - id: bd", "    name: BD", "    countries: [BD]", "    timeZone: Asia/Dakka", ""].join("\n"),
    );
    expect(message).toContain(`${file}:6: desks.0.timeZone: "Asia/Dakka" is not a time zone`);
  });

  it("a range that ends before it starts", async () => {
    const { file, message } = await problemsIn(
      [
        ...header,
        "  - id: bd",
        "    name: BD",
        "    timeZone: Asia/Dhaka",
        "    hours:",
        '      mon: ["17:00-09:00"]',
        "",
      ].join("\n"),
    );
    expect(message).toContain(`${file}:7: desks.0.hours.mon.0: "17:00-09:00" does not end after it starts`);
    expect(message).toContain("cannot run past midnight");
  });

  it("a range that is not HH:MM-HH:MM", async () => {
    const { file, message } = await problemsIn(
      [
        ...header,
        "  - id: bd",
        "    name: BD",
        "    timeZone: Asia/Dhaka",
        "    hours:",
        '      mon: ["9-5"]',
        "",
      ].join("\n"),
    );
    expect(message).toContain(`${file}:7: desks.0.hours.mon.0: must be a range of local times`);
  });

  it("a country listed by two desks", async () => {
    const { file, message } = await problemsIn(
      [
        ...header,
        "  - id: bd",
        "    name: BD",
        "    countries: [BD]",
        "    timeZone: Asia/Dhaka",
        "  - id: bd-two",
        "    name: BD again",
        "    countries: [PK, BD]",
        "    timeZone: Asia/Dhaka",
        "",
      ].join("\n"),
    );
    expect(message).toContain(`${file}:9: desks.1.countries.1: BD is already served by desk "bd"`);
  });

  it("two catch-all desks, and a repeated id", async () => {
    const { file, message } = await problemsIn(
      [
        ...header,
        "  - id: all",
        "    name: Everyone",
        "    countries: []",
        "    timeZone: UTC",
        "  - id: all",
        "    name: Everyone else",
        "    countries: []",
        "    timeZone: UTC",
        "",
      ].join("\n"),
    );
    expect(message).toContain(`${file}:9: desks.1.countries: only one desk may take every other country`);
    expect(message).toContain(`${file}:7: desks.1.id: "all" is already the id of desk 1`);
  });

  it("no desks at all, and a holiday that is not a date", async () => {
    expect((await problemsIn([...header.slice(0, 1), "desks: []", ""].join("\n"))).message).toMatch(
      /:2: desks: needs at least one desk/,
    );
    const { file, message } = await problemsIn(
      [...header, "  - id: x1", "    name: X", "    timeZone: UTC", "    closedOn: [2026-02-30]", ""].join("\n"),
    );
    expect(message).toContain(`${file}:6: desks.0.closedOn.0: is not a date in the calendar`);
  });
});

describe("formatOpening", () => {
  const sundayNine = new Date("2026-11-29T03:00:00Z"); // Sunday 09:00 in Dhaka

  it("in English names the weekday, the local time and the zone", () => {
    expect(formatOpening(sundayNine, "Asia/Dhaka", "eng")).toBe("Sunday 09:00 (Asia/Dhaka time)");
  });

  it("in Arabic names the weekday in Arabic", () => {
    const text = formatOpening(sundayNine, "Asia/Dhaka", "ara");
    expect(text).toContain("الأحد");
    expect(text).toContain("Asia/Dhaka");
  });

  it("in Russian names the weekday in Russian", () => {
    expect(formatOpening(sundayNine, "Asia/Dhaka", "rus")).toContain("воскресенье");
  });
});
