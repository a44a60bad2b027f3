import type { IntentHandler } from "../src/core/turn.js";
import { changeLanguage } from "./change-language/handler.js";
import { requestCounsellor } from "./counsellor/handler.js";
import { answerFromKnowledge } from "./fallback/handler.js";
import { findMrc } from "./find-mrc/handler.js";
import { greet } from "./greeting/handler.js";
import { escalateSafety } from "./safety/handler.js";
import { thanksBye } from "./thanks-bye/handler.js";

/**
 * Code for each intent, by the id its `intent.yaml` declares. Start-up fails if an intent file has no
 * handler here or a handler has no intent file.
 */
export const intentHandlers: Readonly<Record<string, IntentHandler>> = {
  greeting: greet,
  "change-language": changeLanguage,
  counsellor: requestCounsellor,
  "thanks-bye": thanksBye,
  fallback: answerFromKnowledge,
  "find-mrc": findMrc,
  safety: escalateSafety,
};
