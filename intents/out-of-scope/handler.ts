import type { TurnContext } from "../../src/core/turn.js";
import { menuButtons } from "../greeting/handler.js";

export async function outOfScope(ctx: TurnContext): Promise<void> {
  ctx.say(ctx.text("out-of-scope", "default"), { quickReplies: menuButtons(ctx) });
}
