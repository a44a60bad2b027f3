import { RahnamaError, isRahnamaError } from "../errors.js";
import { conversationKey } from "./conversation.js";
import { KeyedLock } from "./keyed-lock.js";
import { inboundSchema, type InboundInput, type Outbound } from "./message.js";
import { handoffSummary, toOutbound } from "./outbound.js";
import { compose, type Stage } from "./pipeline.js";
import { defaultStages } from "./stages.js";
import { TurnContext, type BotServices } from "./turn.js";

/**
 * The channel-agnostic bot: one `receive` per incoming message, returning the replies to send.
 * Channels call it; it never calls a channel.
 */
export class Bot {
  readonly #run: (ctx: TurnContext) => Promise<void>;
  readonly #lock = new KeyedLock();

  constructor(
    readonly services: BotServices,
    readonly stages: readonly Stage<TurnContext>[] = defaultStages,
  ) {
    this.#run = compose(stages);
  }

  /**
   * Handles one message. Never throws for a problem inside the turn: the user gets a polite message in
   * their language and the log gets the error code without the message text. Invalid input does throw
   * (RAHNAMA_ERR_INPUT_INVALID), because that is the adapter's bug, not the user's.
   */
  async receive(input: InboundInput): Promise<Outbound[]> {
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
    const stopTimer = metrics.turnSeconds.startTimer();

    const turn = this.#lock.run(conversationKey(inbound.address), () => this.#run(ctx));
    try {
      await withTimeout(turn, config.TURN_TIMEOUT_MS);
    } catch (error) {
      const wrapped = isRahnamaError(error)
        ? error
        : new RahnamaError("TURN_FAILED", "A turn failed", { cause: error });
      ctx.path = "error";
      metrics.turnErrors.inc({ code: wrapped.code });
      log.error(
        {
          code: wrapped.code,
          conversation: conversationKey(inbound.address),
          err: wrapped.cause ?? wrapped,
          stage: wrapped.details.stage,
        },
        "turn failed",
      );
      ctx.replies.length = 0;
      ctx.say(this.#apology(ctx));
    } finally {
      stopTimer({ path: ctx.path });
    }
    const outbound = this.#finalise(ctx);
    metrics.messagesOut.inc({ channel: inbound.address.channel }, outbound.length);
    return outbound;
  }

  #apology(ctx: TurnContext) {
    try {
      return ctx.text("common", "error");
    } catch {
      return "Sorry, something went wrong. Please try again.";
    }
  }

  #finalise(ctx: TurnContext): Outbound[] {
    const handoffStatus = ctx.conversation?.handoff.status;
    return ctx.replies.map((reply) =>
      toOutbound(reply, {
        intent: ctx.intent?.id ?? null,
        confidence: ctx.intent ? Math.round(ctx.intent.confidence * 1000) / 1000 : null,
        lang: ctx.lang,
        handoff: handoffSummary(handoffStatus),
        safety: ctx.safety,
        ...(ctx.retrieval ? { retrieval: ctx.retrieval } : {}),
      }),
    );
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
