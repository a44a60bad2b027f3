import type { TurnContext } from "../core/turn.js";
import { safetyContactLines } from "../directory/format-contacts.js";
import { formatOpening } from "./desks.js";

/**
 * Tells a queued person what to expect: outside their MRC's hours, when someone will answer and what
 * to do in an emergency meanwhile; otherwise their place in the queue and, when enough recent claims
 * allow an honest figure, how long people have recently waited. What was said is kept on the queue
 * entry, so the queue watch can tell them again if the wait grows.
 */
export async function tellQueueStatus(ctx: TurnContext, options: { emergencyContactsGiven: boolean }): Promise<void> {
  const { conversation, now } = ctx;
  if (conversation.handoff.status !== "pending") return;
  const { desk, desks, handoff, directory } = ctx.services;
  const team = desks.forConversation(conversation.country);
  const opening = desks.isOpen(team, now) ? null : desks.nextOpening(team, now);
  if (opening) {
    const parts = [
      ctx.text("counsellor", "outside_hours", { opening: formatOpening(opening, team.timeZone, ctx.lang) }).text,
    ];
    if (!options.emergencyContactsGiven) {
      const lines = safetyContactLines(directory, {
        origin: conversation.country,
        location: null,
        category: "threat-to-life",
      });
      if (lines.length > 0) parts.push(lines.join("\n"));
    }
    ctx.say(parts.join("\n\n"));
    await handoff.noteTold(conversation.key, null, now);
    return;
  }
  const place = (await desk.queue(now)).find((entry) => entry.conversationKey === conversation.key);
  if (!place) return;
  const minutes = await handoff.recentWaitMinutes(now, team.id);
  const parts = [ctx.text("counsellor", "queue_position", { position: place.position }).text];
  if (minutes !== null) parts.push(ctx.text("counsellor", "wait_estimate", { minutes }).text);
  ctx.say(parts.join(" "));
  await handoff.noteTold(conversation.key, minutes, now);
}
