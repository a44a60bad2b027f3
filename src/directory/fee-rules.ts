import { z } from "zod";
import { isoDate, sourceSchema } from "../data/source.js";
import { readKnowledgeYaml } from "../data/read-knowledge-yaml.js";

const ruleSchema = z
  .object({
    origin: z.string().regex(/^[A-Z]{2}$/),
    destination: z.union([z.literal("any"), z.string().regex(/^[A-Z]{2}$/)]),
    kind: z.enum(["total", "service-charge"]),
    maximum: z.number().nonnegative(),
    /** For a service charge: the lower maximum when the worker found the job and the agency only processes it. */
    self_found_maximum: z.number().nonnegative().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as BDT"),
    applies_to: z.enum(["men", "women"]).optional(),
    set: z.string().min(3),
    /** The year the maximum is known from; answers name it, as the figure may have changed since. */
    as_of: z.number().int().min(1950).max(2100),
    note: z.string().optional(),
    leaflet: z.string().optional(),
    sources: z.array(sourceSchema).min(1, "every maximum needs a source"),
  })
  .strict();
const feesSchema = z.object({ reviewed: isoDate, rules: z.array(ruleSchema) }).strict();

export type FeeRule = z.output<typeof ruleSchema>;

/** Official maximum fees by route, from `knowledge/fees.yaml`. */
export class FeeRules {
  private constructor(readonly rules: readonly FeeRule[]) {}

  /**
   * No fees.yaml means no ceilings to give (a new MRC's knowledge folder); a file that cannot be read or is
   * invalid stops the start with the reason, rather than silently leaving every ceiling out.
   */
  static async load(knowledgeDir: string): Promise<FeeRules> {
    const file = await readKnowledgeYaml(knowledgeDir, "fees.yaml", feesSchema, { reviewed: "", rules: [] });
    return new FeeRules(file.rules);
  }

  /** Rules for this route, the exact destination before `any`. */
  forRoute(origin: string, destination: string | null): FeeRule[] {
    const exact = this.rules.filter(
      (rule) => rule.origin === origin && destination !== null && rule.destination === destination,
    );
    return exact.length > 0 ? exact : this.rules.filter((rule) => rule.origin === origin && rule.destination === "any");
  }
}
