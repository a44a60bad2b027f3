import { readFile } from "node:fs/promises";
import { z } from "zod";
import { isoDate } from "../data/source.js";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";
import { bcp47Of, languageCodes, type LanguageCode } from "../i18n/languages.js";

/** The keys of `hours`, in the order of `Date.getUTCDay()` (0 = Sunday). */
export const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof weekdays)[number];

/** A staffed stretch of one local day, in minutes after local midnight; `end` may be 1440 (24:00). */
export interface StaffedRange {
  /** As written in the file, e.g. "09:00-17:00". */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** How far ahead `nextOpening` looks for staffed time. */
export const openingHorizonDays = 14;

const rangePattern = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

const rangeSchema = z
  .string()
  .regex(rangePattern, 'must be a range of local times written "HH:MM-HH:MM", e.g. "09:00-17:00"')
  .transform((text, ctx): StaffedRange => {
    const [from = "", to = ""] = text.split("-");
    const start = minutesOf(from);
    const end = minutesOf(to);
    if (end <= start) {
      ctx.addIssue({
        code: "custom",
        message:
          `"${text}" does not end after it starts: a range cannot run past midnight; ` +
          `split it into "${from}-24:00" on this day and "00:00-${to}" on the next day`,
      });
      return z.NEVER;
    }
    return { text, start, end };
  });

const dayHoursSchema = z.array(rangeSchema).transform((ranges) => [...ranges].sort((a, b) => a.start - b.start));

const hoursSchema = z
  .object({
    sun: dayHoursSchema.optional(),
    mon: dayHoursSchema.optional(),
    tue: dayHoursSchema.optional(),
    wed: dayHoursSchema.optional(),
    thu: dayHoursSchema.optional(),
    fri: dayHoursSchema.optional(),
    sat: dayHoursSchema.optional(),
  })
  .strict()
  .refine((hours) => weekdays.some((day) => (hours[day]?.length ?? 0) > 0), {
    error: "lists no staffed time at all; leave hours out for a desk staffed at all hours",
  })
  .transform((hours): Readonly<Record<Weekday, readonly StaffedRange[]>> => ({
    sun: hours.sun ?? [],
    mon: hours.mon ?? [],
    tue: hours.tue ?? [],
    wed: hours.wed ?? [],
    thu: hours.thu ?? [],
    fri: hours.fri ?? [],
    sat: hours.sat ?? [],
  }));

const timeZoneSchema = z.string().transform((zone, ctx) => {
  const canonical = canonicalZone(zone);
  if (canonical === null) {
    ctx.addIssue({
      code: "custom",
      message: `"${zone}" is not a time zone; use an IANA name such as Asia/Dhaka, Asia/Kabul or UTC`,
    });
    return z.NEVER;
  }
  return canonical;
});

const localDate = isoDate.refine((date) => {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}, "is not a date in the calendar");

const deskSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,64}$/, "must be 2–64 lower-case letters, digits or dashes"),
    name: z.string().trim().min(1, "must name the desk as counsellors should see it"),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, "must be an ISO alpha-2 code in capitals, e.g. BD")).default([]),
    languages: z.array(z.enum(languageCodes, { error: `must be one of ${languageCodes.join(", ")}` })).default([]),
    timeZone: timeZoneSchema,
    hours: hoursSchema.optional(),
    closedOn: z.array(localDate).default([]),
  })
  .strict();

const desksFileSchema = z
  .object({
    reviewed: isoDate,
    desks: z.array(deskSchema).min(1, "needs at least one desk"),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Map<string, number>();
    const countries = new Map<string, number>();
    let catchAll: number | null = null;
    file.desks.forEach((desk, index) => {
      const sameId = ids.get(desk.id);
      if (sameId !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["desks", index, "id"],
          message: `"${desk.id}" is already the id of desk ${sameId + 1}`,
        });
      } else ids.set(desk.id, index);
      if (desk.countries.length === 0) {
        if (catchAll !== null) {
          ctx.addIssue({
            code: "custom",
            path: ["desks", index, "countries"],
            message: `only one desk may take every other country (countries: []); desk "${file.desks[catchAll]?.id ?? ""}" already does`,
          });
        } else catchAll = index;
      }
      desk.countries.forEach((country, position) => {
        const owner = countries.get(country);
        if (owner !== undefined) {
          const where = owner === index ? "this desk" : `desk "${file.desks[owner]?.id ?? ""}"`;
          ctx.addIssue({
            code: "custom",
            path: ["desks", index, "countries", position],
            message: `${country} is already served by ${where}; a country belongs to one desk`,
          });
        } else countries.set(country, index);
      });
    });
  });

type ParsedDesk = z.output<typeof deskSchema>;

/** One team of counsellors: whose conversations it takes, and when it is at work. */
export interface Desk {
  readonly id: string;
  readonly name: string;
  /** Users' countries (ISO alpha-2) this desk serves; empty = every country no other desk takes. */
  readonly countries: readonly string[];
  /** Languages its counsellors read; empty = any. */
  readonly languages: readonly LanguageCode[];
  /** IANA time zone its hours and holidays are written in. */
  readonly timeZone: string;
  /** Staffed ranges per local weekday; null = staffed at all hours (except `closedOn`). */
  readonly hours: Readonly<Record<Weekday, readonly StaffedRange[]>> | null;
  /** Whole local dates (YYYY-MM-DD) nobody is at work. */
  readonly closedOn: readonly string[];
}

