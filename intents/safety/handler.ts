import type { TurnContext } from "../../src/core/turn.js";
import { safetyContactLines } from "../../src/directory/format-contacts.js";
import { tellQueueStatus } from "../../src/handoff/queue-notice.js";
import { countryName } from "../../src/i18n/countries.js";
import type { SafetyCategory } from "../../src/nlu/intent-files.js";
import { questionKinds } from "../../src/nlu/question-kind.js";
import { searchAndQuote } from "../fallback/handler.js";
import { firstAid } from "./first-aid.js";

/**
 * Abuses at work where the person is not in danger this minute: a question they ask with it ("which
 * officer at the consulate?", "what is the penalty for keeping my passport?") is answered too, after
 * the alert, while a counsellor is on the way. Never for violence, threats, sexual abuse or suicide.
 */
const answeredAlongside: ReadonlySet<SafetyCategory> = new Set([
  "unpaid-wages",
  "confiscated-documents",
  "debt-bondage",
  "forced-labour",
]);

/**
 * The emergency answer, said at once with a priority handoff behind it: first aid first for a medical
 * emergency; then the emergency number of the country the person is in, the help lines for migrants
 * there, and their MRC; then one question if the bot does not know where they are.
 */
export async function escalateSafety(ctx: TurnContext): Promise<void> {
  const { handoff, metrics, directory, knowledge } = ctx.services;
  const { address, sender, text } = ctx.inbound;
  const { created } = await handoff.request(ctx.conversation, "safety", "high", ctx.now, {
    sender: sender ?? `${address.channel}:${address.user}`,
    text,
  });
  if (created) metrics.handoffs.inc({ reason: "safety" });
  const category: SafetyCategory = ctx.safetyCategory ?? "threat-to-life";
  const origin = ctx.origin();
  const location = ctx.conversation.location;
  if (category === "medical-emergency") {
    const aid = firstAid(knowledge, ctx.inbound.text, ctx.lang);
    if (aid) ctx.say(aid.text, { citations: [aid.citation] });
  }
  const lines = safetyContactLines(directory, { origin, location, category });
  const parts = [ctx.text("safety", "alert").text];
  const intro = location
    ? ctx.text("safety", "contacts_intro_place", { place: countryName(location, ctx.lang) }).text
    : ctx.text("safety", "contacts_intro").text;
  if (lines.length > 0) parts.push(`${intro}\n${lines.join("\n")}`);
  if (!location) parts.push(ctx.text("safety", "ask_location").text);
  else if (!ctx.conversation.country) parts.push(ctx.text("safety", "ask_country").text);
  ctx.say(parts.join("\n\n"));
  // Outside the MRC's hours the person must know no one will answer at once (the numbers are above).
  if (created) await tellQueueStatus(ctx, { emergencyContactsGiven: true });
  if (answeredAlongside.has(category) && (questionKinds(ctx.query).length > 0 || /[?؟]/u.test(ctx.query))) {
    await searchAndQuote(ctx, { quiet: true });
  }
}
