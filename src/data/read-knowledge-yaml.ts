import { readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { RahnamaError } from "../errors.js";
import { formatProblem, parseYaml } from "./yaml-file.js";

/**
 * A YAML data file of the knowledge folder (`file` relative to it), validated: `whenMissing` when the
 * file does not exist and that is allowed, a KNOWLEDGE_INVALID error naming each problem's line otherwise.
 */
export async function readKnowledgeYaml<S extends z.ZodType>(
  knowledgeDir: string,
  file: string,
  schema: S,
  whenMissing?: z.output<S>,
): Promise<z.output<S>> {
  const source = await readFile(path.join(knowledgeDir, file), "utf8").catch((error: unknown) => {
    if (whenMissing !== undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  });
  if (source === null) return whenMissing as z.output<S>;
  const outcome = parseYaml(source, schema, file);
  if (!outcome.ok) {
    throw new RahnamaError(
      "KNOWLEDGE_INVALID",
      `${file} is invalid:\n  ${outcome.problems.map(formatProblem).join("\n  ")}`,
    );
  }
  return outcome.value;
}
