import type { TurnContext } from "../../src/core/turn.js";
import { contactLines } from "../../src/directory/format-contacts.js";

export async function requestCounsellor(ctx: TurnContext): Promise<void> {
  const { handoff, metrics, directory } = ctx.services;
  const { created } = await handoff.request(ctx.conversation, "user-request", "normal", ctx.now);
  if (!created) {
    ctx.say(ctx.text("counsellor", "already_requested"));
    await sayPlace(ctx);
    return;
  }
  metrics.handoffs.inc({ reason: "user-request" });
  ctx.say(ctx.text("counsellor", "requested"));
  await sayPlace(ctx);
  // Only when we know the country: a list of every country's MRC would confuse more than help here.
  if (ctx.conversation.country) {
    const lines = contactLines(directory, ctx.conversation.country);
    if (lines.length > 0) ctx.say(`${ctx.text("counsellor", "contacts_intro").text}\n${lines.join("\n")}`);
  }
}

/** The person's place in the queue (safety cases go first, so it can be later than the order of asking). */
async function sayPlace(ctx: TurnContext): Promise<void> {
  if (ctx.conversation.handoff.status !== "pending") return;
  const queue = await ctx.services.desk.queue(ctx.now);
  const place = queue.find((entry) => entry.conversationKey === ctx.conversation.key);
  if (place) ctx.say(ctx.text("counsellor", "queue_position", { position: place.position }));
}
