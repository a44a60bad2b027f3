import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";

/** One mistake in a data file, located so an MRC editor can find and fix it. */
export interface DataProblem {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export function formatProblem(problem: DataProblem): string {
  const field = problem.field ? ` ${problem.field}:` : "";
  return `${problem.file}:${problem.line}:${field} ${problem.message}`;
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; problems: DataProblem[] };

/**
 * Parses YAML and validates it, reporting each problem with the line it sits on. `firstLine` is the
 * line number of the YAML's first line in the file (front matter starts on line 2).
 */
export function parseYaml<S extends z.ZodType>(
  source: string,
  schema: S,
  file: string,
  firstLine = 1,
): ParseOutcome<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file,
        line: lineAt(error.pos[0]),
        field: "",
        message: `not valid YAML: ${error.message.split("\n")[0] ?? error.code}`,
      })),
    };
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      file,
      line: lineAt(offsetOf(doc, issue.path)),
      field: issue.path.map(String).join("."),
      message: issue.message,
    })),
  };
}

/** The start of the deepest node on `path` that exists (a missing field points at its parent). */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const keys = path.slice(0, depth).map((key) => (typeof key === "symbol" ? String(key) : key));
    const node = depth === 0 ? doc.contents : doc.getIn(keys, true);
    if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
      return (node.range as [number, number, number])[0];
    }
  }
  return 0;
}
