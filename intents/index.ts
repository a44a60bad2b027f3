import type { Flow } from "../src/core/flow.js";
import type { IntentHandler } from "../src/core/turn.js";
import { changeLanguage } from "./change-language/handler.js";
import { requestCounsellor } from "./counsellor/handler.js";
import { deleteMyData } from "./delete-my-data/flow.js";
import { answerFromKnowledge, answerOnTopic } from "./fallback/handler.js";
import { feeCheck } from "./fee-check/flow.js";
import { feedbackFlow } from "./feedback/flow.js";
import { findMrcFlow } from "./find-mrc/handler.js";
import { greet } from "./greeting/handler.js";
import { jobOfferCheck } from "./job-offer-check/flow.js";
import { outOfScope } from "./out-of-scope/handler.js";
import { returningHome } from "./returning-home/flow.js";
import { escalateSafety } from "./safety/handler.js";
import { thanksBye } from "./thanks-bye/handler.js";

/** Guided flows by id; each intent of the same id starts its flow. */
export const intentFlows: readonly Flow[] = [
  jobOfferCheck,
  feeCheck,
  returningHome,
  findMrcFlow,
  feedbackFlow,
  deleteMyData,
];

/**
 * Code for each intent, by the id its `intent.yaml` declares. An intent with a `topic` and no code
 * here answers from that topic's leaflets (`answerOnTopic`), so an MRC can add such an intent with a
 * YAML file alone. Start-up fails if any other intent has no handler, or a handler has no intent file.
 */
export const intentHandlers: Readonly<Record<string, IntentHandler>> = {
  greeting: greet,
  "change-language": changeLanguage,
  counsellor: requestCounsellor,
  "thanks-bye": thanksBye,
  fallback: answerFromKnowledge,
  safety: escalateSafety,
  "out-of-scope": outOfScope,
  ...Object.fromEntries(intentFlows.map((flow) => [flow.id, (ctx: Parameters<IntentHandler>[0]) => flow.start(ctx)])),
};

export const topicHandler: IntentHandler = answerOnTopic;
