import { RahnamaError } from "../errors.js";
import type { Address, ChannelName, InboundInput, Outbound } from "./message.js";

/**
 * What every channel adapter offers the core. Each lives in `channels/<name>/` and is the only code
 * that imports its channel's library. `send` is how replies that are not answers to a message
 * (a counsellor's words, a reminder) reach the user.
 */
export interface ChannelAdapter {
  readonly name: ChannelName;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(address: Address, messages: readonly Outbound[]): Promise<void>;
}

/**
 * How a channel reaches the bot. The server starts before the knowledge index is loaded (so /healthz
 * answers at once); until then `ready` is false and `receive` throws RAHNAMA_ERR_INDEX_NOT_READY.
 */
export interface BotPort {
  readonly ready: boolean;
  receive(input: InboundInput, options?: ReceiveOptions): Promise<Outbound[]>;
}

export interface ReceiveOptions {
  /**
   * The channel delivers the message again when its delivery is refused (a webhook answered non-2xx).
   * A failed turn then throws `TurnFailedError` instead of resolving with an apology, so that the
   * channel refuses the delivery and the message is not lost.
   */
  readonly redelivers?: boolean;
  /**
   * The channel stores the answer itself, after the turn, and a crash in between loses it (web chat's
   * activity log). The answer is then kept with the message's answered mark, and a later delivery of
   * the message gets it back instead of nothing; the channel must make sure it stores it only once.
   */
  readonly keepsAnswer?: boolean;
}

/**
 * A turn that failed, for a channel that redelivers: refuse the delivery (non-2xx) after sending
 * `replies`, the apology, which is empty when this message was already apologised for.
 */
export class TurnFailedError extends RahnamaError {
  // Private, so that a logged error leaves it out: a crisis apology names where the person seems to be.
  readonly #replies: readonly Outbound[];

  constructor(failure: RahnamaError, replies: readonly Outbound[]) {
    super(failure.key, failure.message, { cause: failure.cause ?? failure, details: failure.details });
    this.#replies = replies;
  }

  get replies(): readonly Outbound[] {
    return this.#replies;
  }
}
