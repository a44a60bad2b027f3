import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { isoDate, sourceSchema, type Source } from "../data/source.js";
import { formatProblem, parseYaml, type DataProblem } from "../data/yaml-file.js";
import { RahnamaError } from "../errors.js";
import { languageCodes, type LanguageCode } from "../i18n/languages.js";

export const topics = [
  "recruitment-costs",
  "documents",
  "agencies-licensing",
  "visas-work-permits",
  "contracts-rights",
  "occupational-safety",
  "trafficking-red-flags",
  "remittances",
  "reintegration-returnees",
  "women-migrants",
  "health",
  "legal-pathways-europe",
  "other",
] as const;
export type Topic = (typeof topics)[number];

const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, -)"),
    title: z.string().min(5).max(200),
    short_title: z.string().min(2).max(40, "must be at most 40 characters (it goes on a button)").optional(),
    language: z.enum(languageCodes),
    countries: z
      .array(z.union([z.literal("any"), z.string().regex(/^[A-Z]{2}$/, "must be an ISO alpha-2 code or any")]))
      .min(1, "must name at least one country, or [any]"),
    topics: z.array(z.enum(topics)).min(1, "must name at least one topic"),
    sources: z.array(sourceSchema).min(1, "every leaflet needs at least one public source"),
    reviewed: z.union([z.literal(false), isoDate]),
    translated_from: z.enum(languageCodes).optional(),
  })
  .strict();

export type LeafletSource = Source;

export interface LeafletSection {
  readonly heading: string;
  readonly text: string;
}

export interface Leaflet {
  readonly id: string;
  readonly title: string;
  readonly shortTitle: string;
  readonly lang: LanguageCode;
  readonly countries: readonly string[];
  readonly topics: readonly Topic[];
  readonly sources: readonly LeafletSource[];
  readonly reviewed: string | false;
  readonly translatedFrom: LanguageCode | null;
  readonly sections: readonly LeafletSection[];
  /** Path relative to the knowledge folder. */
  readonly file: string;
  /** sha256 of the file's bytes: a changed leaflet must be re-indexed. */
  readonly contentHash: string;
}

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Parses one leaflet file. `file` is only used in error messages. */
export function parseLeaflet(source: string, file: string): { leaflet?: Leaflet; problems: DataProblem[] } {
  const match = frontMatterPattern.exec(source);
  if (!match) {
    return {
      problems: [{ file, line: 1, field: "", message: "must start with front matter between two --- lines" }],
    };
  }
  const outcome = parseYaml(match[1] ?? "", frontMatterSchema, file, 2);
  if (!outcome.ok) return { problems: outcome.problems };
  const meta = outcome.value;
  const problems: DataProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ file, line: 2, field, message });

  const expectedName = path.basename(file, ".md");
  if (meta.id !== expectedName) problem("id", `must equal the file name (${expectedName})`);
  const folder = path.basename(path.dirname(file));
  if (meta.language !== folder) problem("language", `must equal the folder's language (${folder})`);
  if (meta.translated_from === meta.language) problem("translated_from", "must differ from language");

  const bodyStartLine = match[0].split("\n").length;
  // HTML comments are notes for editors (e.g. "imported from a PDF, check it"), never shown to users.
  const sections = splitSections(source.slice(match[0].length).replace(/<!--[\s\S]*?-->/g, ""), meta.title);
  if (sections.length === 0) {
    problems.push({ file, line: bodyStartLine, field: "", message: "has no text after the front matter" });
  }
  if (problems.length > 0) return { problems };

  return {
    problems,
    leaflet: {
      id: meta.id,
      title: meta.title,
      shortTitle: meta.short_title ?? shorten(meta.title, 40),
      lang: meta.language,
      countries: meta.countries,
      topics: meta.topics,
      sources: meta.sources,
      reviewed: meta.reviewed,
      translatedFrom: meta.translated_from ?? null,
      sections,
      file,
      contentHash: createHash("sha256").update(source).digest("hex"),
    },
  };
}

/** `## ` headings start sections; text before the first one (after an optional `# Title`) is an intro. */
function splitSections(body: string, title: string): LeafletSection[] {
  const sections: LeafletSection[] = [];
  let heading = title;
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join("\n").trim();
    if (text) sections.push({ heading, text });
    lines = [];
  };
  for (const line of body.split(/\r?\n/)) {
    const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h2) {
      flush();
      heading = h2[1] ?? title;
    } else if (!/^#\s/.test(line)) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * Loads every `leaflets/<lang>/<id>.md` under the knowledge folder. Any problem in any file stops
 * loading with one error that lists them all, so an editor fixes everything in one pass.
 */
export async function loadLeaflets(knowledgeDir: string): Promise<Leaflet[]> {
  const root = path.join(knowledgeDir, "leaflets");
  const files = await listMarkdown(root);
  const leaflets: Leaflet[] = [];
  const problems: DataProblem[] = [];
  for (const absolute of files) {
    const relative = path.relative(knowledgeDir, absolute);
    const parsed = parseLeaflet(await readFile(absolute, "utf8"), relative);
    problems.push(...parsed.problems);
    if (parsed.leaflet) leaflets.push(parsed.leaflet);
  }
  const seen = new Map<string, string>();
  for (const leaflet of leaflets) {
    const key = `${leaflet.lang}/${leaflet.id}`;
    const previous = seen.get(key);
    if (previous) problems.push({ file: leaflet.file, line: 2, field: "id", message: `duplicates ${previous}` });
    seen.set(key, leaflet.file);
  }
  if (problems.length > 0) {
    throw new RahnamaError(
      "KNOWLEDGE_INVALID",
      `${problems.length} problem(s) in leaflets:\n  ${problems.map(formatProblem).join("\n  ")}`,
      { details: { problems } },
    );
  }
  return leaflets.sort((a, b) => a.file.localeCompare(b.file));
}

async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listMarkdown(full)));
    else if (entry.isFile() && entry.name.endsWith(".md")) files.push(full);
  }
  return files;
}
