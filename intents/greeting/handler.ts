import type { TurnContext } from "../../src/core/turn.js";

/** The topics offered on the menu, most asked first (MRC counsellors' experience). */
export const menuTopics = [
  "recruitment-costs",
  "documents",
  "agencies-licensing",
  "contracts-rights",
  "trafficking-red-flags",
  "reintegration-returnees",
] as const;

export function menuButtons(ctx: TurnContext) {
  return [
    ...menuTopics.map((topic) => ctx.button("common", `topic_${topic.replace(/-/g, "_")}`, `topic:${topic}`)),
    ctx.button("common", "btn_counsellor", "intent:counsellor"),
    ctx.button("common", "btn_language", "intent:change-language"),
  ];
}

export async function greet(ctx: TurnContext): Promise<void> {
  // A returning user asking for the menu does not need the introduction again.
  const returning = ctx.conversation.turns > 0 && ctx.inbound.action === "intent:greeting";
  if (!returning) ctx.say(ctx.text("greeting", "welcome"));
  ctx.say(ctx.text("greeting", "menu_prompt"), { quickReplies: menuButtons(ctx) });
}
