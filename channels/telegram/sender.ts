import { TelegramError, type Telegram } from "telegraf";
import type { Logger } from "../../src/log.js";
import { PacedQueue, RateLimitedError, TransientSendError } from "../shared/paced-queue.js";
import { plainText, type TelegramPiece } from "./render.js";

export interface PacingOptions {
  /** Least time between two messages to one chat; Telegram asks for about one per second. */
  readonly perChatIntervalMs: number;
  /** Most messages per second over all chats; Telegram's bulk limit is about 30. */
  readonly globalPerSecond: number;
}

export const telegramPacing: PacingOptions = { perChatIntervalMs: 1_000, globalPerSecond: 30 };

/** A message Telegram refused for good (the person blocked the bot, the chat is gone). */
export class TelegramRefusedError extends Error {
  constructor(
    readonly status: number,
    options: { cause?: unknown },
  ) {
    super(`Telegram refused the message (${String(status)})`, options);
    this.name = "TelegramRefusedError";
  }
}

/**
 * Every message to Telegram leaves through one paced queue, answers and counsellor relays alike, so
 * one chat never gets more than about one message a second and the bot stays under the global limit.
 */
export class TelegramSender {
  readonly #queue: PacedQueue<TelegramPiece>;

  constructor(
    private readonly telegram: Telegram,
    private readonly log: Logger,
    pacing: PacingOptions,
    private readonly personalData: boolean,
  ) {
    this.#queue = new PacedQueue<TelegramPiece>((chatId, piece) => this.#send(chatId, piece), {
      perKeyIntervalMs: pacing.perChatIntervalMs,
      globalPerSecond: pacing.globalPerSecond,
      onGiveUp: (chatId, error) => {
        const status = error instanceof TelegramRefusedError ? error.status : undefined;
        this.log.warn(
          { channel: "telegram", status, ...(this.personalData ? { chat: chatId } : {}), err: loggableError(error) },
          status === 403 ? "telegram message not delivered: the person blocked the bot" : "telegram message given up",
        );
      },
    });
  }

  /** Queues pieces for one chat in order; resolves when all are delivered, rejects if one was given up. */
  async enqueue(chatId: string, pieces: readonly TelegramPiece[]): Promise<void> {
    await Promise.all(pieces.map((piece) => this.#queue.enqueue(chatId, piece)));
  }

  /** Waits (at most `timeoutMs`) for what is queued, then stops the queue. */
  async stop(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#queue.drained(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.#queue.stop();
  }

  async #send(chatId: string, piece: TelegramPiece): Promise<void> {
    const markup = piece.keyboard ? { reply_markup: { inline_keyboard: piece.keyboard.map((row) => [...row]) } } : {};
    try {
      await this.telegram.sendMessage(chatId, piece.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...markup,
      });
    } catch (error) {
      if (refusedMarkup(error)) {
        // Our HTML should always parse and its links be accepted; if not, the words matter more than the
        // bold or the links (a safety answer's numbers must arrive, tappable or not).
        this.log.warn({ channel: "telegram" }, "telegram refused the HTML; sending plain text");
        await this.telegram.sendMessage(chatId, plainText(piece.html), markup).catch((retry: unknown) => {
          throw classify(retry);
        });
        return;
      }
      throw classify(error);
    }
  }
}

/**
 * A 400 about the message's markup rather than the chat: entities that do not parse, or a link Telegram does
 * not accept ("can't parse entities", "Wrong HTTP URL", "URL '…' is invalid", "ENTITY_TEXT_INVALID"). The
 * same words without markup may be sent; other 400s (chat not found, text empty) would fail the same way.
 */
function refusedMarkup(error: unknown): error is TelegramError {
  return error instanceof TelegramError && error.code === 400 && /entit|url|link/i.test(error.description);
}

/** Telegram's answer as the queue's error kinds: wait and retry, retry with back-off, or give up. */
export function classify(error: unknown): Error {
  if (error instanceof TelegramError) {
    if (error.code === 429) {
      const seconds = error.parameters?.retry_after ?? 1;
      return new RateLimitedError(seconds * 1_000);
    }
    if (error.code >= 500) return new TransientSendError(`telegram answered ${String(error.code)}`, { cause: error });
    return new TelegramRefusedError(error.code, { cause: error });
  }
  // No answer at all (connection refused, reset, timeout, a proxy's HTML page): worth another try.
  return new TransientSendError("telegram could not be reached", { cause: error });
}

/**
 * An error as it may be logged. A TelegramError carries the request it failed on (the text sent, the
 * chat id, the webhook secret), so only its name, message and code are kept; its message is Telegram's
 * code and description, and telegraf removes the token from network errors' URLs.
 */
export function loggableError(error: unknown): { name: string; message: string; code?: unknown } {
  if (!(error instanceof Error)) return { name: "unknown", message: "" };
  const code = "code" in error ? error.code : undefined;
  return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }) };
}
