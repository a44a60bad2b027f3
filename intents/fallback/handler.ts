import { citationOf } from "../../src/core/citation.js";
import type { QuickReply } from "../../src/core/message.js";
import type { TurnContext } from "../../src/core/turn.js";
import { countryName } from "../../src/i18n/countries.js";
import type { LanguageCode } from "../../src/i18n/languages.js";
import { recordKnowledgeGap } from "../../src/core/knowledge-gap-stage.js";
import { answerRequestFor } from "../../src/retrieval/answer-request.js";
import { topics, type Leaflet, type Topic } from "../../src/retrieval/leaflet.js";
import { intentTitle } from "../greeting/handler.js";

const maxRelated = 2;

export async function answerFromKnowledge(ctx: TurnContext): Promise<void> {
  const action = ctx.inbound.action ?? "";
  if (action.startsWith("leaflet:")) return showLeaflet(ctx, action.slice("leaflet:".length));
  if (action.startsWith("topic:")) return showTopic(ctx, action.slice("topic:".length));
  if (ctx.likelyIntents.length > 0) {
    // Unsure which subject the question is about: answer from the leaflets if they are sure, and in
    // any case offer the likely subjects, remembering the question for the one the user picks.
    const answered = await searchAndQuote(ctx, { quiet: true, extraReplies: likelyButtons(ctx) });
    if (!answered) {
      ctx.services.metrics.retrieval.inc({ result: "miss" });
      ctx.conversation.pendingQuestion = ctx.query;
      // Honest first: no leaflet answers this as asked (and the MRC's list of gaps learns of it); then
      // the subjects it may be about, whose leaflets the person can open.
      await recordKnowledgeGap(ctx, "no-passage");
      const counsellor = ctx.button("common", "btn_counsellor", "intent:counsellor");
      ctx.say(`${ctx.text("fallback", "not_found").text}\n\n${ctx.text("common", "did_you_mean").text}`, {
        quickReplies: [...likelyButtons(ctx).filter((button) => button.action !== counsellor.action), counsellor],
      });
    }
    return;
  }
  await searchAndQuote(ctx);
}

function likelyButtons(ctx: TurnContext): QuickReply[] {
  return ctx.likelyIntents.map((id) => ({ title: intentTitle(ctx, id), action: `intent:${id}` }));
}

/**
 * For an intent that names a leaflet topic ("what does it cost to go abroad"): the best passage for the
 * question when the leaflets are sure (the intent may be wrong about the subject, the search is
 * measured), else the best passage within the topic, else the list of that topic's leaflets.
 */
export async function answerOnTopic(ctx: TurnContext): Promise<void> {
  const topic = ctx.intent ? ctx.services.intents.get(ctx.intent.id)?.definition.topic : null;
  // Tapped after "is your question about…": answer the question asked before, on this topic.
  const pending = ctx.inbound.action ? ctx.conversation.pendingQuestion : null;
  ctx.conversation.pendingQuestion = null;
  const query = pending ?? ctx.query;
  if (!topic) {
    await searchAndQuote(ctx, { query });
    return;
  }
  if (!ctx.inbound.action && (await searchAndQuote(ctx, { query, quiet: true }))) return;
  if (await searchAndQuote(ctx, { query, topics: [topic], quiet: true })) return;
  ctx.services.metrics.retrieval.inc({ result: "miss" });
  await showTopic(ctx, topic);
}

/**
 * Searches the leaflets (for `query`, else the message) and quotes the best passage. Returns false when
 * nothing was good enough; then it says so, unless `quiet` leaves that to the caller.
 */
export async function searchAndQuote(
  ctx: TurnContext,
  options: { query?: string; topics?: Topic[]; quiet?: boolean; extraReplies?: QuickReply[] } = {},
): Promise<boolean> {
  const { knowledge, metrics } = ctx.services;
  const query = options.query ?? ctx.query;
  const origin = ctx.origin();
  const chosen = await knowledge.answer({
    ...answerRequestFor(query, ctx.lang, { countries: ctx.countries(), origin, kinds: ctx.askedKinds }),
    ...(ctx.focus && query === ctx.query ? { focus: ctx.focus } : {}),
    ...(options.topics ? { topics: options.topics } : {}),
  });
  if (!chosen?.confident) {
    // A quiet search is one attempt of several; its caller counts the miss if all of them fail.
    if (options.quiet) return false;
    metrics.retrieval.inc({ result: "miss" });
    await recordKnowledgeGap(ctx, "no-passage");
    ctx.say(ctx.text("fallback", "not_found"), {
      quickReplies: [
        ctx.button("common", "btn_counsellor", "intent:counsellor"),
        ctx.button("common", "btn_menu", "intent:greeting"),
      ],
    });
    return false;
  }
  // A country known only through the EU's common rules is answered only from the EU-wide leaflets.
  const euOnly = knowledge.places.onlyEuWide(ctx.countriesInMessage);
  if (euOnly.length > 0 && !knowledge.places.answersForEuWide(chosen.leaflet)) {
    if (options.quiet) return false;
    const place = euOnly.map((code) => countryName(code, ctx.lang)).join(", ");
    ctx.say(ctx.text("fallback", "gap_place", { place }), {
      quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
    });
    await recordKnowledgeGap(ctx, "place-not-covered");
    return false;
  }
  metrics.retrieval.inc({ result: "hit" });
  ctx.retrieval = { coverage: chosen.coverage, threshold: chosen.threshold, searchConfident: chosen.searchConfident };
  // For a passage found without an intent, the confidence worth reporting is the choice's.
  if (!ctx.intent || ctx.intent.id === "fallback") {
    ctx.intent = { id: "fallback", confidence: Math.max(0, Math.min(1, chosen.ranked[0]?.score ?? 0)) };
  }
  // Two sections of one leaflet when the choice between them is close, or only the second holds the kind
  // of fact asked: the person gets both rather than the wrong half.
  const passage = chosen.companion
    ? `${chosen.text}\n\n**${chosen.companion.heading}**\n${chosen.companion.text}`
    : chosen.text;
  quotePassage(
    ctx,
    chosen.leaflet,
    chosen.heading,
    passage,
    chosen.related.slice(0, maxRelated),
    chosen.crossLanguage,
    options.extraReplies ?? [],
  );
  return true;
}

