import type { TurnContext } from "../../src/core/turn.js";
import { safetyContactLines } from "../../src/directory/format-contacts.js";
import { tellQueueStatus } from "../../src/handoff/queue-notice.js";
import { isOriginCountry } from "../../src/i18n/countries.js";
import type { SafetyCategory } from "../../src/nlu/intent-files.js";
import { questionKinds } from "../../src/nlu/question-kind.js";
import { searchAndQuote } from "../fallback/handler.js";

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

/** The emergency answer: said at once, before anything else, with a priority handoff behind it. */
export async function escalateSafety(ctx: TurnContext): Promise<void> {
  const { handoff, metrics, directory } = ctx.services;
  const { created } = await handoff.request(ctx.conversation, "safety", "high", ctx.now);
  if (created) metrics.handoffs.inc({ reason: "safety" });
  const category: SafetyCategory = ctx.safetyCategory ?? "threat-to-life";
  const origin = ctx.origin();
  // A destination named in the message is where the person most likely is now.
  const location = ctx.countriesInMessage.find((country) => !isOriginCountry(country) && country !== origin) ?? null;
  const lines = safetyContactLines(directory, { origin, location, category });
  const parts = [ctx.text("safety", "alert").text];
  if (lines.length > 0) parts.push(`${ctx.text("safety", "contacts_intro").text}\n${lines.join("\n")}`);
  if (!ctx.conversation.country) parts.push(ctx.text("safety", "ask_country").text);
  ctx.say(parts.join("\n\n"));
  // Outside the MRC's hours the person must know no one will answer at once (the numbers are above).
  if (created) await tellQueueStatus(ctx, { emergencyContactsGiven: true });
  if (answeredAlongside.has(category) && (questionKinds(ctx.query).length > 0 || /[?؟]/u.test(ctx.query))) {
    await searchAndQuote(ctx, { quiet: true });
  }
}
