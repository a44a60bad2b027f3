import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { isoDate, sourceSchema } from "../data/source.js";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";

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

export type MrcCentre = z.output<typeof centreSchema>;

/** The MRCs and their contacts, from `knowledge/directory/mrcs.yaml`. */
export class MrcDirectory {
  private constructor(
    readonly centres: readonly MrcCentre[],
    readonly reviewed: string,
  ) {}

  static async load(knowledgeDir: string): Promise<MrcDirectory> {
    const file = path.join("directory", "mrcs.yaml");
    const source = await readFile(path.join(knowledgeDir, file), "utf8");
    const outcome = parseYaml(source, directorySchema, file);
    if (!outcome.ok) {
      throw new RahnamaError(
        "KNOWLEDGE_INVALID",
        `MRC directory is invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
      );
    }
    return new MrcDirectory(outcome.value.centres, outcome.value.reviewed);
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
