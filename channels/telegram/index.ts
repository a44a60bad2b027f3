import { Telegraf, TelegramError } from "telegraf";
import type { ChannelAdapter } from "../../src/core/channel.js";
import type { ChannelDeps, ChannelRegistration } from "../channel-kit.js";
import { KeyedChain } from "./keyed-chain.js";
import { renderReplies } from "./render.js";
import { loggableError, TelegramSender, telegramPacing, type PacingOptions } from "./sender.js";
import { handleTelegramUpdate } from "./handle-update.js";
import { telegramWebhookRoutes, webhookPath } from "./webhook.js";

export interface TelegramOverrides {
  /** Tests set pacing to zero; production keeps Telegram's limits. */
  readonly pacing?: Partial<PacingOptions>;
  /** How often start() looks whether the knowledge index is loaded before it starts polling. */
  readonly readyCheckMs?: number;
  /** How long stop() waits for queued messages before dropping them. */
  readonly drainOnStopMs?: number;
  /** Pause before trying again when Telegram cannot be reached at start (polling or setWebhook). */
  readonly retryDelayMs?: number;
  /** First pause before a polled update whose turn failed is handled again; it doubles each time. */
  readonly failedUpdateRetryMs?: number;
}

/** Only these update kinds are asked for; edits, channel posts and the rest are never fetched. */
const allowedUpdates = ["message", "callback_query"] as const;

/** Tries of a polled update whose turn keeps failing, about a minute and a half with the pauses. */
const failedUpdateTries = 8;
const failedUpdateMaxPauseMs = 30_000;

/**
 * The Telegram channel: long polling by default, a webhook at POST /webhooks/telegram when
 * TELEGRAM_WEBHOOK_URL is set. Null when TELEGRAM_BOT_TOKEN is not set.
 */
export async function createTelegramChannel(
  deps: ChannelDeps,
  overrides: TelegramOverrides = {},
): Promise<ChannelRegistration | null> {
  const { config, log } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return null;
  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;
  const webhookSecret = config.TELEGRAM_WEBHOOK_SECRET;

  const telegraf = new Telegraf(token, { telegram: { apiRoot: config.TELEGRAM_API_ROOT } });
  const sender = new TelegramSender(
    telegraf.telegram,
    log,
    { ...telegramPacing, ...overrides.pacing },
    config.LOG_PERSONAL_DATA,
  );
  const chain = new KeyedChain();
  // Apart from `chain`: a relay must never wait behind (or deadlock with) the chat's turn in the bot.
  const relays = new KeyedChain();
  const handlerDeps = { ...deps, telegram: telegraf.telegram, sender, chain };
  let readyTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // Pauses between tries of a failed update, ended early by stop().
  const naps = new Set<() => void>();
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const wakeUp = () => {
        clearTimeout(timer);
        naps.delete(wakeUp);
        resolve();
      };
      const timer = setTimeout(wakeUp, ms);
      naps.add(wakeUp);
    });

  /**
   * Polling confirms a batch of updates by asking for the next, so an update whose turn failed (the
   * store unreachable) would be lost: it is handled again here, after growing pauses, while the next
   * batch waits. An update that still fails after `failedUpdateTries` is given up, so that one broken
   * message cannot stop the bot.
   */
  const handlePolled = async (update: unknown, updateId: number) => {
    let pauseMs = overrides.failedUpdateRetryMs ?? 1_000;
    for (let tries = 1; ; tries += 1) {
      if ((await handleTelegramUpdate(update, handlerDeps)) !== "failed") return;
      if (stopped || tries >= failedUpdateTries) {
        log.error({ channel: "telegram", updateId, tries }, "telegram update given up after failed turns");
        return;
      }
      await nap(pauseMs);
      pauseMs = Math.min(pauseMs * 2, failedUpdateMaxPauseMs);
    }
  };

  telegraf.use(async (ctx) => {
    // Never throws: a failure is logged inside, and the poll goes on with the next update.
    await handlePolled(ctx.update, ctx.update.update_id);
  });
  telegraf.catch((error) => {
    log.error({ channel: "telegram", err: loggableError(error) }, "telegram update failed");
  });

  /**
   * Runs `task` until it succeeds or the channel stops. Telegram being unreachable at start must not
   * stop the rest of Rahnama; a refused token (401) cannot get better, so it turns the channel off.
   */
  const keepTrying = async (what: string, task: () => Promise<void>) => {
    while (!stopped) {
      try {
        await task();
        return;
      } catch (error) {
        if (stopped) return;
        if (error instanceof TelegramError && error.code === 401) {
          log.error(
            { channel: "telegram", err: loggableError(error) },
            `telegram refused the bot token (${what}); channel off`,
          );
          return;
        }
        log.error({ channel: "telegram", err: loggableError(error) }, `telegram ${what} failed; trying again`);
        await pause(overrides.retryDelayMs ?? 5_000);
      }
    }
  };

  // launch() resolves only when polling stops: it is kept in `running`, not awaited.
  const startPolling = () => {
    log.info({ channel: "telegram" }, "telegram long polling started");
    running = keepTrying("polling", () => telegraf.launch({ allowedUpdates: [...allowedUpdates] }));
  };

  /** telegraf.stop() throws while launch() is still connecting; try until polling is up or over. */
  const stopPolling = async (current: Promise<void>) => {
    let over = false;
    const done = current.then(() => {
      over = true;
    });
    while (!over) {
      try {
        telegraf.stop("shutdown");
        break;
      } catch {
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20))]);
      }
    }
    await done;
  };

  const whenBotReady = (then: () => void) => {
    const check = () => {
      if (stopped) return;
      if (deps.bot.ready) then();
      else readyTimer = setTimeout(check, overrides.readyCheckMs ?? 250);
    };
    check();
  };

  const adapter: ChannelAdapter = {
    name: "telegram",
    async start() {
      if (webhookUrl && webhookSecret) {
        // Telegram holds updates until the webhook answers; the route answers 503 until the bot is ready.
        running = keepTrying("setWebhook", async () => {
          await telegraf.telegram.setWebhook(webhookUrl, {
            secret_token: webhookSecret,
            allowed_updates: [...allowedUpdates],
          });
          log.info({ channel: "telegram" }, "telegram webhook set");
        });
        return;
      }
      whenBotReady(startPolling);
    },
    async stop() {
      stopped = true;
      clearTimeout(readyTimer);
      wake?.();
      for (const wakeUp of naps) wakeUp();
      if (running) {
        if (!webhookUrl) await stopPolling(running);
        await running;
      }
      await chain.idle();
      await relays.idle();
      await sender.stop(overrides.drainOnStopMs ?? 5_000);
    },
    async send(address, messages) {
      if (address.channel !== "telegram") throw new Error(`cannot send to a ${address.channel} address`);
      const { pieces, options } = renderReplies(messages);
      // Calls for one chat are queued in call order, even though remembering the options is async.
      const delivered = await relays.run(address.conversation, async () => {
        await deps.options.remember(address, options);
        return { done: sender.enqueue(address.conversation, pieces) };
      });
      await delivered.done;
    },
  };

  const plugin =
    webhookUrl && webhookSecret
      ? async (app: Parameters<NonNullable<ChannelRegistration["plugin"]>>[0]) => {
          await app.register(telegramWebhookRoutes, { secret: webhookSecret, handlerDeps });
        }
      : undefined;
  log.info(
    { channel: "telegram", mode: plugin ? "webhook" : "polling", path: plugin ? webhookPath : undefined },
    "telegram configured",
  );
  return plugin ? { adapter, plugin } : { adapter };
}
