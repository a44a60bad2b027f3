import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DataProblem } from "../data/yaml-file.js";
import { FeeRules } from "../directory/fee-rules.js";
import { MrcDirectory } from "../directory/mrc-directory.js";
import { RuleFacts } from "../directory/rule-facts.js";
import { isRahnamaError } from "../errors.js";
import { loadLeaflets, type Leaflet } from "../retrieval/leaflet.js";
import { loadKnowledgePolicy, type KnowledgePolicy } from "./policy.js";

/** A leaflet with the text it came from, so that every finding can name its line. */
export interface LeafletFile {
  readonly leaflet: Leaflet;
  readonly raw: string;
  /** The Markdown after the front matter. */
  readonly body: string;
  /** The file line the body starts on. */
  readonly bodyFirstLine: number;
}

/** Everything the knowledge check reads, loaded and validated once. */
export interface KnowledgeFiles {
  readonly dir: string;
  readonly leaflets: readonly LeafletFile[];
  readonly directory: MrcDirectory;
  readonly fees: FeeRules;
  readonly ruleFacts: RuleFacts;
  readonly policy: KnowledgePolicy;
  /** Raw text of the YAML files by their path relative to the knowledge folder. */
  readonly yaml: ReadonlyMap<string, string>;
}

const frontMatter = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/;

export const directoryFiles = {
  hotlines: path.join("directory", "hotlines.yaml"),
  centres: path.join("directory", "mrcs.yaml"),
  fees: "fees.yaml",
  facts: "facts.yaml",
} as const;

/**
 * Loads leaflets, directory, fee rules and the check's policy. A file that does not even validate is
 * returned as problems (the check reports them like any other finding) instead of thrown.
 */
export async function loadKnowledgeFiles(
  dir: string,
): Promise<{ files: KnowledgeFiles; problems: [] } | { files: null; problems: DataProblem[] }> {
  try {
    const leaflets = await loadLeaflets(dir);
    const yaml = new Map<string, string>();
    for (const file of Object.values(directoryFiles)) {
      yaml.set(file, await readFile(path.join(dir, file), "utf8").catch(() => ""));
    }
    const files: LeafletFile[] = [];
    for (const leaflet of leaflets) {
      const raw = await readFile(path.join(dir, leaflet.file), "utf8");
      const header = frontMatter.exec(raw)?.[0] ?? "";
      files.push({ leaflet, raw, body: raw.slice(header.length), bodyFirstLine: header.split("\n").length });
    }
    return {
      files: {
        dir,
        leaflets: files,
        directory: await MrcDirectory.load(dir),
        fees: await FeeRules.load(dir),
        ruleFacts: await RuleFacts.load(dir),
        policy: await loadKnowledgePolicy(dir),
        yaml,
      },
      problems: [],
    };
  } catch (error) {
    if (!isRahnamaError(error, "KNOWLEDGE_INVALID")) throw error;
    const listed = (error.details.problems as DataProblem[] | undefined) ?? [];
    return {
      files: null,
      problems:
        listed.length > 0 ? listed : [{ file: dir, line: 1, field: "", message: error.message.replace(/\n\s*/g, " ") }],
    };
  }
}

/** The 1-based line of the first occurrence of `needle` in `text` (1 when absent). */
export function lineOf(text: string, needle: string, from = 0): number {
  const index = text.indexOf(needle, from);
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}
