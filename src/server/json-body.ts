import { RahnamaError } from "../errors.js";

/**
 * The deepest nesting a request body may have. Every payload we read (Direct Line activities, Telegram
 * updates, WhatsApp webhooks, Bot Framework activities with adaptive cards, console calls) stays far
 * below it, while V8's recursive JSON.stringify and zod's checks overflow the stack a few thousand
 * levels down: a body thousands of levels deep would fail as a 500 wherever it is stored or logged.
 */
export const maxJsonDepth = 64;

/**
 * JSON.parse for request bodies: a body nested deeper than `maxJsonDepth` is refused as invalid input.
 * The depth is counted on the text, before parsing, so that nothing deep is ever built.
 */
export function parseJsonBody(text: string): unknown {
  if (nestingDepth(text) > maxJsonDepth) {
    throw new RahnamaError("INPUT_INVALID", `The body nests deeper than ${String(maxJsonDepth)} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RahnamaError("INPUT_INVALID", "The body is not valid JSON");
  }
}

/** The deepest bracket nesting outside strings; stops counting once past the limit. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // a backslash escapes the next character, quotes included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > maxJsonDepth) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}
