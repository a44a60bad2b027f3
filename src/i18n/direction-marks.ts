import type { TextDirection } from "./languages.js";

const rightToLeftLetter = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const leftToRightRun =
  /[+(]?[0-9A-Za-z\u00C0-\u024F][0-9A-Za-z\u00C0-\u024F .,:/()+\-–%@_#&=?]*[0-9A-Za-z\u00C0-\u024F)%]|[0-9A-Za-z]/gu;

const RLM = "\u200F";
const LRI = "\u2066";
const PDI = "\u2069";

/**
 * Unicode direction marks for a right-to-left message, so phone numbers, amounts, URLs and English
 * names keep their order on every channel, including plain-text ones (WhatsApp, Telegram) that have no
 * markup for direction: the message starts with a right-to-left mark, and each left-to-right run is
 * isolated (LRI … PDI). Lines with no right-to-left letters at all (an English passage quoted in an
 * Urdu answer) are isolated whole.
 */
export function applyDirectionMarks(text: string, direction: TextDirection): string {
  if (direction !== "rtl") return text;
  const lines = text.split("\n").map((line) => {
    if (!line.trim()) return line;
    if (!rightToLeftLetter.test(line)) return `${LRI}${line}${PDI}`;
    return line.replace(leftToRightRun, (run) => `${LRI}${run}${PDI}`);
  });
  return RLM + lines.join("\n");
}

/** The text without direction marks (for comparisons and logs). */
export function stripDirectionMarks(text: string): string {
  return text.replace(/[\u200E\u200F\u2066-\u2069]/gu, "");
}
