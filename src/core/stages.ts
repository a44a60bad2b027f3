import { RahnamaError } from "../errors.js";
import { countriesMentioned, isOriginCountry, originFromLanguage } from "../i18n/countries.js";
import { isLanguageCode, type LanguageCode } from "../i18n/languages.js";
import { detectLanguage } from "../nlu/language-detector.js";
import {
  carryPlace,
  followUpTarget,
  followUpWithChatter,
  isConditionFollowUp,
  isEllipticalFollowUp,
  renumberFollowUp,
  resolveFollowUp,
} from "../nlu/follow-up.js";
import { originFromOffices } from "../nlu/origin-cues.js";
import { countriesNamedAsFrom, countriesNamedAsWhere, placeNow } from "../nlu/where-named.js";
import { questionKinds } from "../nlu/question-kind.js";
import { ruleQuestion } from "../nlu/rule-questions.js";
import { factTables } from "./fact-tables-stage.js";
import { knownGaps } from "./knowledge-gap-stage.js";
import { normaliseForMatching } from "../nlu/normalise-text.js";
import { coversLanguage } from "../retrieval/embedder.js";
import { flowTimeoutMs } from "./flow.js";
import { safetyCheck } from "./safety-stage.js";
import { dedupe } from "./dedupe-stage.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

