import { existsSync } from "node:fs";
import QRCode from "qrcode";
import type { ChannelAdapter } from "../../src/core/channel.js";
import { KeyedLock } from "../../src/core/keyed-lock.js";
import type { Address, Outbound } from "../../src/core/message.js";
import type { ChannelDeps, ChannelRegistration } from "../channel-kit.js";
import { PacedQueue, TransientSendError, type PacedQueueOptions } from "../shared/paced-queue.js";
import { adminPagePath, adminPagePlugin } from "./admin-page.js";
import { createWhatsAppWebClient, whatsAppWebDataDir, type ClientLike } from "./client.js";
import { WhatsAppWebConnection, defaultBackoff, describeError, type BackoffOptions } from "./connection.js";
import { parseMessage, toInbound } from "./inbound.js";
import { renderReplies } from "./outbound.js";

export type { ClientLike } from "./client.js";

export interface WhatsAppWebOverrides {
  /** Builds the whatsapp-web.js client; by default the real one on the system Chromium. */
  readonly createClient?: () => ClientLike;
  /** Reconnect back-off; 5 s doubling to 5 min by default. */
  readonly backoff?: BackoffOptions;
  /** Sending pace; by default 1 message per second per chat and 10 per second in all. */
  readonly pacing?: Pick<PacedQueueOptions, "perKeyIntervalMs" | "globalPerSecond">;
  /** Where the QR code is drawn for a person at the terminal; process.stderr by default. */
  readonly writeTerminal?: (text: string) => void;
}

let overridesForTests: WhatsAppWebOverrides | undefined;

/**
 * For tests that start the whole app (src/run.ts calls every factory with its deps only): the
 * overrides the next `createWhatsAppWebChannel(deps)` uses. Nothing in production calls it.
 */
export function setWhatsAppWebOverridesForTests(overrides: WhatsAppWebOverrides | undefined): void {
  overridesForTests = overrides;
}

/** WhatsApp fast senders get banned: slower than the Cloud API on purpose. */
const defaultPacing = { perKeyIntervalMs: 1_000, globalPerSecond: 10 };
const readyPollMs = 250;

/**
 * WhatsApp through WhatsApp Web (whatsapp-web.js driving the system Chromium), when WHATSAPP_WEB_ENABLED.
 * Unofficial: see channels/whatsapp-web/README.md before turning it on.
 */
export async function createWhatsAppWebChannel(
  deps: ChannelDeps,
  overrides: WhatsAppWebOverrides = overridesForTests ?? {},
): Promise<ChannelRegistration | null> {
  const { config, log, bot } = deps;
  if (!config.WHATSAPP_WEB_ENABLED) return null;
  if (!overrides.createClient && !existsSync(config.CHROMIUM_PATH)) {
    log.error(
      { chromium: config.CHROMIUM_PATH },
      "whatsapp-web: no Chromium at CHROMIUM_PATH; the link will keep failing",
    );
  }
  const writeTerminal = overrides.writeTerminal ?? ((text: string) => void process.stderr.write(text));
  const chats = new KeyedLock();
  let stopped = false;

  const connection: WhatsAppWebConnection = new WhatsAppWebConnection({
    createClient: overrides.createClient ?? (() => createWhatsAppWebClient(config)),
    log,
    backoff: overrides.backoff ?? defaultBackoff,
    onMessage: (raw) => void answer(raw),
    onQr: (qr) => {
      QRCode.toString(qr, { type: "terminal", small: true }).then(
        (drawing) =>
          writeTerminal(
            `\nWhatsApp Web: scan with the MRC's phone (WhatsApp → Linked devices → Link a device),\n` +
              `or open ${adminPagePath} with the ADMIN_TOKEN.\n${drawing}\n`,
          ),
        (error: unknown) => log.warn({ err: describeError(error) }, "whatsapp-web: QR code not drawn"),
      );
    },
  });

  const queue = new PacedQueue<string>(
    async (chatId, text) => {
      const client = connection.connectedClient;
      if (!client) throw new TransientSendError("WhatsApp Web is not connected");
      try {
        await client.sendMessage(chatId, text);
      } catch (error) {
        throw new TransientSendError("WhatsApp Web did not take the message", { cause: error });
      }
    },
    {
      ...defaultPacing,
      ...overrides.pacing,
      // About a minute and a half of tries, enough for a reconnect after a short drop.
      maxTransientAttempts: 8,
      onGiveUp: (_chat, error) => log.warn({ err: describeError(error) }, "whatsapp-web: a reply was given up"),
    },
  );

  /** Sends replies to a chat: numbered options remembered first (an answer may come fast), then paced. */
  async function deliver(address: Address, replies: readonly Outbound[]): Promise<void> {
    if (replies.length === 0) return;
    const { texts, options } = renderReplies(replies);
    await deps.options.remember(address, options);
    await Promise.all(texts.map((text) => queue.enqueue(address.conversation, text)));
  }

  async function untilBotReady(): Promise<void> {
    while (!bot.ready) {
      if (stopped) throw new Error("the channel stopped before the bot was ready");
      await new Promise((resolve) => setTimeout(resolve, readyPollMs));
    }
  }

  /** Answers one 'message' event; a failure is logged (without what was written) and never thrown. */
  async function answer(raw: unknown): Promise<void> {
    try {
      const parsed = parseMessage(raw);
      if ("ignored" in parsed) {
        log.debug({ reason: parsed.ignored, type: parsed.type }, "whatsapp-web: message ignored");
        return;
      }
      const chatId = parsed.message.from;
      // One chat at a time, so replies keep the order of the messages and "2" reads the latest options.
      await chats.run(chatId, async () => {
        const inbound = await toInbound(parsed.message, deps);
        await untilBotReady();
        const replies = await bot.receive(inbound);
        await deliver(inbound.address, replies);
      });
    } catch (error) {
      log.warn({ err: describeError(error) }, "whatsapp-web: message not answered");
    }
  }

  const adapter: ChannelAdapter = {
    name: "whatsapp-web",
    async start() {
      log.info({ session: whatsAppWebDataDir(config) }, "whatsapp-web: starting (unofficial; see its README)");
      connection.start();
    },
    async stop() {
      stopped = true;
      queue.stop();
      await connection.stop();
    },
    async send(address, messages) {
      await deliver(address, messages);
    },
  };

  return {
    adapter,
    plugin: adminPagePlugin({ adminToken: config.ADMIN_TOKEN, status: () => connection.status }),
  };
}
