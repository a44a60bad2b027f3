import type { TurnContext } from "../../src/core/turn.js";
import { contactLines } from "../../src/directory/format-contacts.js";
import { tellQueueStatus } from "../../src/handoff/queue-notice.js";

export async function requestCounsellor(ctx: TurnContext): Promise<void> {
  const { handoff, metrics, directory } = ctx.services;
  const { created } = await handoff.request(ctx.conversation, "user-request", "normal", ctx.now);
  if (!created) {
    ctx.say(ctx.text("counsellor", "already_requested"));
    await tellQueueStatus(ctx, { emergencyContactsGiven: false });
    return;
  }
  metrics.handoffs.inc({ reason: "user-request" });
  ctx.say(ctx.text("counsellor", "requested"));
  await tellQueueStatus(ctx, { emergencyContactsGiven: false });
  // Only when we know the country: a list of every country's MRC would confuse more than help here.
  if (ctx.conversation.country) {
    const lines = contactLines(directory, ctx.conversation.country);
    if (lines.length > 0) ctx.say(`${ctx.text("counsellor", "contacts_intro").text}\n${lines.join("\n")}`);
  }
}