export const persistConversation: Stage<TurnContext> = {
  name: "persist-conversation",
  description: "Loads the conversation, records the user's message, and on the way out saves state and replies",
  async run(ctx, next) {
    const { services, inbound } = ctx;
    ctx.conversation = await services.conversations.load(inbound.address, ctx.now);
    if (ctx.conversation.lang) ctx.lang = ctx.conversation.lang;
    // Save before anything else sees it: the user's words must never be lost, even if the turn fails.
    const userLine = {
      at: ctx.firstReceivedAt ?? inbound.receivedAt.toISOString(),
      from: "user" as const,
      text: keptText(inbound.text, services.config.MAX_MESSAGE_CHARS),
      ...(inbound.attachments.length > 0 ? { media: inbound.attachments } : {}),
    };
    // A turn re-run after its process died may have written the line already: the counsellor reads it once.
    if (!(ctx.retried && (await transcribed(ctx, userLine)))) {
      await services.transcripts.append(ctx.conversation.key, [userLine]);
    }
    // Turns of one conversation run one at a time (keyed lock), so holding by conversation is safe.
    services.handoff.hold(ctx.conversation.key);
    try {
      await next();
      if (ctx.erased) return;
      // The bot gave up waiting and apologised; saved now, the state would run ahead of what the person
      // was told, and the redelivery would find a flow's step already taken.
      if (ctx.abandoned) throw new RahnamaError("TURN_TIMEOUT", "The turn ended after the bot stopped waiting");
      ctx.conversation.turns += 1;
      ctx.conversation.updatedAt = new Date().toISOString();
      await services.conversations.save(ctx.conversation);
    } finally {
      services.handoff.release(ctx.conversation.key);
    }
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

/**
 * What is stored of a message: all of it up to MAX_MESSAGE_CHARS, the longest the bot reads as a
 * question. Telegram and WhatsApp cannot refuse a long message the way Direct Line does, and the safety
 * check still reads it whole, but a wall of text (or a pasted document full of other people's details)
 * is not kept for the retention period; the counsellor sees where and how much was cut.
 */
export function keptText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair, which would leave half an emoji or CJK character.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)} […cut: ${String(text.length)} characters in all]`;
}

/** Whether the transcript's recent lines hold this message, written by the turn that died (same first arrival). */
async function transcribed(ctx: TurnContext, line: { at: string; text: string }): Promise<boolean> {
  const recent = await ctx.services.transcripts.read(ctx.conversation.key, 200);
  return recent.some((entry) => entry.from === "user" && entry.at === line.at && entry.text === line.text);
}

export const handoffGate: Stage<TurnContext> = {
  name: "handoff-gate",
  description: "While a counsellor holds the conversation the bot stays silent; the message is relayed",
  async run(ctx, next) {
    const heldByCounsellor = () => ctx.conversation.handoff.status === "open";
    if (heldByCounsellor()) {
      // Erasure is the person's right whoever holds the conversation: the bot asks and erases (the
      // counsellor reads both in the transcript, and is told once it is done). Anything else is theirs.
      if (await answerErasure(ctx)) return;
      // The transcript already holds the message; the console reads it from there.
      ctx.path = "relayed";
      return;
    }
    // The person wrote while their case was set aside for a follow-up: it is theirs to pick up again.
    await ctx.services.handoff.wakeOnMessage(ctx.conversation, ctx.now);
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
    // Once the person has been answered in a language, only a confident guess changes it: a reply like
    // "450000 taka" after some button taps in English must not switch the conversation to Bengali.
    conversation.lang ??= ctx.lang;
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
    // Guessed from the offices named, for this turn only: a guess is not what the person said.
    ctx.officeOrigin = originFromOffices(inbound.text);
    // "I work in Riyadh": where the person is now, for the emergency numbers if a crisis comes later.
    conversation.location = placeNow(inbound.text, ctx.origin(), { markedOnly: true }) ?? conversation.location;
    if (!conversation.country) {
      const origins = ctx.countriesInMessage.filter(isOriginCountry);
      if (origins.length === 1 && origins[0] && !namedAsPlaceBeen(inbound.text, origins[0], ctx.lang)) {
        conversation.country = origins[0];
      } else if (inbound.hints.country) conversation.country = inbound.hints.country;
    }
    await next();
  },
};

/**
 * "We are coming back from Pakistan": a country that also takes in migrants, named as where the person was,
 * says nothing of where they are from, unless it is their language's home. (Where they are now, "in
 * Peshawar", is where their MRC and helplines are, and is kept.)
 */
function namedAsPlaceBeen(text: string, country: string, lang: LanguageCode): boolean {
  if (originFromLanguage(lang) === country) return false;
  return countriesNamedAsFrom(text).has(country) && !countriesNamedAsWhere(text).has(country);
}

export const activeFlow: Stage<TurnContext> = {
  name: "flow",
  description: "Gives the message to the guided flow in progress, unless the user stops it or picks something else",
  async run(ctx, next) {
    const state = ctx.conversation.flow;
    if (!state) {
      await next();
      return;
    }
    const flow = ctx.services.flows.get(state.id);
    const expired = ctx.now.getTime() - Date.parse(state.startedAt) > flowTimeoutMs;
    const action = ctx.inbound.action ?? "";
    if (!flow || expired || (action && !action.startsWith("flow:"))) {
      // A tapped menu button or an old, forgotten flow: leave it and handle the message normally.
      ctx.endFlow(expired || !flow ? "expired" : "switched");
      await next();
      return;
    }
    if (!action && state.id !== erasureIntent && asksToErase(ctx)) {
      // "Delete my data" is never an answer to a flow's question either (the fee check would read it as
      // an amount it cannot find): the flow ends and the erasure is asked for.
      ctx.endFlow("switched");
      ctx.path = "intent";
      await ctx.runIntent(erasureIntent, 1);
      return;
    }
    if (!action && asksForCounsellor(ctx)) {
      // "I want to talk to a counsellor" is never an answer to a flow's question (an amount, a country):
      // the person leaves the flow and is queued for a counsellor.
      ctx.endFlow("switched");
      await next();
      return;
    }
    if (action === "flow:stop" || ctx.services.cancelWords.has(normaliseForMatching(ctx.inbound.text))) {
      ctx.endFlow("cancelled");
      ctx.path = "flow";
      ctx.menuPrompt = ctx.text("common", "flow_cancelled");
      await ctx.runIntent("greeting", 1);
      return;
    }
    ctx.path = "flow";
    ctx.intent = { id: state.id, confidence: 1 };
    if ((await flow.resume(ctx, state)) === "pass") {
      ctx.endFlow("switched");
      ctx.intent = null;
      await next();
    }
  },
};

/** Follow-ups older than this start a new subject. */
const followUpWindowMs = 30 * 60 * 1000;

/** Answers that do not make a question the next follow-up can build on. */
const notQuestions: ReadonlySet<string> = new Set([
  "greeting",
  "thanks-bye",
  "change-language",
  "feedback",
  "delete-my-data",
  "counsellor",
  "out-of-scope",
  "safety",
]);

export const followUps: Stage<TurnContext> = {
  name: "follow-up",
  description: "Reads 'and for Qatar?' as the previous question asked about Qatar, and remembers questions for that",
  async run(ctx, next) {
    const { conversation, inbound } = ctx;
    const previous = conversation.lastQuestion;
    const recent = previous !== null && ctx.now.getTime() - Date.parse(previous.at) < followUpWindowMs;
    const withChatter = recent && !inbound.action ? followUpWithChatter(inbound.text) : null;
    const renumbered = recent && !inbound.action ? renumberFollowUp(inbound.text, previous.text) : null;
    if (!inbound.action && recent && followUpTarget(inbound.text)) {
      ctx.query = resolveFollowUp(previous.text, inbound.text);
      ctx.followUp = true;
      ctx.countriesInMessage = countriesMentioned(ctx.query);
    } else if (withChatter && previous) {
      // What the person tells about themselves stays with the question: "I am moving to Samara".
      ctx.query = `${resolveFollowUp(previous.text, withChatter.followUp)} ${withChatter.chatter}`;
      ctx.followUp = true;
      ctx.countriesInMessage = countriesMentioned(ctx.query);
    } else if (renumbered && previous) {
      // "10 bochorer ta?" after the 5-year passport's fee: the same question about another figure.
      ctx.query = renumbered;
      ctx.askedKinds = questionKinds(previous.text);
      ctx.followUp = true;
      ctx.countriesInMessage = countriesMentioned(ctx.query);
    } else if (!inbound.action && recent && readsAsEllipsis(ctx, previous.text)) {
      // The previous question gives the subject and place; this message says what is asked of them.
      ctx.query = `${previous.text} ${inbound.text}`;
      ctx.askedKinds = questionKinds(inbound.text);
      ctx.focus = inbound.text;
      ctx.followUp = true;
      ctx.countriesInMessage = countriesMentioned(ctx.query);
    } else if (!inbound.action && recent && isConditionFollowUp(inbound.text) && !readsAsRequest(ctx)) {
      // "And if I found the job myself?": the previous question, under a new condition, asking what it asked.
      ctx.query = `${previous.text} ${inbound.text}`;
      ctx.askedKinds = questionKinds(previous.text);
      ctx.followUp = true;
      ctx.countriesInMessage = countriesMentioned(ctx.query);
    } else if (!inbound.action && recent) {
      // "And if they give no housing, how much more?": a question of its own about the same destination.
      const carried = carryPlace(inbound.text, previous.text, ctx.lang);
      if (carried) {
        ctx.query = carried;
        ctx.followUp = true;
        ctx.countriesInMessage = countriesMentioned(ctx.query);
      }
    }
    // "And if I found the job myself?" after a question about the OEP's fee is still a Pakistani's.
    if (ctx.followUp) ctx.officeOrigin ??= originFromOffices(ctx.query);
    await next();
    if (!inbound.action && ctx.query.trim() && ctx.intent && !notQuestions.has(ctx.intent.id)) {
      conversation.lastQuestion = { text: ctx.query.slice(0, 2_000), at: ctx.now.toISOString() };
    }
  },
};

/** Words that are plainly a request of their own ("and if I want a counsellor?"): an intent answers them. */
function readsAsRequest(ctx: TurnContext): boolean {
  const own = ctx.services.classifier.predict(ctx.inbound.text, null).best;
  return own !== undefined && own !== null && own.score >= intentZones.lexical.answer;
}

/**
 * "how much a month?" after a question about Korea's wage: a question that leaves its subject to the
 * previous one. Not when the previous message asked nothing ("I am from Bangladesh"), nor when the
 * words alone are plainly a request of their own ("where is the MRC?").
 */
function readsAsEllipsis(ctx: TurnContext, previous: string): boolean {
  const { inbound, services } = ctx;
  if (questionKinds(previous).length === 0 && !/[?؟]/u.test(previous)) return false;
  // "ar overtime mashe max koto ghonta?" after the minimum wage names a subject of its own (overtime hours).
  if (ruleQuestion(inbound.text, ctx.lang) !== null) return false;
  if (!isEllipticalFollowUp(inbound.text, previous, (text) => services.knowledge.glossary.subjects(text, ctx.lang)))
    return false;
  return !readsAsRequest(ctx);
}

export const route: Stage<TurnContext> = {
  name: "route",
  description:
    "Runs a tapped quick reply, else the classified intent, else offers likely topics or answers from the leaflets",
  async run(ctx) {
    const { inbound, services } = ctx;
    if (inbound.action && (await runAction(ctx, inbound.action))) return;
    if (!inbound.text.trim() && inbound.attachments.length > 0) {
      // A voice note, photo, file, location or sticker with no words: say what we can read, and offer
      // a person (the transcript keeps the attachment's reference for the counsellor console).
      ctx.path = "intent";
      ctx.say(ctx.text("common", "media_received"), {
        quickReplies: [ctx.button("common", "btn_counsellor", "intent:counsellor")],
      });
      return;
    }
    const embedder = services.knowledge.embedder;
    const vector =
      coversLanguage(embedder, ctx.lang) && ctx.query.trim()
        ? ((await embedder.embedQueries([ctx.query]))[0] ?? null)
        : null;
    const prediction = services.classifier.predict(ctx.query, vector);
    const zone = intentZones[prediction.source];
    const best = prediction.best;
    // Asking for a person is honoured more readily than any topic: a needless handoff costs a
    // counsellor a minute, a missed one leaves someone alone who asked for help.
    const answerAt = best?.intent === "counsellor" ? Math.min(zone.answer, counsellorAnswerScore) : zone.answer;
    if (best && best.score >= answerAt && services.intents.has(best.intent)) {
      ctx.path = "intent";
      await ctx.runIntent(best.intent, best.score);
      return;
    }
    ctx.path = "retrieval";
    // When "not our subject" is the likeliest reading, a row of migration topics would look like a
    // guess at random: the leaflets' own "not found" and the counsellor offer say it better.
    const likely =
      best && best.score >= zone.offer && best.intent !== "out-of-scope"
        ? prediction.ranking.filter((entry) => entry.score >= zone.offer && offerable(ctx, entry.intent)).slice(0, 3)
        : [];
    ctx.likelyIntents = likely.map((entry) => entry.intent);
    await ctx.runIntent("fallback", best?.score ?? 0);
  },
};

const erasureIntent = "delete-my-data";

/** Whether the words alone (no embedding: this runs before flow steps and while a counsellor holds) ask for erasure. */
function asksToErase(ctx: TurnContext): boolean {
  if (!ctx.services.intents.has(erasureIntent)) return false;
  const best = ctx.services.classifier.predict(ctx.inbound.text, null).best;
  return best?.intent === erasureIntent && best.score >= intentZones.lexical.answer;
}

/**
 * While a counsellor holds the conversation: runs "delete my data" (its question, or the answer to it)
 * and says true; false for any other message, which goes to the counsellor.
 */
async function answerErasure(ctx: TurnContext): Promise<boolean> {
  const state = ctx.conversation.flow;
  const flow = ctx.services.flows.get(erasureIntent);
  if (state?.id === erasureIntent && flow) {
    if (ctx.now.getTime() - Date.parse(state.startedAt) <= flowTimeoutMs) {
      ctx.path = "flow";
      ctx.intent = { id: erasureIntent, confidence: 1 };
      await flow.resume(ctx, state);
      return true;
    }
    ctx.endFlow("expired");
  }
  if (ctx.inbound.action === `intent:${erasureIntent}` || (!ctx.inbound.action && asksToErase(ctx))) {
    ctx.path = "intent";
    await ctx.runIntent(erasureIntent, 1);
    return true;
  }
  return false;
}

/** Whether the words alone (no embedding: this runs before every flow step) ask for a person. */
function asksForCounsellor(ctx: TurnContext): boolean {
  const best = ctx.services.classifier.predict(ctx.inbound.text, null).best;
  return best?.intent === "counsellor" && best.score >= counsellorAnswerScore;
}

/** Intents worth offering as "did you mean": not chatter, not the ones every menu has. */
function offerable(ctx: TurnContext, intent: string): boolean {
  return (
    ctx.services.intents.has(intent) && !["out-of-scope", "greeting", "thanks-bye", "change-language"].includes(intent)
  );
}

/**
 * Score zones of the intent classifier: at or above `answer` the intent answers; between `offer` and
 * `answer` the likely intents are offered as quick replies (with a leaflet passage when one is good
 * enough); below, the leaflets answer. `npm run eval:intents` calibrates them by 5-fold
 * cross-validation on the training examples: `answer` is where precision reaches 0.9 (0.65 lexical,
 * 0.60 with embeddings); the right intent is among the top 3 in at least 70 % of cases from 0.20, but
 * offers start at 0.3 so that chatter is not answered with a row of buttons.
 */
export const intentZones = {
  lexical: { answer: 0.65, offer: 0.3 },
  "lexical+embedding": { answer: 0.6, offer: 0.3 },
} as const;

/** When "talk to a counsellor" is the likeliest reading, it is acted on from this score. */
export const counsellorAnswerScore = 0.45;

/** The lexical-only answer threshold, for tests that exercise the lexical classifier alone. */
export const intentThreshold = intentZones.lexical.answer;

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
  detectCountry,
  // Before the length check: a cry for help is never answered with "please write less".
  safetyCheck,
  rejectTooLong,
  activeFlow,
  followUps,
  knownGaps,
  factTables,
  route,
] as const;
