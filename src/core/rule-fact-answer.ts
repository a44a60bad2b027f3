import { localised, type FactAnswer } from "../directory/rule-facts.js";
import { countryName, isOriginCountry, placeMentions, type PlaceMention } from "../i18n/countries.js";
import { namesRussianPaperwork, type RuleQuestion } from "../nlu/rule-questions.js";
import { namesDomesticWork } from "../nlu/worker-groups.js";
import { citationOf } from "./citation.js";
import { recordKnowledgeGap } from "./knowledge-gap-stage.js";
import type { TurnContext } from "./turn.js";

/** Sources named under a fact's answer; the rest are in the cited leaflet. */
const maxSources = 2;

/**
 * The places a table question is about: the destinations it names; none named is "any the table covers"
 * only where the words themselves say where (a patent and the MVD are Russia's; the midday ban table is
 * the Gulf's, one row per country). Null when the question must name its place and does not.
 */
function placesAsked(
  ctx: TurnContext,
  kind: RuleQuestion,
  mentions: readonly PlaceMention[],
  origin: string | null,
): string[] | null {
  const named = [...new Set(mentions.map((mention) => mention.code))];
  // "Tajik citizens in Russia": the asker's own country is who asks, not where; "foreign workers in Iraq"
  // asked by someone else is about Iraq.
  const elsewhere = named.filter((code) => code !== origin);
  if (elsewhere.length > 0) return elsewhere;
  // Only the asker's own country named: the question is about it ("minimum wage in Iraq?" from an Iraqi).
  if (named.length > 0) return named;
  if (kind === "midday-ban") return [];
  return namesRussianPaperwork(ctx.query) ? ["RU"] : null;
}

/** Answers a question about a rule or figure in `knowledge/facts.yaml`; false when the table has none for it. */
export async function answerFromRuleFacts(ctx: TurnContext, kind: RuleQuestion): Promise<boolean> {
  const { ruleFacts } = ctx.services;
  const mentions = placeMentions(ctx.query);
  const asker = ctx.origin();
  const places = placesAsked(ctx, kind, mentions, asker);
  if (places === null) return false;
  // Rows by citizenship fit the citizens the question names ("and for Kyrgyz?"), else the asker.
  const origin = mentions.map((mention) => mention.code).find((code) => isOriginCountry(code)) ?? asker;
  const found = ruleFacts.find({
    kind,
    places,
    cities: mentions.flatMap((mention) => (mention.city ? [mention.city] : [])),
    origin,
    domesticWork: namesDomesticWork(ctx.query, ctx.lang),
  });
  if (!found) {
    // A country the table has no figure for, where the table is the leaflets' every figure of this kind.
    const missing = ruleFacts.missingPlace(kind);
    const place = places[0];
    if (!missing || !place) return false;
    await sayWeLackIt(ctx, localised(missing, ctx.lang).text.replaceAll("{place}", countryName(place, ctx.lang)));
    return true;
  }
  if (found.missingRow && found.fact.missing_row) {
    await sayWeLackIt(ctx, localised(found.fact.missing_row, ctx.lang).text);
    return true;
  }
  answeredFromTable(ctx);
  // One row shown from its own leaflet (a country's minimum wage) cites that leaflet.
  const leafletId = (found.rows.length === 1 ? found.rows[0]?.leaflet : undefined) ?? found.fact.leaflet;
  const leaflet = ctx.services.knowledge.leaflet(leafletId, ctx.lang === "eng" ? ["eng"] : [ctx.lang, "eng"]);
  ctx.say(factText(ctx, found), {
    quickReplies: [
      ...(leaflet ? [{ title: leaflet.shortTitle, action: `leaflet:${leaflet.id}` }] : []),
      ctx.button("common", "btn_counsellor", "intent:counsellor"),
    ],
    citations: leaflet ? [citationOf(leaflet)] : [],
  });
  return true;
}

function answeredFromTable(ctx: TurnContext): void {
  ctx.path = "intent";
  ctx.intent = { id: "facts", confidence: 1 };
}

/** Not a figure we have: say so, offer a counsellor, and tell the MRC which question went unanswered. */
async function sayWeLackIt(ctx: TurnContext, text: string): Promise<void> {
  answeredFromTable(ctx);
  await recordKnowledgeGap(ctx, "place-not-covered");
  ctx.say(text, { quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")] });
}

function factText(ctx: TurnContext, { fact, rows }: FactAnswer): string {
  const lines = [localised(fact.intro, ctx.lang).text];
  for (const row of rows) lines.push(`• ${localised(row.text, ctx.lang).text}`);
  const rowSources = rows.flatMap((row) => row.sources ?? []);
  const sources = (rowSources.length > 0 ? rowSources : fact.sources)
    .slice(0, maxSources)
    .map((source) => (source.date ? `${source.title} (${source.date})` : source.title))
    .join("; ");
  const years = [...new Set(rows.map((row) => row.as_of ?? fact.as_of))].sort();
  return [
    lines.join("\n"),
    ctx.text("common", "figures_dated", { years: (years.length > 0 ? years : [fact.as_of]).join(", ") }).text,
    ctx.text("common", "fact_source", { sources }).text,
  ].join("\n\n");
}
