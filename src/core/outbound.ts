import { applyDirectionMarks } from "../i18n/direction-marks.js";
import { directionOf } from "../i18n/languages.js";
import type { HandoffStatus } from "./conversation.js";
import type { HandoffSummary, Outbound, ReplyMeta } from "./message.js";
import type { ReplyDraft, TurnContext } from "./turn.js";

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

/** A turn's replies as the channel gets them, each saying how the turn answered. */
export function turnOutbound(ctx: TurnContext): Outbound[] {
  const handoffStatus = ctx.conversation?.handoff.status;
  return ctx.replies.map((reply) =>
    toOutbound(reply, {
      intent: ctx.intent?.id ?? null,
      confidence: ctx.intent ? Math.round(ctx.intent.confidence * 1000) / 1000 : null,
      lang: ctx.lang,
      handoff: handoffSummary(handoffStatus),
      safety: ctx.safety,
      ...(ctx.triage ? { triage: true } : {}),
      ...(ctx.retrieval ? { retrieval: ctx.retrieval } : {}),
      ...(ctx.erased ? { erased: true as const } : {}),
    }),
  );
}
