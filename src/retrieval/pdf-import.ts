import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { stringify } from "yaml";
import { RahnamaError } from "../errors.js";
import type { LanguageCode } from "../i18n/languages.js";
import { parseLeaflet, type Leaflet, type Topic } from "./leaflet.js";

export interface PdfImportOptions {
  readonly lang: LanguageCode;
  readonly country: string;
  readonly knowledgeDir: string;
  readonly id?: string;
  readonly title?: string;
  readonly topic?: Topic;
  /** Where the PDF is published, if it is; otherwise the source is the file the MRC holds. */
  readonly sourceUrl?: string;
}

/** Words per section of an imported leaflet: about what fits a phone screen. */
const sectionWords = 140;

interface ExtractedPdf {
  readonly lines: string[];
  readonly title: string | null;
  readonly date: string | null;
}

/** The text of every page, line by line, with the document's title and creation date if it has them. */
export async function extractPdfText(data: Uint8Array): Promise<ExtractedPdf> {
  const document = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const lines: string[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber += 1) {
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      let line = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(line.trim());
          line = "";
        }
      }
      if (line.trim()) lines.push(line.trim());
      lines.push("");
    }
    const { info } = (await document.getMetadata()) as { info?: { Title?: string; CreationDate?: string } };
    const created = /^D:(\d{4})(\d{2})(\d{2})/.exec(info?.CreationDate ?? "");
    return {
      lines,
      title: info?.Title?.trim() || null,
      date: created ? `${created[1]}-${created[2]}-${created[3]}` : null,
    };
  } finally {
    await document.destroy();
  }
}

/** Paragraphs from lines (blank lines separate them), then sections of about `sectionWords` words. */
function sectionsFrom(lines: readonly string[], title: string): { heading: string; text: string }[] {
  const paragraphs = lines
    .join("\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean);
  const groups: string[][] = [];
  let current: string[] = [];
  let words = 0;
  for (const paragraph of paragraphs) {
    const count = paragraph.split(/\s+/).length;
    if (current.length > 0 && words + count > sectionWords) {
      groups.push(current);
      current = [];
      words = 0;
    }
    current.push(paragraph);
    words += count;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) => ({
    heading: groups.length > 1 ? `${title} (${i + 1}/${groups.length})` : title,
    text: group.join("\n\n"),
  }));
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

/**
 * Turns a PDF leaflet into a Markdown leaflet in `leaflets/<lang>/`, marked `reviewed: false` so an
 * MRC checks it before trusting it. A PDF that cannot be read, or has no text layer, is refused with a
 * clear error and nothing is written.
 */
export async function importPdf(file: string, options: PdfImportOptions): Promise<{ path: string; leaflet: Leaflet }> {
  let data: Uint8Array;
  try {
    data = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new RahnamaError("INPUT_INVALID", `${file}: cannot read the file`, { cause: error });
  }
  let extracted: ExtractedPdf;
  try {
    extracted = await extractPdfText(data);
  } catch (error) {
    throw new RahnamaError(
      "INPUT_INVALID",
      `${file}: not a readable PDF (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const text = extracted.lines.join(" ").trim();
  if (text.split(/\s+/).length < 10) {
    throw new RahnamaError("INPUT_INVALID", `${file}: the PDF has no text to import (a scanned image needs OCR first)`);
  }
  const base = path.basename(file, path.extname(file));
  const title = options.title ?? extracted.title ?? extracted.lines.find((line) => line.length > 3) ?? base;
  const id =
    options.id ??
    (slug(base) ? `pdf-${slug(base)}` : `pdf-${createHash("sha256").update(data).digest("hex").slice(0, 8)}`);
  const frontMatter = {
    id,
    title: title.length >= 5 ? title.slice(0, 200) : `${title} (${base})`,
    language: options.lang,
    countries: [options.country],
    topics: [options.topic ?? "other"],
    sources: [
      options.sourceUrl
        ? { title: title.slice(0, 200), url: options.sourceUrl, date: extracted.date }
        : { title: title.slice(0, 200), file: path.basename(file), date: extracted.date },
    ],
    reviewed: false,
  };
  const body = sectionsFrom(extracted.lines, frontMatter.title)
    .map((section) => `## ${section.heading}\n${section.text}\n`)
    .join("\n");
  const markdown = `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n<!-- Imported from ${path.basename(file)} by npm run ingest. Check the text and sections, then set reviewed to today's date. -->\n\n${body}`;
  const relative = path.join("leaflets", options.lang, `${id}.md`);
  const parsed = parseLeaflet(markdown, relative);
  if (!parsed.leaflet) {
    throw new RahnamaError(
      "KNOWLEDGE_INVALID",
      `${file}: the imported leaflet would be invalid: ${parsed.problems.map((p) => `${p.field} ${p.message}`).join("; ")}`,
    );
  }
  const target = path.join(options.knowledgeDir, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, markdown, { flag: "wx" }).catch(async (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new RahnamaError("INPUT_INVALID", `${relative} already exists; pass --id to import under another name`);
    }
    await rm(target, { force: true });
    throw error;
  });
  return { path: target, leaflet: parsed.leaflet };
}
