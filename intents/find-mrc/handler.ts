import type { TurnContext } from "../../src/core/turn.js";
import { contactLines } from "../../src/directory/format-contacts.js";
import { countryName } from "../../src/i18n/countries.js";

/** Countries with an MRC in the directory, offered as buttons when we do not know the user's. */
function countriesWithCentres(ctx: TurnContext): string[] {
  return [...new Set(ctx.services.directory.centres.map((centre) => centre.country))];
}

export async function findMrc(ctx: TurnContext): Promise<void> {
  const chosen = ctx.inbound.action?.startsWith("country:") ? ctx.inbound.action.slice("country:".length) : null;
  if (chosen && /^[A-Z]{2}$/.test(chosen)) ctx.conversation.country = chosen;
  const country = ctx.conversation.country;
  const { directory } = ctx.services;
  if (!country) {
    ctx.say(ctx.text("find-mrc", "which_country"), {
      quickReplies: countriesWithCentres(ctx).map((code) => ({
        title: countryName(code, ctx.lang),
        action: `country:${code}`,
      })),
    });
    return;
  }
  const centres = directory.inCountry(country);
  if (centres.length === 0) {
    ctx.say(ctx.text("find-mrc", "no_centre"), {
      quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
    });
    return;
  }
  const cities = centres.map((centre) => `• ${centre.name}${centre.city ? ` (${centre.city})` : ""}`);
  ctx.say(
    [
      ctx.text("find-mrc", "centres", { country: countryName(country, ctx.lang), date: directory.reviewed }).text,
      cities.join("\n"),
      contactLines(directory, country, { includeWebsites: true }).join("\n"),
      ctx.text("find-mrc", "hours_unknown").text,
    ].join("\n\n"),
    {
      quickReplies: [
        ctx.button("common", "btn_counsellor", "intent:counsellor"),
        ctx.button("common", "btn_menu", "intent:greeting"),
      ],
    },
  );
}
