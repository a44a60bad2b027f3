import { flowAnswer, type Flow } from "../../src/core/flow.js";
import type { TurnContext } from "../../src/core/turn.js";

/** Feedback is kept with the conversation, so "delete my data" removes it too. */
async function store(ctx: TurnContext, rating: number, about: string, comment: string | null): Promise<void> {
  const entry = { at: ctx.now.toISOString(), rating, about, lang: ctx.lang, ...(comment ? { comment } : {}) };
  const ttlSeconds = ctx.services.config.DATA_RETENTION_DAYS * 86_400;
  await ctx.services.store.append(`feedback:${ctx.conversation.key}`, [JSON.stringify(entry)], { ttlSeconds });
  ctx.services.metrics.feedback.inc({ rating: String(rating), about });
}

function askRating(ctx: TurnContext): void {
  ctx.say(ctx.text("feedback", "ask_rating"), {
    quickReplies: [1, 2, 3, 4, 5].map((rating) => ({ title: String(rating), action: `flow:rating:${rating}` })),
  });
}

export const feedbackFlow: Flow = {
  id: "feedback",
  async start(ctx) {
    ctx.startFlow("feedback", "rating");
    askRating(ctx);
  },
  async resume(ctx, state) {
    if (state.step === "rating") {
      const answer = flowAnswer(ctx);
      const rating = Number(
        answer?.startsWith("rating:") ? answer.slice("rating:".length) : /^\s*([1-5])\s*$/.exec(ctx.inbound.text)?.[1],
      );
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) return "pass";
      // The counsellor's hand-back asks about the counsellor (src/handoff/relay.ts); otherwise it is the bot.
      ctx.setFlowStep("comment", { rating, about: state.data.about === "counsellor" ? "counsellor" : "bot" });
      ctx.say(ctx.text("feedback", "ask_comment"), {
        quickReplies: [ctx.button("feedback", "no_comment", "flow:skip")],
      });
      return;
    }
    const rating = Number(state.data.rating);
    const comment = flowAnswer(ctx) === "skip" ? null : ctx.inbound.text.trim().slice(0, 1_000) || null;
    ctx.endFlow();
    await store(ctx, rating, state.data.about === "counsellor" ? "counsellor" : "bot", comment);
    ctx.say(ctx.text("feedback", "thanks"), { quickReplies: [ctx.button("common", "btn_menu", "intent:greeting")] });
  },
};
