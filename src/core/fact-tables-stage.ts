import { hotlineLine } from "../directory/format-contacts.js";
import { countryName, isOriginCountry } from "../i18n/countries.js";
import type { HotlineKind } from "../directory/mrc-directory.js";
import { factQuestion } from "../nlu/fact-questions.js";
import { helplineKindsAsked } from "../nlu/helpline-questions.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

/** Emergency numbers shown for a country, most important first (the directory's order). */
const maxEmergencyLines = 4;

/** The place a question is about: a destination it names, else the one country it names, else the asker's. */
function placeAsked(ctx: TurnContext): string | null {
  const named = ctx.countriesInMessage;
  const origin = ctx.origin();
  return named.find((code) => !isOriginCountry(code) && code !== origin) ?? named[0] ?? origin;
}

function answerEmergencyNumbers(ctx: TurnContext): boolean {
  const place = placeAsked(ctx);
  if (!place) return false;
  const lines = ctx.services.directory
    .hotlinesIn(place, ["emergency", "police", "ambulance"])
    .slice(0, maxEmergencyLines)
    .map(hotlineLine);
  if (lines.length === 0) return false;
  ctx.path = "intent";
  ctx.intent = { id: "facts", confidence: 1 };
  const intro = ctx.text("common", "emergency_numbers", { place: countryName(place, ctx.lang) }).text;
  ctx.say(`${intro}\n${lines.join("\n")}`, {
    quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
  });
  return true;
}

/** The directory's helplines of the kinds asked, for the place asked; false when it has none there. */
function answerHelplines(ctx: TurnContext, kinds: readonly HotlineKind[]): boolean {
  const place = placeAsked(ctx);
  if (!place) return false;
  const lines = ctx.services.directory.hotlinesIn(place, kinds).slice(0, maxEmergencyLines).map(hotlineLine);
  if (lines.length === 0) return false;
  ctx.path = "intent";
  ctx.intent = { id: "facts", confidence: 1 };
  const intro = ctx.text("common", "helplines", { place: countryName(place, ctx.lang) }).text;
  ctx.say(`${intro}\n${lines.join("\n")}`, {
    quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
  });
  return true;
}

export const factTables: Stage<TurnContext> = {
  name: "fact-tables",
  description:
    "Answers from the validated data files what they hold: emergency numbers and helplines by country, official cost ceilings by route",
  async run(ctx, next) {
    if (ctx.inbound.action || !ctx.query.trim()) {
      await next();
      return;
    }
    const kind = factQuestion(ctx.query);
    if (kind === "emergency-number" && answerEmergencyNumbers(ctx)) return;
    const helplines = kind === null ? helplineKindsAsked(ctx.query) : null;
    if (helplines && answerHelplines(ctx, helplines)) return;
    if (kind === "cost-ceiling") {
      const origin = ctx.conversation.country ?? ctx.countriesInMessage.find(isOriginCountry) ?? ctx.origin();
      if (origin && ctx.services.fees.rules.some((rule) => rule.origin === origin)) {
        ctx.path = "intent";
        await ctx.runIntent("fee-check", 1);
        return;
      }
    }
    await next();
  },
};