function toDesk(parsed: ParsedDesk): Desk {
  return {
    id: parsed.id,
    name: parsed.name,
    countries: parsed.countries,
    languages: parsed.languages,
    timeZone: parsed.timeZone,
    hours: parsed.hours ?? null,
    closedOn: parsed.closedOn,
  };
}

const allDay: readonly StaffedRange[] = [{ text: "00:00-24:00", start: 0, end: 24 * 60 }];

/**
 * The counselling desks (`knowledge/directory/counselling-desks.yaml`): which desk takes a
 * conversation, and whether and when its counsellors are at work, in the desk's own time zone.
 */
export class Desks {
  private readonly desks: readonly Desk[];

  constructor(desks: readonly Desk[]) {
    if (desks.length === 0) throw new RahnamaError("KNOWLEDGE_INVALID", "there must be at least one counselling desk");
    this.desks = desks;
  }

  /** One desk for everybody, staffed at all hours: what a new installation starts with. */
  static alwaysOpen(): Desks {
    return new Desks([
      { id: "all", name: "Counsellors", countries: [], languages: [], timeZone: "UTC", hours: null, closedOn: [] },
    ]);
  }

  all(): readonly Desk[] {
    return this.desks;
  }

  /** The desk listing `country`, else the desk taking every other country, else the first desk. */
  forConversation(country: string | null): Desk {
    const code = country?.trim().toUpperCase();
    const listing = code ? this.desks.find((desk) => desk.countries.includes(code)) : undefined;
    const first = this.desks[0] as Desk;
    return listing ?? this.desks.find((desk) => desk.countries.length === 0) ?? first;
  }

  isOpen(desk: Desk, now: Date): boolean {
    const local = wallClock(now, desk.timeZone);
    if (desk.closedOn.includes(local.date)) return false;
    const minute = local.hour * 60 + local.minute + local.second / 60;
    return rangesOn(desk, local.weekday).some((range) => range.start <= minute && minute < range.end);
  }

  /**
   * When the desk's counsellors are next at work: `now` if they are; else the start of the next
   * staffed range within the next fourteen days (skipping `closedOn`); null if there is none.
   */
  nextOpening(desk: Desk, now: Date): Date | null {
    if (this.isOpen(desk, now)) return new Date(now.getTime());
    const today = wallClock(now, desk.timeZone);
    for (let offset = 0; offset <= openingHorizonDays; offset += 1) {
      const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
      if (desk.closedOn.includes(day.toISOString().slice(0, 10))) continue;
      for (const range of rangesOn(desk, day.getUTCDay())) {
        const at = instantOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), range.start, desk.timeZone);
        if (at.getTime() > now.getTime()) return at;
      }
    }
    return null;
  }
}

function rangesOn(desk: Desk, weekday: number): readonly StaffedRange[] {
  if (desk.hours === null) return allDay;
  return desk.hours[weekdays[weekday] ?? "sun"];
}

/**
 * Reads and checks the desks file. Every mistake is reported as `file:line: field: message`, all
 * of them in one error, so an editor fixes everything in one pass.
 */
export async function loadDesks(file: string): Promise<Desks> {
  const source = await readFile(file, "utf8");
  const outcome = parseYaml(source, desksFileSchema, file);
  if (!outcome.ok) {
    throw new RahnamaError(
      "KNOWLEDGE_INVALID",
      `${file} is invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
      { details: { problems: outcome.problems } },
    );
  }
  return new Desks(outcome.value.desks.map(toDesk));
}

const zoneWords: Readonly<Record<LanguageCode, (zone: string) => string>> = {
  eng: (zone) => `${zone} time`,
  ben: (zone) => `${zone} সময়`,
  urd: (zone) => `${zone} کے وقت کے مطابق`,
  fas: (zone) => `به وقت ${zone}`,
  pus: (zone) => `د ${zone} په وخت`,
  ara: (zone) => `بتوقيت ${zone}`,
  rus: (zone) => `по времени ${zone}`,
  tgk: (zone) => `бо вақти ${zone}`,
  uzb: (zone) => `${zone} vaqti bilan`,
  kaz: (zone) => `${zone} уақыты бойынша`,
  kir: (zone) => `${zone} убактысы боюнча`,
  tuk: (zone) => `${zone} wagty bilen`,
};

/** "Monday 09:00 (Asia/Dhaka time)", in `lang`: when a desk opens, as the user is told. */
export function formatOpening(at: Date, timeZone: string, lang: LanguageCode): string {
  const when = new Intl.DateTimeFormat(bcp47Of(lang), {
    weekday: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(at);
  return `${when} (${zoneWords[lang](timeZone)})`;
}

// --- wall-clock arithmetic in a time zone, with Intl only ---

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** YYYY-MM-DD. */
  readonly date: string;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date and time shown on a clock in `timeZone` at the instant `at`. */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of partsFormatter(timeZone).formatToParts(at)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const midnight = new Date(Date.UTC(year, month - 1, day));
  return {
    year,
    month,
    day,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    weekday: midnight.getUTCDay(),
    date: midnight.toISOString().slice(0, 10),
  };
}

/** How far `timeZone`'s clocks are ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const local = wallClock(new Date(at), timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a clock in `timeZone` shows `minuteOfDay` on the given local date. A time skipped by a
 * spring-forward change moves on by the length of the gap (02:30 on a 02:00→03:00 night gives 03:30),
 * as Temporal's "compatible" rule does; a time shown twice in autumn gives one of its two instants.
 */
export function instantOf(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const local = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  let guess = local - offsetAt(local, timeZone);
  guess = local - offsetAt(guess, timeZone);
  return new Date(guess);
}

function minutesOf(time: string): number {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}

function canonicalZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
