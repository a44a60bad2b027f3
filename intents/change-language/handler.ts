import { isLanguageCode, languages, replyLanguages } from "../../src/i18n/languages.js";
import type { TurnContext } from "../../src/core/turn.js";
import { menuButtons } from "../greeting/handler.js";

export async function changeLanguage(ctx: TurnContext): Promise<void> {
  const chosen = ctx.inbound.action?.startsWith("lang:") ? ctx.inbound.action.slice("lang:".length) : null;
  if (chosen && isLanguageCode(chosen)) {
    ctx.conversation.lang = chosen;
    ctx.conversation.langChosen = true;
    ctx.lang = chosen;
    ctx.say(ctx.text("change-language", "changed"), { quickReplies: menuButtons(ctx) });
    return;
  }
  // Each language is offered in its own name, so a person who cannot read the current one finds theirs.
  ctx.say(ctx.text("change-language", "choose"), {
    quickReplies: replyLanguages.map((lang) => ({ title: languages[lang].nativeName, action: `lang:${lang}` })),
  });
}
