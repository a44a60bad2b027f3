import type { Telegram } from "telegraf";
import { TurnFailedError } from "../../src/core/channel.js";
import { RahnamaError, isRahnamaError } from "../../src/errors.js";
import type { ChannelDeps } from "../channel-kit.js";
import type { KeyedChain } from "./keyed-chain.js";
import { renderReplies } from "./render.js";
import { loggableError, type TelegramSender } from "./sender.js";
import { translateUpdate, updateSchema } from "./updates.js";

export interface UpdateHandlerDeps extends ChannelDeps {
  readonly telegram: Telegram;
  readonly sender: TelegramSender;
  readonly chain: KeyedChain;
}

export type UpdateOutcome = "answered" | "ignored" | "malformed" | "failed";

/**
 * One Telegram update, from polling or the webhook: validated, translated, answered by the bot, and
 * the replies queued. Never throws, except RAHNAMA_ERR_INDEX_NOT_READY, which the webhook turns into
 * a 503 so that Telegram delivers the update again later. "failed" means the update must be handled
 * again (the webhook answers 503; polling tries again): the bot's turn failed, and a redelivery is
 * answered, not taken for a duplicate.
 */
export async function handleTelegramUpdate(raw: unknown, deps: UpdateHandlerDeps): Promise<UpdateOutcome> {
  return (await handleTelegramUpdateWithReason(raw, deps)).outcome;
}

/**
 * The same, with why a "failed" update failed, so that the webhook can tell Telegram and the operator
 * (RAHNAMA_ERR_STORE_UNAVAILABLE, RAHNAMA_ERR_TURN_TIMEOUT, …) instead of a bare 503.
 */
export async function handleTelegramUpdateWithReason(
  raw: unknown,
  deps: UpdateHandlerDeps,
): Promise<{ outcome: UpdateOutcome; failure?: RahnamaError }> {
  const outcome = (value: Exclude<UpdateOutcome, "failed">) => ({ outcome: value });
  const { log } = deps;
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) {
    // Paths and codes only: the values may be what a person wrote.
    const issues = parsed.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.join("."), code: issue.code }));
    log.warn({ channel: "telegram", issues }, "malformed telegram update dropped");
    return outcome("malformed");
  }
  const updateId = parsed.data.update_id;
  try {
    const callbackId = parsed.data.callback_query?.id;
    if (callbackId) {
      // Stops the button's spinner, whatever comes of the tap; a failure here must not cost the answer.
      await deps.telegram.answerCbQuery(callbackId).catch((error: unknown) => {
        log.debug({ channel: "telegram", updateId, err: loggableError(error) }, "answerCallbackQuery failed");
      });
    }
    const translation = await translateUpdate(parsed.data, deps);
    if (translation.kind === "ignored") {
      log.debug({ channel: "telegram", updateId, reason: translation.reason }, "telegram update ignored");
      return outcome("ignored");
    }
    const { input } = translation;
    return await deps.chain.run(input.address.conversation, async () => {
      const replies = await deps.bot.receive(input, { redelivers: true }).catch((error: unknown) => {
        // The apology, sent without remembering options: the store may be what failed.
        if (error instanceof TurnFailedError && error.replies.length > 0) {
          const { pieces } = renderReplies(error.replies);
          deps.sender.enqueue(input.address.conversation, pieces).catch((sendError: unknown) => {
            log.debug(
              { channel: "telegram", updateId, err: loggableError(sendError) },
              "telegram apology not delivered",
            );
          });
        }
        throw error;
      });
      const { pieces, options } = renderReplies(replies);
      // The turn is stored: a failure now must not refuse the update, whose redelivery would be taken
      // for a duplicate and this answer never sent. Forgotten options still read as their titles.
      await deps.options.remember(input.address, options).catch((error: unknown) => {
        log.warn({ channel: "telegram", updateId, err: loggableError(error) }, "telegram options not remembered");
      });
      // Not awaited: the paced queue may take seconds, and the next update should not wait for it.
      deps.sender.enqueue(input.address.conversation, pieces).catch((error: unknown) => {
        log.debug({ channel: "telegram", updateId, err: loggableError(error) }, "telegram reply not delivered");
      });
      return outcome("answered");
    });
  } catch (error) {
    if (isRahnamaError(error, "INDEX_NOT_READY")) throw error;
    log.error({ channel: "telegram", updateId, err: loggableError(error) }, "telegram update failed");
    const failure = isRahnamaError(error) ? error : new RahnamaError("TURN_FAILED", undefined, { cause: error });
    return { outcome: "failed", failure };
  }
}
