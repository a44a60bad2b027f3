import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { formatProblem, parseYaml } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";

const wordsSchema = z
  .array(
    z
      .string()
      .min(2)
      .transform((word) => word.toLowerCase()),
  )
  .min(1);

const policySchema = z
  .object({
    stale_after_years: z.number().int().min(1).max(50),
    denied_source_domains: z
      .array(z.string().regex(/^[a-z0-9.-]+$/i, "must be a bare domain such as example.com"))
      .default([]),
    quantities: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), words: wordsSchema }).strict()).default([]),
    places: z.array(z.object({ id: z.string().min(2), words: wordsSchema }).strict()).default([]),
  })
  .strict();

/** `knowledge/check.yaml`: how old a figure may be, which source domains are refused, what counts as one quantity. */
export type KnowledgePolicy = z.output<typeof policySchema>;

export const defaultPolicy: KnowledgePolicy = {
  stale_after_years: 3,
  denied_source_domains: [],
  quantities: [],
  places: [],
};

export async function loadKnowledgePolicy(knowledgeDir: string): Promise<KnowledgePolicy> {
  const source = await readFile(path.join(knowledgeDir, "check.yaml"), "utf8").catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  });
  if (source === null) return defaultPolicy;
  const outcome = parseYaml(source, policySchema, "check.yaml");
  if (!outcome.ok) {
    throw new RahnamaError(
      "KNOWLEDGE_INVALID",
      `check.yaml is invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
    );
  }
  return outcome.value;
}

/** True when `url`'s host is a denied domain or a subdomain of one. */
export function isDeniedSource(policy: KnowledgePolicy, url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return policy.denied_source_domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
