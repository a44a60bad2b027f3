import { flowAnswer, type Flow } from "../../src/core/flow.js";
import type { TurnContext } from "../../src/core/turn.js";
import { contactLines } from "../../src/directory/format-contacts.js";
import type { MrcCentre } from "../../src/directory/mrc-directory.js";
import { countriesMentioned, countryName } from "../../src/i18n/countries.js";
import { asksForContactWithoutPhoneWord, asksForPhoneNumber } from "../../src/nlu/helpline-questions.js";

function countriesWithCentres(ctx: TurnContext): string[] {
  return [...new Set(ctx.services.directory.centres.map((centre) => centre.country))];
}

function citiesIn(centres: readonly MrcCentre[]): string[] {
  return [...new Set(centres.flatMap((centre) => (centre.city ? [centre.city] : [])))];
}

/** The centres of the country, the chosen city's first, each with its contacts. */
function showCentres(ctx: TurnContext, country: string, city: string | null): void {
  const { directory } = ctx.services;
  const centres = [...directory.inCountry(country)].sort((a, b) => Number(b.city === city) - Number(a.city === city));
  const list = centres.map((centre) => `• ${centre.name}${centre.city ? ` (${centre.city})` : ""}`);
  ctx.say(
    [
      ctx.text("find-mrc", "centres", { country: countryName(country, ctx.lang), date: directory.reviewed }).text,
      list.join("\n"),
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

/** Country known: ask for the city when the country has centres in several, else answer at once. */
function answerForCountry(ctx: TurnContext, country: string): void {
  const centres = ctx.services.directory.inCountry(country);
  if (centres.length === 0) {
    ctx.endFlow();
    ctx.say(ctx.text("find-mrc", "no_centre"), {
      quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
    });
    return;
  }
  const cities = citiesIn(centres);
  // "MRC Pakistan's hotline number?", "MRC Iraq's website?": the number or the site is the answer,
  // whichever city's centre is nearest.
  const contactAsked = asksForPhoneNumber(ctx.query, ctx.lang) || asksForContactWithoutPhoneWord(ctx.query, ctx.lang);
  if (cities.length > 1 && !contactAsked) {
    ctx.startFlow("find-mrc", "city", { country });
    ctx.say(ctx.text("find-mrc", "ask_city"), {
      quickReplies: cities.map((city) => ({ title: city, action: `flow:city:${city}` })),
    });
    return;
  }
  ctx.endFlow();
  showCentres(ctx, country, null);
}

/** "Where is my MRC": by country, then city, with the contacts and sources of the directory. */
export const findMrcFlow: Flow = {
  id: "find-mrc",
  async start(ctx) {
    const chosen = ctx.inbound.action?.startsWith("country:") ? ctx.inbound.action.slice("country:".length) : null;
    if (chosen && /^[A-Z]{2}$/.test(chosen)) ctx.conversation.country = chosen;
    const country = ctx.conversation.country;
    if (country) {
      answerForCountry(ctx, country);
      return;
    }
    ctx.startFlow("find-mrc", "country");
    ctx.say(ctx.text("find-mrc", "which_country"), {
      quickReplies: countriesWithCentres(ctx).map((code) => ({
        title: countryName(code, ctx.lang),
        action: `flow:country:${code}`,
      })),
    });
  },
  async resume(ctx, state) {
    const answer = flowAnswer(ctx);
    if (state.step === "country") {
      const country = answer?.startsWith("country:")
        ? answer.slice("country:".length)
        : countriesMentioned(ctx.inbound.text)[0];
      if (!country) return "pass";
      ctx.conversation.country = country;
      answerForCountry(ctx, country);
      return;
    }
    const country = String(state.data.country ?? "");
    const city = answer?.startsWith("city:") ? answer.slice("city:".length) : null;
    ctx.endFlow();
    showCentres(ctx, country, city);
  },
};
