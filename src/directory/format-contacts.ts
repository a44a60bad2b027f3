import type { SafetyCategory } from "../nlu/intent-files.js";
import type { Hotline, HotlineKind, MrcCentre, MrcDirectory } from "./mrc-directory.js";

const contactIcons: Readonly<Record<MrcCentre["contacts"][number]["kind"], string>> = {
  hotline: "☎",
  phone: "☎",
  whatsapp: "💬",
  email: "✉",
  website: "🌐",
  address: "📍",
};

/** "The Daily Star, 2024-09-30": enough for a person to see where a number comes from and how old it is. */
function sourceNote(line: Hotline): string {
  const source = line.sources[0];
  if (!source) return "";
  const publisher = source.title.split(":")[0]?.trim().slice(0, 40) ?? source.title;
  return ` (${publisher}, ${source.date ?? "undated"})`;
}

/** "🚨 999 — National Emergency Service, 24 hours (The Daily Star, 2024-09-30)". */
export function hotlineLine(line: Hotline): string {
  return `🚨 ${line.number} — ${line.name}${line.hours ? `, ${line.hours}` : ""}${sourceNote(line)}`;
}

type Contact = MrcCentre["contacts"][number];

function contactLine(centre: MrcCentre, contact: Contact): string {
  return `${contactIcons[contact.kind]} ${contact.value} — ${centre.name}${contact.label ? ` (${contact.label})` : ""}`;
}

/** One line per MRC contact, e.g. "☎ 0304 1112123 — Migrant Resource Centre Pakistan, Islamabad (free hotline, September 2021)". */
export function contactLines(
  directory: MrcDirectory,
  country: string | null,
  options: {
    includeWebsites?: boolean;
    /** Leave out numbers that cannot be dialled from outside the country (the person is abroad). */
    fromAbroad?: boolean;
    /** Numbers already given in the same answer. */
    skip?: ReadonlySet<string>;
  } = {},
): string[] {
  const centres = country && directory.inCountry(country).length > 0 ? directory.inCountry(country) : directory.centres;
  const seen = new Set<string>(options.skip);
  const lines: string[] = [];
  for (const centre of centres) {
    for (const contact of centre.contacts) {
      const placeOnly = contact.kind === "website" || contact.kind === "address";
      if ((placeOnly && !options.includeWebsites) || (options.fromAbroad && contact.from_abroad === "no")) continue;
      if (seen.has(contact.value)) continue;
      seen.add(contact.value);
      lines.push(contactLine(centre, contact));
    }
  }
  return lines;
}

/** Numbers that matter for each kind of danger, besides the general emergency number. */
const kindsFor: Readonly<Record<SafetyCategory, readonly HotlineKind[]>> = {
  trafficking: ["trafficking", "labour-complaints"],
  "forced-labour": ["trafficking", "labour-complaints"],
  "debt-bondage": ["trafficking", "labour-complaints"],
  "confiscated-documents": ["labour-complaints", "trafficking"],
  violence: ["women", "trafficking"],
  "sexual-abuse": ["women", "trafficking"],
  "threat-to-life": ["trafficking"],
  suicide: ["mental-health"],
  "unpaid-wages": ["labour-complaints"],
  "medical-emergency": ["ambulance"],
};

/**
 * What to give a person in danger, in this order: the emergency number of the country they are in (for a
 * medical emergency one that sends an ambulance), the help line for migrant workers there (their own
 * country's line that answers from abroad, or one of the country they are in), the lines for this kind
 * of danger there, then their MRC. Without a known location, their own country's. Every number carries
 * its source and date; none is invented.
 */
export function safetyContactLines(
  directory: MrcDirectory,
  situation: { origin: string | null; location: string | null; category: SafetyCategory },
): string[] {
  const where = situation.location ?? situation.origin;
  const abroad = situation.origin !== null && situation.location !== null && situation.location !== situation.origin;
  const lines: Hotline[] = [];
  const add = (found: readonly Hotline[], max: number) => {
    for (const line of found.filter((candidate) => !lines.includes(candidate)).slice(0, max)) lines.push(line);
  };
  if (where) {
    const emergency = directory.hotlinesIn(where, ["emergency"]);
    if (situation.category === "medical-emergency") {
      add(
        emergency.filter((line) => line.kinds.includes("ambulance")),
        1,
      );
      add(directory.hotlinesIn(where, ["ambulance"]), 1);
    }
    add(emergency, 1);
    if (lines.length === 0) add(directory.hotlinesIn(where, ["police"]), 1);
  }
  // Someone abroad cannot dial home's short codes (Bangladesh's 333 works only inside Bangladesh).
  if (abroad && situation.origin) {
    add(
      directory.hotlinesIn(situation.origin, ["migrant-helpline"]).filter((line) => line.from_abroad !== "no"),
      1,
    );
  }
  if (where) {
    add(directory.hotlinesIn(where, ["migrant-helpline"]), 1);
    add(directory.hotlinesIn(where, kindsFor[situation.category]), 2);
  }
  const mrcLines = contactLines(directory, situation.origin, {
    fromAbroad: abroad,
    skip: new Set(lines.map((line) => line.number)),
  });
  return [...lines.map(hotlineLine), ...mrcLines];
}
