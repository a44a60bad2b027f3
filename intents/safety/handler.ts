import type { TurnContext } from "../../src/core/turn.js";
import { contactLines } from "../../src/directory/format-contacts.js";

/** The emergency answer: said at once, before anything else, with a priority handoff behind it. */
export async function escalateSafety(ctx: TurnContext): Promise<void> {
  const { handoff, metrics, directory } = ctx.services;
  const { created } = await handoff.request(ctx.conversation, "safety", "high", ctx.now);
  if (created) metrics.handoffs.inc({ reason: "safety" });
  const country = ctx.conversation.country;
  const lines = contactLines(directory, country);
  const parts = [ctx.text("safety", "alert").text];
  if (lines.length > 0) parts.push(`${ctx.text("safety", "contacts_intro").text}\n${lines.join("\n")}`);
  if (!country) parts.push(ctx.text("safety", "ask_country").text);
  ctx.say(parts.join("\n\n"));
}
