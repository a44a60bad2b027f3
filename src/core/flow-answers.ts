import { replyLanguages } from "../i18n/languages.js";
import { normaliseForMatching } from "../nlu/normalise-text.js";
import { flowAnswer } from "./flow.js";
import type { QuickReply } from "./message.js";
import type { TextCatalogue } from "./texts.js";
import type { TurnContext } from "./turn.js";

export type YesNo = "yes" | "no" | "unsure";

export function yesNoButtons(ctx: TurnContext): QuickReply[] {
  return [
    ctx.button("common", "btn_yes", "flow:yes"),
    ctx.button("common", "btn_no", "flow:no"),
    ctx.button("common", "btn_not_sure", "flow:unsure"),
    ctx.button("common", "btn_stop", "flow:stop"),
  ];
}

const typed: Readonly<Record<YesNo, readonly string[]>> = {
  yes: ["yes", "y", "ok", "ha", "haan", "han", "ji", "ji haan", "ho", "da", "ha"],
  no: ["no", "n", "na", "nahi", "nahin", "net", "ne", "yoq"],
  unsure: ["dont know", "not sure", "maybe"],
};

/**
 * A yes/no/not-sure answer from a tapped button, or from the button's words typed in any language
 * ("হ্যাঁ", "نہیں", "да"). Null when the message is something else.
 */
export function readYesNo(ctx: TurnContext): YesNo | null {
  const tapped = flowAnswer(ctx);
  if (tapped === "yes" || tapped === "no" || tapped === "unsure") return tapped;
  return readYesNoText(ctx.inbound.text, ctx.services.texts);
}

/** Yes, no or not sure typed as a whole message in any language, or null. */
export function readYesNoText(message: string, texts: TextCatalogue): YesNo | null {
  const text = normaliseForMatching(message);
  if (!text) return null;
  const keys: Readonly<Record<YesNo, string>> = { yes: "btn_yes", no: "btn_no", unsure: "btn_not_sure" };
  for (const answer of ["yes", "no", "unsure"] as const) {
    if (typed[answer].includes(text)) return answer;
    for (const lang of replyLanguages) {
      if (normaliseForMatching(texts.get("common", keys[answer], lang).text) === text) return answer;
    }
  }
  return null;
}
