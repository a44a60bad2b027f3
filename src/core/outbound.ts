import { applyDirectionMarks } from "../i18n/direction-marks.js";
import { directionOf } from "../i18n/languages.js";
import type { HandoffStatus } from "./conversation.js";
import type { HandoffSummary, Outbound, ReplyMeta } from "./message.js";
import type { ReplyDraft } from "./turn.js";

/**
 * A reply as the channels send it, whoever wrote it (a turn of the bot, or the counsellor relay):
 * right-to-left text carries its direction marks, and the reply says how it was made.
 */
export function toOutbound(draft: ReplyDraft, meta: ReplyMeta): Outbound {
  const direction = directionOf(draft.lang);
  return {
    text: applyDirectionMarks(draft.text, direction),
    lang: draft.lang,
    direction,
    quickReplies: draft.quickReplies,
    citations: draft.citations,
    meta,
  };
}

/** What a reply says of the handoff: nothing while the bot handles the conversation alone. */
export function handoffSummary(status: HandoffStatus | undefined): HandoffSummary {
  return status && status !== "bot" ? { status } : null;
}
