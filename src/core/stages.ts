import { countriesMentioned, isOriginCountry } from "../i18n/countries.js";
import { isLanguageCode } from "../i18n/languages.js";
import { detectLanguage } from "../nlu/language-detector.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

/** How long a channel message id is remembered for de-duplication (webhook retries come within hours). */
const dedupeSeconds = 48 * 3600;

export const dedupe: Stage<TurnContext> = {
  name: "dedupe",
  description: "Drops a message whose channel id was already handled (webhook retries, double taps)",
  async run(ctx, next) {
    const { inbound, services } = ctx;
    const key = `seen:${inbound.address.channel}:${inbound.id}`;
    const first = await services.store.setIfAbsent(key, "1", { ttlSeconds: dedupeSeconds });
    if (!first) {
      ctx.path = "duplicate";
      services.metrics.duplicates.inc({ channel: inbound.address.channel });
      return;
    }
    await next();
  },
};

export const persistConversation: Stage<TurnContext> = {
  name: "persist-conversation",
  description: "Loads the conversation, records the user's message, and on the way out saves state and replies",
  async run(ctx, next) {
    const { services, inbound } = ctx;
    ctx.conversation = await services.conversations.load(inbound.address, ctx.now);
    if (ctx.conversation.lang) ctx.lang = ctx.conversation.lang;
    // Save before anything else sees it: the user's words must never be lost, even if the turn fails.
    await services.transcripts.append(ctx.conversation.key, [
      {
        at: inbound.receivedAt.toISOString(),
        from: "user",
        text: inbound.text,
        attachments: inbound.attachments.length,
      },
    ]);
    await next();
    ctx.conversation.turns += 1;
    ctx.conversation.updatedAt = new Date().toISOString();
    await services.conversations.save(ctx.conversation);
    await services.transcripts.append(
      ctx.conversation.key,
      ctx.replies.map((reply) => ({
        at: new Date().toISOString(),
        from: "bot" as const,
        text: reply.text,
        intent: ctx.intent?.id ?? null,
        citations: reply.citations.map((citation) => citation.leafletId),
      })),
    );
  },
};

export const handoffGate: Stage<TurnContext> = {
  name: "handoff-gate",
  description: "While a counsellor holds the conversation the bot stays silent; the message is relayed",
  async run(ctx, next) {
    const heldByCounsellor = () => ctx.conversation.handoff.status === "open";
    if (heldByCounsellor()) {
      // The transcript already holds the message; the console reads it from there.
      ctx.path = "relayed";
      return;
    }
    await next();
    if (heldByCounsellor()) ctx.replies.length = 0;
  },
};

export const detectUserLanguage: Stage<TurnContext> = {
  name: "language",
  description: "Detects the message's language and switches the conversation to it unless the user chose one",
  async run(ctx, next) {
    const { conversation, inbound } = ctx;
    if (!conversation.langChosen) {
      const guess = detectLanguage(inbound.text);
      const hinted = inbound.hints.lang;
      if (guess.lang && (guess.confident || conversation.lang === null)) conversation.lang = guess.lang;
      else if (!conversation.lang && hinted && isLanguageCode(hinted)) conversation.lang = hinted;
    }
    ctx.lang = conversation.lang ?? ctx.services.config.DEFAULT_LANGUAGE;
    await next();
  },
};

export const rejectTooLong: Stage<TurnContext> = {
  name: "too-long",
  description: "Asks for a shorter message instead of searching with a wall of text",
  async run(ctx, next) {
    const max = ctx.services.config.MAX_MESSAGE_CHARS;
    if (ctx.inbound.text.length > max) {
      ctx.path = "too-long";
      ctx.say(ctx.text("common", "too_long", { max }));
      return;
    }
    await next();
  },
};

export const detectCountry: Stage<TurnContext> = {
  name: "country",
  description: "Learns the user's country from the channel or from what they write",
  async run(ctx, next) {
    const { conversation, inbound } = ctx;
    ctx.countriesInMessage = countriesMentioned(inbound.text);
    if (!conversation.country) {
      const origins = ctx.countriesInMessage.filter(isOriginCountry);
      if (origins.length === 1 && origins[0]) conversation.country = origins[0];
      else if (inbound.hints.country) conversation.country = inbound.hints.country;
    }
    await next();
  },
};

export const safetyCheck: Stage<TurnContext> = {
  name: "safety",
  description: "Answers a person in danger at once with emergency contacts and opens a priority handoff",
  async run(ctx, next) {
    const hit = ctx.services.safety.detect(ctx.inbound.text);
    if (!hit) {
      await next();
      return;
    }
    ctx.path = "safety";
    ctx.safety = true;
    ctx.safetyCategory = hit.category;
    ctx.conversation.safety = true;
    ctx.services.metrics.safetyHits.inc({ category: hit.category });
    ctx.services.log.warn({ conversation: ctx.conversation.key, category: hit.category }, "safety escalation");
    await ctx.runIntent("safety", 1);
  },
};

export const route: Stage<TurnContext> = {
  name: "route",
  description: "Runs a tapped quick reply, else the classified intent, else answers from the leaflets",
  async run(ctx) {
    const { inbound, services } = ctx;
    if (inbound.action && (await runAction(ctx, inbound.action))) return;
    const prediction = services.classifier.predict(inbound.text);
    const best = prediction.best;
    if (best && best.score >= intentThreshold && services.intents.has(best.intent)) {
      ctx.path = "intent";
      await ctx.runIntent(best.intent, best.score);
      return;
    }
    ctx.path = "retrieval";
    await ctx.runIntent("fallback", best?.score ?? 0);
  },
};

/**
 * Above this cosine similarity to a training example the intent answers; below it the leaflets do.
 * Calibrated on test/nlu examples: paraphrases of greetings score above 0.55, questions below 0.45.
 */
export const intentThreshold = 0.5;

/** Quick-reply payloads: `intent:<id>`, `lang:<code>`, `country:<ISO>`, `leaflet:<id>`, `topic:<topic>`. */
async function runAction(ctx: TurnContext, action: string): Promise<boolean> {
  const [kind, value = ""] = action.split(":", 2);
  ctx.path = "action";
  switch (kind) {
    case "intent":
      if (!ctx.services.intents.has(value) || value === "safety") return false;
      await ctx.runIntent(value, 1);
      return true;
    case "lang":
      await ctx.runIntent("change-language", 1);
      return true;
    case "country":
      await ctx.runIntent("find-mrc", 1);
      return true;
    case "leaflet":
    case "topic":
      await ctx.runIntent("fallback", 1);
      return true;
    default:
      return false;
  }
}

/** The stages in order; `bot.ts` composes them. */
export const defaultStages = [
  dedupe,
  persistConversation,
  handoffGate,
  detectUserLanguage,
  rejectTooLong,
  detectCountry,
  safetyCheck,
  route,
] as const;
