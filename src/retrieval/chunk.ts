import type { LanguageCode } from "../i18n/languages.js";
import type { Leaflet, Topic } from "./leaflet.js";

/** One quotable passage of a leaflet: the unit that is embedded, searched and shown. */
export interface Chunk {
  readonly id: string;
  readonly leafletId: string;
  readonly lang: LanguageCode;
  readonly heading: string;
  /** The passage as written (light Markdown), quoted to the user. */
  readonly text: string;
  /** What is embedded: title, heading and passage in plain words. */
  readonly searchText: string;
  /**
   * What the full-text indexes see: the same, with the heading repeated, because a question's words in
   * a section's heading say more about the section than the same words in passing (a field boost).
   */
  readonly lexicalText: string;
  readonly countries: readonly string[];
  readonly topics: readonly Topic[];
  readonly position: number;
}

/** Sections longer than this are split at paragraph breaks, so a quote stays readable on a phone. */
const maxChunkChars = 1_200;

export function chunkLeaflet(leaflet: Leaflet): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of leaflet.sections) {
    for (const text of splitLongText(section.text, maxChunkChars)) {
      const position = chunks.length;
      chunks.push({
        id: `${leaflet.lang}/${leaflet.id}#${position}`,
        leafletId: leaflet.id,
        lang: leaflet.lang,
        heading: section.heading,
        text,
        searchText: `${leaflet.title}. ${section.heading}. ${plainText(text)}`,
        lexicalText: `${leaflet.title}. ${section.heading}. ${section.heading}. ${plainText(text)}`,
        countries: leaflet.countries,
        topics: leaflet.topics,
        position,
      });
    }
  }
  return chunks;
}

function splitLongText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = "";
  for (const paragraph of text.split(/\n\s*\n/)) {
    if (current && current.length + paragraph.length + 2 > max) {
      parts.push(current);
      current = paragraph;
    } else {
      current = current ? `${current}\n\n${paragraph}` : paragraph;
    }
  }
  if (current) parts.push(current);
  return parts;
}

/** Markdown markers removed, links reduced to their words. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/[*_`>#]/g, "")
    .replace(/^\s*[-•]\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}
