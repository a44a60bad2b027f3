import path from "node:path";
import { z } from "zod";
import { isoDate, sourceSchema } from "../data/source.js";
import { readKnowledgeYaml } from "../data/read-knowledge-yaml.js";

/**
 * Where a number can be called from: a short code such as Bangladesh's 333 works only inside its country,
 * and a person abroad must be given one that works from where they are.
 */
const reachSchema = {
  /** `national`: the whole country; `regional`/`city`: only the `area` named. */
  scope: z.enum(["national", "regional", "city"]).optional(),
  area: z.string().min(2).optional(),
  /** Whether the number can be dialled from outside its country, as far as a source says. */
  from_abroad: z.enum(["yes", "no", "unknown"]).optional(),
};

const centreSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO alpha-2 code"),
    city: z.string().min(2).nullable(),
    name: z.string().min(3),
    contacts: z
      .array(
        z
          .object({
            kind: z.enum(["hotline", "phone", "whatsapp", "email", "website", "address"]),
            value: z.string().min(1),
            label: z.string().optional(),
            ...reachSchema,
          })
          .strict(),
      )
      .min(1),
    sources: z.array(sourceSchema).min(1, "every centre's details need a source"),
  })
  .strict();

const directorySchema = z
  .object({
    reviewed: isoDate,
    centres: z.array(centreSchema).min(1),
  })
  .strict();

export const hotlineKinds = [
  "emergency",
  "police",
  "ambulance",
  "fire",
  "trafficking",
  "migrant-helpline",
  "labour-complaints",
  "women",
  "child",
  "mental-health",
  /** An office's number (residence office, passport centre): given in leaflets, never as help in danger. */
  "government-office",
] as const;
export type HotlineKind = (typeof hotlineKinds)[number];

const hotlineSchema = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO alpha-2 code (EU for the European number)"),
    name: z.string().min(3),
    number: z
      .string()
      .regex(/^[+\d][\d\s()./-]*[\dA-Za-z]$|^\d{3,}$|^800 ?[A-Za-z]+$/, "must be the number as dialled, in quotes"),
    kinds: z.array(z.enum(hotlineKinds)).min(1),
    hours: z.string().nullable().optional(),
    ...reachSchema,
    note: z.string().optional(),
    sources: z.array(sourceSchema).min(1, "every number needs a source"),
  })
  .strict();

const hotlinesSchema = z.object({ reviewed: isoDate, hotlines: z.array(hotlineSchema) }).strict();

export type MrcCentre = z.output<typeof centreSchema>;
export type Hotline = z.output<typeof hotlineSchema>;

// Abbreviations that are also everyday words or too general to name one organisation.
const commonAbbreviations = new Set(["sms", "tip", "eu", "pam", "cid"]);

/** A name's abbreviations of three letters or more, lower-cased: "Ministry … (MoHRE)" → ["mohre"]. */
function abbreviationsIn(name: string): string[] {
  const found = name.match(/\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b/g) ?? [];
  return found
    .filter((word) => word.length >= 3 && word.replace(/[^A-Z]/g, "").length >= 2)
    .map((word) => word.toLowerCase())
    .filter((word) => !commonAbbreviations.has(word));
}

/**
 * The MRCs and their contacts (`knowledge/directory/mrcs.yaml`) and the emergency and help-line
 * numbers by country (`knowledge/directory/hotlines.yaml`), every entry with its source.
 */
export class MrcDirectory {
  private constructor(
    readonly centres: readonly MrcCentre[],
    readonly hotlines: readonly Hotline[],
    readonly reviewed: string,
  ) {}

  static async load(knowledgeDir: string): Promise<MrcDirectory> {
    const centres = await readKnowledgeYaml(knowledgeDir, path.join("directory", "mrcs.yaml"), directorySchema);
    const hotlines = await readKnowledgeYaml(knowledgeDir, path.join("directory", "hotlines.yaml"), hotlinesSchema, {
      reviewed: centres.reviewed,
      hotlines: [],
    });
    return new MrcDirectory(centres.centres, hotlines.hotlines, centres.reviewed);
  }

  /** Numbers dialled in `country` for any of `kinds`, in the file's order (most important first). */
  hotlinesIn(country: string, kinds: readonly HotlineKind[]): Hotline[] {
    return this.hotlines.filter((line) => line.country === country && line.kinds.some((kind) => kinds.includes(kind)));
  }

  /**
   * Lines whose name's abbreviation the text names as a word ("FIA", "OPF", "LMRA", "MoHRE", "HUG"):
   * the organisation says which line is meant, wherever the person is.
   */
  hotlinesNamed(text: string): Hotline[] {
    const textWords = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
    return this.hotlines.filter((line) =>
      abbreviationsIn(line.name).some((abbreviation) => textWords.has(abbreviation)),
    );
  }

  inCountry(country: string): MrcCentre[] {
    return this.centres.filter((centre) => centre.country === country);
  }

  /**
   * The contacts to give a person in trouble: their country's centres, or every centre's contacts
   * when we do not know the country. Centres sharing one hotline are listed once.
   */
  emergencyContacts(
    country: string | null,
  ): { country: string; name: string; contact: MrcCentre["contacts"][number] }[] {
    const centres = country && this.inCountry(country).length > 0 ? this.inCountry(country) : this.centres;
    const seen = new Set<string>();
    const contacts: { country: string; name: string; contact: MrcCentre["contacts"][number] }[] = [];
    for (const centre of centres) {
      for (const contact of centre.contacts) {
        if (contact.kind === "website" || seen.has(contact.value)) continue;
        seen.add(contact.value);
        contacts.push({ country: centre.country, name: centre.name, contact });
      }
    }
    return contacts;
  }
}
