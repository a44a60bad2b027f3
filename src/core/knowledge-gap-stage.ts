import { countryName } from "../i18n/countries.js";
import { questionGap } from "../nlu/question-gaps.js";
import type { GapReason } from "../retrieval/knowledge-gaps.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

const gapTexts: Readonly<Record<Exclude<GapReason, "no-passage" | "place-not-covered">, string>> = {
  "exchange-rate": "gap_exchange_rate",
  vacancy: "gap_vacancy",
  "named-agency": "gap_agency",
  airfare: "gap_airfare",
};

/** Records a question the leaflets could not answer, for the MRC's list of missing leaflets. */
export async function recordKnowledgeGap(ctx: TurnContext, reason: GapReason): Promise<void> {
  const { services } = ctx;
  const guess = services.classifier.predict(ctx.query, null).best;
  await services.gaps.record(
    {
      lang: ctx.lang,
      reason,
      topic: guess && guess.score >= 0.3 ? guess.intent : null,
      places: ctx.countriesInMessage,
      terms: services.knowledge.migrationTerms(ctx.query, ctx.lang),
    },
    ctx.now,
  );
  services.metrics.retrieval.inc({ result: "gap" });
}

export const knownGaps: Stage<TurnContext> = {
  name: "known-gaps",
  description:
    "Says honestly when a question is one the leaflets cannot answer (today's exchange rate, vacancies, one agency's licence, a country without a leaflet) and records the gap",
  async run(ctx, next) {
    if (ctx.inbound.action || !ctx.query.trim()) {
      await next();
      return;
    }
    const gap = questionGap(ctx.query);
    const origin = ctx.conversation.country;
    const named = ctx.countriesInMessage.filter((country) => country !== origin);
    // "Not covered" only when no place named is: "I work in Malaysia, my friend is in Japan…" is answered
    // about Malaysia.
    const notCovered = ctx.services.knowledge.places.uncovered(named);
    const uncovered = notCovered.length === named.length ? notCovered : [];
    if (!gap && uncovered.length === 0) {
      await next();
      return;
    }
    ctx.path = "retrieval";
    ctx.intent = { id: "fallback", confidence: 0 };
    const counsellor = ctx.button("common", "btn_counsellor", "intent:counsellor");
    if (gap) {
      const more =
        gap === "named-agency"
          ? [ctx.button("common", "topic_agencies_licensing", "topic:agencies-licensing")]
          : gap === "exchange-rate"
            ? [ctx.button("common", "topic_remittances", "topic:remittances")]
            : gap === "airfare"
              ? []
              : [ctx.button("job-offer-check", "title", "intent:job-offer-check")];
      ctx.say(ctx.text("fallback", gapTexts[gap]), { quickReplies: [...more, counsellor] });
    } else {
      const place = uncovered.map((code) => countryName(code, ctx.lang)).join(", ");
      ctx.say(ctx.text("fallback", "gap_place", { place }), { quickReplies: [counsellor] });
    }
    await recordKnowledgeGap(ctx, gap ?? "place-not-covered");
  },
};
