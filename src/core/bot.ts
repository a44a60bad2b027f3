import { safetyContactLines } from "../directory/format-contacts.js";
import { RahnamaError, isRahnamaError } from "../errors.js";
import { countryName, originFromLanguage } from "../i18n/countries.js";
import { detectLanguage } from "../nlu/language-detector.js";
import { placeNow } from "../nlu/where-named.js";
import { TurnFailedError, type ReceiveOptions } from "./channel.js";
import { conversationKey } from "./conversation.js";
import { KeyedLock } from "./keyed-lock.js";
import { inboundSchema, type InboundInput, type Outbound } from "./message.js";
import { turnOutbound } from "./outbound.js";
import { compose, type Stage } from "./pipeline.js";
import { defaultStages } from "./stages.js";
import { TurnContext, type BotServices } from "./turn.js";
import { UnstoredEscalations } from "./unstored-escalations.js";

/** Failing messages remembered as apologised for; older ones may be apologised for again. */
const apologiesRemembered = 1_000;

/**
 * The channel-agnostic bot: one `receive` per incoming message, returning the replies to send.
 * Channels call it; it never calls a channel.
 */
export class Bot {
  readonly #run: (ctx: TurnContext) => Promise<void>;
  readonly #lock = new KeyedLock();
  /** Cries for help whose turn failed before it was stored; /readyz waits on them. */
  readonly unstoredEscalations = new UnstoredEscalations();
  /** Messages already apologised for, so that each redelivery of a failing one does not say it again. */
  readonly #apologised = new Set<string>();

  constructor(
    readonly services: BotServices,
    readonly stages: readonly Stage<TurnContext>[] = defaultStages,
  ) {
    this.#run = compose(stages);
  }

  /**
   * Handles one message. Never throws for a problem inside the turn: the user gets a polite message in
   * their language and the log gets the error code without the message text. Invalid input does throw
   * (RAHNAMA_ERR_INPUT_INVALID), because that is the adapter's bug, not the user's. With `redelivers`,
   * a failed turn throws TurnFailedError carrying the apology, so that the channel can refuse the
   * delivery and be given the message again.
   */
  async receive(input: InboundInput, options: ReceiveOptions = {}): Promise<Outbound[]> {
    const parsed = inboundSchema.safeParse(input);
    if (!parsed.success) {
      throw new RahnamaError(
        "INPUT_INVALID",
        `Invalid inbound message: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    }
    const inbound = parsed.data;
    const { metrics, log, config } = this.services;
    metrics.messagesIn.inc({ channel: inbound.address.channel });
    const ctx = new TurnContext(inbound, this.services, new Date());
    ctx.keepsAnswer = options.keepsAnswer === true;
    const stopTimer = metrics.turnSeconds.startTimer();
    const messageKey = `${conversationKey(inbound.address)}:${inbound.id}`;

    const turn = this.#lock.run(conversationKey(inbound.address), () => this.#run(ctx));
    let failure: RahnamaError | null = null;
    try {
      await withTimeout(turn, config.TURN_TIMEOUT_MS);
      this.unstoredEscalations.stored();
      this.#apologised.delete(messageKey);
    } catch (error) {
      // A timed-out turn runs on (it keeps its lock); this tells it to save nothing, see persistConversation.
      ctx.abandoned = true;
      failure = isRahnamaError(error) ? error : new RahnamaError("TURN_FAILED", "A turn failed", { cause: error });
      ctx.path = "error";
      metrics.turnErrors.inc({ code: failure.code });
      log.error(
        {
          code: failure.code,
          ...this.services.logConversation(conversationKey(inbound.address)),
          err: failure.cause ?? failure,
          stage: failure.details.stage,
        },
        "turn failed",
      );
      const crisis = this.#noteUnstoredEscalation(ctx, failure);
      ctx.replies.length = 0;
      if (!options.redelivers || this.#firstApology(messageKey)) {
        ctx.say(crisis ? this.#crisisApology(ctx) : this.#apology(ctx));
      }
    } finally {
      stopTimer({ path: ctx.path });
    }
    const outbound = this.#finalise(ctx);
    metrics.messagesOut.inc({ channel: inbound.address.channel }, outbound.length);
    if (failure && options.redelivers) throw new TurnFailedError(failure, outbound);
    return outbound;
  }

  /**
   * Counts a cry for help that may not have reached the counsellors' queue: the safety check escalated
   * or would have escalated or asked "is someone in danger?", had the turn got that far (a store that is
   * down fails the turn at its first stage). Not when another delivery of the message holds it: that
   * one handles it.
   */
  #noteUnstoredEscalation(ctx: TurnContext, failure: RahnamaError): boolean {
    if (failure.is("TURN_IN_PROGRESS")) return false;
    let crisis = ctx.safety;
    try {
      crisis ||= this.services.safety.judge(ctx.inbound.text).decision !== "ordinary";
    } catch {
      // A detector that fails cannot tell; a cry for help counted twice costs less than one not counted.
      crisis = true;
    }
    if (!crisis) return false;
    this.services.metrics.safetyUnstored.inc();
    this.unstoredEscalations.failed();
    this.services.log.error(
      { channel: ctx.inbound.address.channel, code: failure.code },
      "safety escalation not stored; the channel is asked to deliver it again",
    );
    return true;
  }

  /**
   * The apology for a turn that failed on a message that reads as a cry for help: with the emergency numbers
   * for where the person seems to be, which need no store, so they have them while the counsellors' queue
   * is out of reach.
   */
  #crisisApology(ctx: TurnContext): string {
    const apology = this.#apology(ctx);
    const text = typeof apology === "string" ? apology : apology.text;
    try {
      const { lang } = detectLanguage(ctx.inbound.text);
      if (lang && !ctx.conversation) ctx.lang = lang;
      const origin = ctx.conversation?.country ?? originFromLanguage(ctx.lang);
      const location =
        placeNow(ctx.inbound.text, origin, { lastHeardFrom: true }) ?? ctx.conversation?.location ?? null;
      const lines = safetyContactLines(this.services.directory, { origin, location, category: "threat-to-life" });
      if (lines.length === 0) return text;
      const intro = location
        ? ctx.text("safety", "contacts_intro_place", { place: countryName(location, ctx.lang) }).text
        : ctx.text("safety", "contacts_intro").text;
      return `${text}\n\n${intro}\n${lines.join("\n")}`;
    } catch {
      return text;
    }
  }

  /** True the first time a message fails; bounded, since a message that keeps failing is given up on. */
  #firstApology(messageKey: string): boolean {
    if (this.#apologised.has(messageKey)) return false;
    this.#apologised.add(messageKey);
    if (this.#apologised.size > apologiesRemembered) {
      const oldest = this.#apologised.values().next().value;
      if (oldest !== undefined) this.#apologised.delete(oldest);
    }
    return true;
  }

  #apology(ctx: TurnContext) {
    try {
      return ctx.text("common", "error");
    } catch {
      return "Sorry, something went wrong. Please try again.";
    }
  }

  #finalise(ctx: TurnContext): Outbound[] {
    return ctx.answeredBefore ?? turnOutbound(ctx);
  }
}

/** Rejects after `ms`; the turn itself keeps its lock until it settles, so state stays consistent. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RahnamaError("TURN_TIMEOUT", `The turn took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
