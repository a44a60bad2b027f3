import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { isoDate, sourceSchema } from "../data/source.js";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";

const ruleSchema = z
  .object({
    origin: z.string().regex(/^[A-Z]{2}$/),
    destination: z.union([z.literal("any"), z.string().regex(/^[A-Z]{2}$/)]),
    kind: z.enum(["total", "service-charge"]),
    maximum: z.number().nonnegative(),
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

  static async load(knowledgeDir: string): Promise<FeeRules> {
    const source = await readFile(path.join(knowledgeDir, "fees.yaml"), "utf8").catch(() => null);
    if (source === null) return new FeeRules([]);
    const outcome = parseYaml(source, feesSchema, "fees.yaml");
    if (!outcome.ok) {
      throw new RahnamaError(
        "KNOWLEDGE_INVALID",
        `fees.yaml is invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
      );
    }
    return new FeeRules(outcome.value.rules);
  }

  /** Rules for this route, the exact destination before `any`. */
  forRoute(origin: string, destination: string | null): FeeRule[] {
    const exact = this.rules.filter(
      (rule) => rule.origin === origin && destination !== null && rule.destination === destination,
    );
    return exact.length > 0 ? exact : this.rules.filter((rule) => rule.origin === origin && rule.destination === "any");
  }
}
