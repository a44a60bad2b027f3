import { citationOf } from "../../src/core/citation.js";
import type { Citation } from "../../src/core/message.js";
import type { LanguageCode } from "../../src/i18n/languages.js";
import { normaliseForMatching } from "../../src/nlu/normalise-text.js";
import type { KnowledgeBase } from "../../src/retrieval/knowledge-base.js";

/** The sourced first-aid leaflet; its sections are in the same order in every translation. */
export const firstAidLeaflet = "gen-medical-emergency-at-work";
/** Sections that say what to do now: heat stroke, bleeding or a broken bone, a fall or no response. */
const whatToDoSections = [2, 3, 4];
/** When the message says too little to choose: "call for help first, stay with them". */
const callFirstSection = 0;
const maxSentences = 3;
const maxChars = 420;

function stems(text: string): Set<string> {
  return new Set(
    normaliseForMatching(text)
      .split(" ")
      .filter((word) => Array.from(word).length >= 4)
      .map((word) => Array.from(word).slice(0, 5).join("")),
  );
}

/**
 * Two or three short lines of first aid for the emergency a message describes, from the leaflet in the
 * person's language (else English), with the leaflet cited. The section is the one sharing the most
 * words with the message that no other what-to-do section has (heat, bleeding, fall); else "call first".
 */
export function firstAid(
  knowledge: KnowledgeBase,
  message: string,
  lang: LanguageCode,
): { text: string; citation: Citation } | null {
  const leaflet = knowledge.leaflet(firstAidLeaflet, [lang, "eng"]);
  if (!leaflet) return null;
  const said = stems(message);
  const sectionStems = whatToDoSections.map((index) => {
    const section = leaflet.sections[index];
    return section ? stems(`${section.heading} ${section.text}`) : new Set<string>();
  });
  let best = callFirstSection;
  let bestScore = 0;
  sectionStems.forEach((own, i) => {
    const others = sectionStems.filter((_, j) => j !== i);
    const score = [...said].filter((stem) => own.has(stem) && !others.some((other) => other.has(stem))).length;
    if (score > bestScore) {
      bestScore = score;
      best = whatToDoSections[i] ?? callFirstSection;
    }
  });
  const section = leaflet.sections[best] ?? leaflet.sections[callFirstSection];
  if (!section) return null;
  const sentences = section.text.split(/(?<=[.!?؟।])\s+/u).filter(Boolean);
  let text = "";
  for (const sentence of sentences.slice(0, maxSentences)) {
    if (text && text.length + sentence.length > maxChars) break;
    text = text ? `${text} ${sentence}` : sentence;
  }
  return { text: `**${section.heading}**\n${text}`, citation: citationOf(leaflet) };
}