/** The answer itself: the leaflet's own words, its title, review date and sources, and where to go next. */
function quotePassage(
  ctx: TurnContext,
  leaflet: Leaflet,
  heading: string,
  passage: string,
  related: readonly Leaflet[],
  crossLanguage = false,
  extraReplies: readonly QuickReply[] = [],
): void {
  const parts: string[] = [];
  if (leaflet.lang !== ctx.lang)
    parts.push(ctx.text("fallback", crossLanguage ? "cross_language" : "english_only").text);
  parts.push(`**${heading}**\n${passage}`);
  const outdated = ctx.services.knowledge.outdatedYears(passage, heading, ctx.now);
  if (outdated.length > 0) parts.push(ctx.text("common", "figures_dated", { years: outdated.join(", ") }).text);
  parts.push(sourceLine(ctx, leaflet));
  const quickReplies: QuickReply[] = [
    ...extraReplies,
    ...related.map((other) => ({ title: other.shortTitle, action: `leaflet:${other.id}` })),
    ctx.button("common", "btn_counsellor", "intent:counsellor"),
  ];
  ctx.conversation.lastLeaflets = [
    leaflet.id,
    ...ctx.conversation.lastLeaflets.filter((id) => id !== leaflet.id),
  ].slice(0, 10);
  ctx.say(parts.join("\n\n"), {
    quickReplies,
    citations: [citationOf(leaflet)],
  });
}

function sourceLine(ctx: TurnContext, leaflet: Leaflet): string {
  return leaflet.reviewed === false
    ? ctx.text("common", "source_line_unreviewed", { title: leaflet.title }).text
    : ctx.text("common", "source_line", { title: leaflet.title, date: leaflet.reviewed }).text;
}

function languagesFor(ctx: TurnContext): LanguageCode[] {
  return ctx.lang === "eng" ? ["eng"] : [ctx.lang, "eng"];
}

async function showLeaflet(ctx: TurnContext, id: string): Promise<void> {
  const leaflet = ctx.services.knowledge.leaflet(id, languagesFor(ctx));
  const first = leaflet?.sections[0];
  if (!leaflet || !first) {
    await searchAndQuote(ctx);
    return;
  }
  const sameTopic = ctx.services.knowledge
    .onTopic(leaflet.topics[0] ?? "other", leaflet.lang, ctx.countries())
    .filter((other) => other.id !== leaflet.id)
    .slice(0, maxRelated);
  quotePassage(ctx, leaflet, first.heading, first.text, sameTopic);
}

export async function showTopic(ctx: TurnContext, value: string): Promise<void> {
  const topic = (topics as readonly string[]).includes(value) ? (value as Topic) : null;
  if (!topic) {
    await searchAndQuote(ctx);
    return;
  }
  const topicName = ctx.text("common", `topic_${topic.replace(/-/g, "_")}`).text;
  const { knowledge } = ctx.services;
  let leaflets = knowledge.onTopic(topic, ctx.lang, ctx.countries());
  if (leaflets.length === 0 && ctx.lang !== "eng") leaflets = knowledge.onTopic(topic, "eng", ctx.countries());
  if (leaflets.length === 0) {
    ctx.say(ctx.text("fallback", "topic_empty", { topic: topicName }), {
      quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
    });
    return;
  }
  ctx.say(ctx.text("fallback", "topic_intro", { topic: topicName }), {
    quickReplies: [
      ...leaflets.slice(0, 6).map((leaflet) => ({ title: leaflet.shortTitle, action: `leaflet:${leaflet.id}` })),
      ctx.button("common", "btn_counsellor", "intent:counsellor"),
    ],
  });
}
