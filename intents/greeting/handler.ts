import type { QuickReply } from "../../src/core/message.js";
import type { TurnContext } from "../../src/core/turn.js";

/**
 * The menu: the guided checks first, then the most asked topics (MRC counsellors' experience), at most
 * ten buttons so it fits a WhatsApp list.
 */
const menuIntents = [
  "job-offer-check",
  "fee-check",
  "recruitment-costs",
  "documents",
  "agency-licence",
  "contracts-rights",
  "returning-home",
  "find-mrc",
  "counsellor",
  "change-language",
] as const;

/** An intent's button label: its own `title` text, or the name of its leaflet topic. */
export function intentTitle(ctx: TurnContext, id: string): string {
  if (ctx.services.texts.has(id, "title")) return ctx.text(id, "title").text;
  const topic = ctx.services.intents.get(id)?.definition.topic;
  return topic ? ctx.text("common", `topic_${topic.replace(/-/g, "_")}`).text : id;
}

export function menuButtons(ctx: TurnContext): QuickReply[] {
  return menuIntents
    .filter((id) => ctx.services.intents.has(id))
    .map((id) => ({ title: intentTitle(ctx, id), action: `intent:${id}` }));
}

export async function greet(ctx: TurnContext): Promise<void> {
  if (ctx.menuPrompt) {
    ctx.say(ctx.menuPrompt, { quickReplies: menuButtons(ctx) });
    return;
  }
  // A returning user asking for the menu does not need the introduction again.
  const returning = ctx.conversation.turns > 0 && ctx.inbound.action === "intent:greeting";
  if (!returning) ctx.say(ctx.text("greeting", "welcome"));
  ctx.say(ctx.text("greeting", "menu_prompt"), { quickReplies: menuButtons(ctx) });
}
