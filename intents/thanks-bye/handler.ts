import type { TurnContext } from "../../src/core/turn.js";

export async function thanksBye(ctx: TurnContext): Promise<void> {
  ctx.say(ctx.text("thanks-bye", "default"), { quickReplies: [ctx.button("common", "btn_menu", "intent:greeting")] });
}
