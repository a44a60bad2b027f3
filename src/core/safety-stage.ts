import { replyLanguages } from "../i18n/languages.js";
import type { SafetyCategory } from "../nlu/intent-files.js";
import { normaliseForMatching } from "../nlu/normalise-text.js";
import { followUpTarget, isConditionFollowUp } from "../nlu/follow-up.js";
import { placeNow } from "../nlu/where-named.js";
import { readYesNo, readYesNoText } from "./flow-answers.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

/** A question of the safety check older than this is no longer what a message answers. */
const questionWindowMs = 30 * 60 * 1000;

export const triageYes = "safety:danger-yes";
export const triageNo = "safety:danger-no";

/**
 * The answer to "is someone in danger right now?": a tapped button, or yes/no typed in any language, alone
 * or leading a short reply ("no, just asking", "ha bhai"). Not sure counts as yes: a counsellor can judge
 * what the bot cannot.
 */
function dangerAnswer(ctx: TurnContext): "yes" | "no" | null {
  const action = ctx.inbound.action;
  if (action === triageYes) return "yes";
  if (action === triageNo) return "no";
  if (action) return null;
  const whole = readYesNo(ctx);
  if (whole) return whole === "no" ? "no" : "yes";
  const text = normaliseForMatching(ctx.inbound.text);
  for (const [key, answer] of [
    ["btn_danger_yes", "yes"],
    ["btn_danger_no", "no"],
  ] as const) {
    if (replyLanguages.some((lang) => normaliseForMatching(ctx.services.texts.get("safety", key, lang).text) === text))
      return answer;
  }
  const words = text.split(" ");
  if (words.length > 6) return null;
  const lead = readYesNoText(words[0] ?? "", ctx.services.texts);
  return lead === "no" ? "no" : lead === "yes" ? "yes" : null;
}

/** Escalates: a counsellor is asked for at once and the person gets the numbers for where they are. */
async function escalate(ctx: TurnContext, category: SafetyCategory, about: string): Promise<void> {
  ctx.path = "safety";
  ctx.safety = true;
  ctx.safetyCategory = category;
  ctx.conversation.safety = true;
  const place = placeNow(about, ctx.origin(), { lastHeardFrom: true });
  if (place) ctx.conversation.location = place;
  // A counsellor takes over from here; a "yes" to the next message must not answer an old question.
  ctx.endFlow("safety");
  ctx.services.metrics.safetyHits.inc({ category });
  ctx.services.log.warn({ ...ctx.services.logConversation(ctx.conversation.key), category }, "safety escalation");
  await ctx.runIntent("safety", 1);
  if (!ctx.conversation.location && !ctx.conversation.safetyQuestion) {
    ctx.conversation.safetyQuestion = { kind: "location", category, text: "", at: ctx.now.toISOString() };
  }
}

export const safetyCheck: Stage<TurnContext> = {
  name: "safety",
  description:
    "Answers a person in danger at once with emergency contacts for where they are and opens a priority handoff; asks when unsure",
  async run(ctx, next) {
    const { conversation } = ctx;
    const pending = conversation.safetyQuestion;
    conversation.safetyQuestion = null;
    const open = pending !== null && ctx.now.getTime() - Date.parse(pending.at) < questionWindowMs;
    if (open && pending.kind === "triage") {
      const answer = dangerAnswer(ctx);
      if (answer === "yes") {
        ctx.triage = true;
        // What the person first wrote is what the help is about (first aid, a question answered alongside).
        const said = ctx.inbound.text;
        ctx.answerInstead(pending.text);
        await escalate(ctx, pending.category, `${pending.text} ${said}`);
        return;
      }
      if (answer === "no") {
        ctx.triage = true;
        ctx.answerInstead(pending.text);
        await next();
        return;
      }
    }
    if (open && pending.kind === "location" && !ctx.inbound.action) {
      const place = placeNow(ctx.inbound.text, ctx.origin(), { answering: true });
      if (place) {
        conversation.location = place;
        ctx.path = "safety";
        ctx.safety = true;
        ctx.safetyCategory = pending.category;
        await ctx.runIntent("safety", 1);
        return;
      }
    }
    const previous = conversation.lastQuestion;
    const recentQuestion = previous !== null && ctx.now.getTime() - Date.parse(previous.at) < questionWindowMs;
    const verdict = ctx.services.safety.judge(ctx.inbound.text, {
      answering: conversation.flow !== null,
      followUp: recentQuestion && (isConditionFollowUp(ctx.inbound.text) || followUpTarget(ctx.inbound.text) !== null),
    });
    if (verdict.decision === "escalate") {
      await escalate(ctx, verdict.category, ctx.inbound.text);
      answeredQuestionIsNext(ctx);
      return;
    }
    // A tapped button is a choice, not a story; a conversation already with a counsellor's team needs no question.
    const queued =
      conversation.safety && conversation.handoff.status !== "bot" && conversation.handoff.status !== "resolved";
    if (verdict.decision === "triage" && !ctx.inbound.action && !queued) {
      ctx.path = "safety";
      ctx.triage = true;
      conversation.safetyQuestion = {
        kind: "triage",
        category: verdict.category,
        // No more of it than the transcript keeps.
        text: ctx.inbound.text.slice(0, Math.min(4_000, ctx.services.config.MAX_MESSAGE_CHARS)),
        at: ctx.now.toISOString(),
      };
      ctx.services.metrics.safetyTriage.inc();
      ctx.say(ctx.text("safety", "triage_question"), {
        quickReplies: [
          ctx.button("safety", "btn_danger_yes", triageYes),
          ctx.button("safety", "btn_danger_no", triageNo),
        ],
      });
      return;
    }
    await next();
  },
};

/**
 * A question the safety reply also answered from a leaflet ("where do I complain about unpaid wages?") is
 * the subject of the next one ("and if my brother works in Qatar?").
 */
function answeredQuestionIsNext(ctx: TurnContext): void {
  if (ctx.replies.some((reply) => reply.citations.length > 0)) {
    ctx.conversation.lastQuestion = { text: ctx.query.slice(0, 2_000), at: ctx.now.toISOString() };
  }
}
