import { hotlineLine } from "../directory/format-contacts.js";
import { countryName, euMembers, isOriginCountry } from "../i18n/countries.js";
import type { Hotline, HotlineKind } from "../directory/mrc-directory.js";
import { factQuestion } from "../nlu/fact-questions.js";
import {
  asksForContactWithoutPhoneWord,
  asksForPhoneNumber,
  asksHowManyLinesAnswered,
  helplineKindsAsked,
} from "../nlu/helpline-questions.js";
import { questionKinds } from "../nlu/question-kind.js";
import { cueList, cueTexts, hasCue } from "../nlu/normalise-text.js";
import { ruleQuestion } from "../nlu/rule-questions.js";
import { answerFromRuleFacts } from "./rule-fact-answer.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

/** Numbers shown for a country, most important first (the directory's order). */
const maxLines = 4;

/** The place a question is about: a destination it names, else the one country it names, else the asker's. */
function placeAsked(ctx: TurnContext): string | null {
  return placesAsked(ctx)[0] ?? null;
}

/** The places a question could be about, likeliest first: destinations named, other places named, the asker's. */
function placesAsked(ctx: TurnContext): string[] {
  const named = ctx.countriesInMessage;
  const origin = ctx.origin();
  const destinations = named.filter((code) => !isOriginCountry(code) && code !== origin);
  return [...new Set([...destinations, ...named, ...(origin ? [origin] : [])])];
}

/** The places with the EU after the first member state among them (the EU's numbers hold in each). */
function withEu(places: readonly string[]): string[] {
  const member = places.findIndex((code) => euMembers.has(code));
  if (member < 0 || places.includes("EU")) return [...places];
  return [...places.slice(0, member + 1), "EU", ...places.slice(member + 1)];
}

// "MRC", or the centre's name in the reply languages: its own contacts are in the MRC directory.
const mrcNames = cueList(`mrc | migrant resource cent | এমআরসি | مرکز معلومات مهاجرین | مرکز منابع مهاجرین |
  مركز موارد المهاجرين | مركز موارد مهاجرين | مرکز وسائل مهاجرین | د مهاجرینو معلوماتي مرکز | мрц | маркази захираҳои муҳоҷирон`);

/** Says the lines under a heading ("Emergency numbers in Libya:"), with a counsellor button; false when none. */
function sayLines(
  ctx: TurnContext,
  place: string,
  lines: readonly Hotline[],
  heading: "emergency_numbers" | "helplines",
): boolean {
  if (lines.length === 0) return false;
  ctx.path = "intent";
  ctx.intent = { id: "facts", confidence: 1 };
  const intro = ctx.text("common", heading, { place: countryName(place, ctx.lang) }).text;
  const shown = lines.slice(0, maxLines).map(hotlineLine);
  ctx.say(`${intro}\n${shown.join("\n")}`, {
    quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
  });
  return true;
}

/** The lines of the organisation a question names ("FIA", "OPF", "LMRA"), under a heading for their country. */
function answerFromNamedLines(ctx: TurnContext): boolean {
  const lines = ctx.services.directory.hotlinesNamed(ctx.query);
  const place = lines[0]?.country;
  if (!place) return false;
  return sayLines(
    ctx,
    place,
    lines.filter((line) => line.country === place),
    "helplines",
  );
}

/** The directory's numbers of these kinds for the place asked; false when the directory has none there. */
function answerFromHotlines(
  ctx: TurnContext,
  kinds: readonly HotlineKind[],
  heading: "emergency_numbers" | "helplines",
  place: string | null = placeAsked(ctx),
): boolean {
  if (!place) return false;
  return sayLines(ctx, place, ctx.services.directory.hotlinesIn(place, kinds), heading);
}

export const factTables: Stage<TurnContext> = {
  name: "fact-tables",
  description:
    "Answers from the validated data files what they hold: emergency numbers and helplines by country, official cost ceilings by route, patent prices, registration and notification deadlines, midday work bans",
  async run(ctx, next) {
    if (ctx.inbound.action || !ctx.query.trim()) {
      await next();
      return;
    }
    const kind = factQuestion(ctx.query, ctx.lang);
    const asksNumber =
      kind !== "cost-ceiling" &&
      asksForPhoneNumber(ctx.query, ctx.lang) &&
      !asksHowManyLinesAnswered(ctx.query, questionKinds(ctx.query), ctx.lang);
    const asked = asksNumber ? helplineKindsAsked(ctx.query, ctx.lang) : null;
    // "An accident at the site and no salary: the labour ministry's hotline?" asks for that line, not 999.
    const namesLine = (asked ?? []).some((line) => line !== "police");
    // The first place asked that has such numbers: Germany's are the EU's 112.
    if (
      kind === "emergency-number" &&
      !namesLine &&
      withEu(placesAsked(ctx)).some((place) =>
        answerFromHotlines(ctx, ["emergency", "police", "ambulance"], "emergency_numbers", place),
      )
    )
      return;
    // "MRC Pakistan's free number?", "MRC Тоҷикистон сайт дорад?": the MRC named with a number or website
    // word asks for its contacts.
    // Read also without Arabic's glued prepositions: "لمركز موارد المهاجرين".
    const namesMrc = cueTexts(ctx.query, ctx.lang).some((text) => hasCue(text, mrcNames));
    if (namesMrc && (asksNumber || asksForContactWithoutPhoneWord(ctx.query, ctx.lang))) {
      ctx.path = "intent";
      await ctx.runIntent("find-mrc", 1);
      return;
    }
    if (asksNumber && answerFromNamedLines(ctx)) return;
    // A line for migrant workers takes their complaints too (Bahrain's 995 for distressed workers).
    const helplines = asked?.includes("labour-complaints") ? [...asked, "migrant-helpline" as const] : asked;
    // A ministry's line is the country's whose ministry is named: "from Russia, how do I call Tajikistan's
    // interior ministry?" asks for Tajikistan's number, though the caller is in Russia.
    const namedHome = ctx.countriesInMessage.find(isOriginCountry);
    if (helplines?.includes("police") && namedHome && answerFromHotlines(ctx, helplines, "helplines", namedHome))
      return;
    // A place with no such line gives way to the next one asked about (a trafficking line at home, not in Libya).
    if (helplines && placesAsked(ctx).some((place) => answerFromHotlines(ctx, helplines, "helplines", place))) return;
    const rule = kind === null ? ruleQuestion(ctx.query, ctx.lang) : null;
    // A question about a pension or citizenship "in Russia, how much" is not asking for the patent's price:
    // a specific subject (specific-subjects.yaml) is answered by a table only when the table is about it
    // (the subject "minimum wage" by the table "minimum-wage").
    const subjects =
      rule || kind === "cost-ceiling" ? ctx.services.knowledge.specificSubjects.askedIn(ctx.query, ctx.lang) : [];
    const tableFits = (table: string) => subjects.every((subject) => subject === table.replaceAll("-", " "));
    if (rule && tableFits(rule) && (await answerFromRuleFacts(ctx, rule))) return;
    if (kind === "cost-ceiling" && subjects.length === 0) {
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
