import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { TurnFailedError, type ChannelAdapter } from "../../src/core/channel.js";
import type { ChannelEraser } from "../../src/core/erasure.js";
import type { Address, Outbound } from "../../src/core/message.js";
import { RahnamaError } from "../../src/errors.js";
import { parseJsonBody } from "../../src/server/json-body.js";
import type { ChannelDeps, ChannelRegistration } from "../channel-kit.js";
import { OptionMemory, optionsKey } from "../shared/option-memory.js";
import { PacedQueue } from "../shared/paced-queue.js";
import { GraphClient, GraphRefusedError, type GraphMessage } from "./graph-client.js";
import { renderOutbound } from "./render.js";
import { OutsideWindowError, ServiceWindow } from "./service-window.js";
import {
  countryOfNumber,
  messagesFor,
  optionNumber,
  readMessage,
  sameSecret,
  validSignature,
  webhookSchema,
  type CloudMessage,
  type ReadMessage,
} from "./webhook.js";

export { OutsideWindowError } from "./service-window.js";

/** For tests: a clock for the 24-hour window, and shorter pauses than WhatsApp's. */
export interface WhatsAppCloudOverrides {
  readonly now?: () => number;
  /** Least time between two messages to one person; default 1 s. */
  readonly perUserIntervalMs?: number;
  /** Pause after a rate-limit answer (codes 130429, 131056); default 2 s. */
  readonly rateLimitBackoffMs?: number;
  readonly fetch?: typeof fetch;
}

export const webhookPath = "/webhooks/whatsapp";
/** Cloud API throughput of one business number (messages per second). */
const globalPerSecond = 80;
const drainOnStopMs = 5_000;

/**
 * WhatsApp through Meta's official Cloud API: a signed webhook in, Graph API calls out, paced to the
 * API's limits and kept to the 24-hour customer service window. Null unless all four settings are set.
 *
 * `adapter.send` (a counsellor's words, a reminder) rejects with `OutsideWindowError` when the person
 * last wrote more than 24 hours ago and no template is configured; with WHATSAPP_CLOUD_TEMPLATE set it
 * sends that template instead of the messages, inviting the person to write back.
 */
export async function createWhatsAppCloudChannel(
  deps: ChannelDeps,
  overrides: WhatsAppCloudOverrides = {},
): Promise<ChannelRegistration | null> {
  const { config } = deps;
  const {
    WHATSAPP_CLOUD_TOKEN: token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: appSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken,
  } = config;
  if (!token || !phoneNumberId || !appSecret || !verifyToken) return null;
  const secrets = { phoneNumberId, appSecret, verifyToken };

  const log = deps.log.child({ channel: "whatsapp" });
  const now = overrides.now ?? Date.now;
  const graph = new GraphClient({
    apiRoot: config.WHATSAPP_CLOUD_API_ROOT,
    phoneNumberId,
    token,
    rateLimitBackoffMs: overrides.rateLimitBackoffMs ?? 2_000,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
  const serviceWindow = new ServiceWindow(deps.store, now);
  // Keyed by the wa_id, which never reaches a log: onGiveUp logs the error code only.
  const queue = new PacedQueue<GraphMessage>((to, message) => graph.sendMessage(to, message), {
    perKeyIntervalMs: overrides.perUserIntervalMs ?? 1_000,
    globalPerSecond,
    onGiveUp: (_to, error) => log.warn(safeError(error), "whatsapp message given up"),
  });

  /**
   * Queues replies without a window check (the caller knows the window is open). Returns once the
   * options are remembered and the messages queued; `delivered` settles when they have gone out.
   */
  async function queueReplies(address: Address, outbounds: readonly Outbound[]): Promise<{ delivered: Promise<void> }> {
    // Numbers and `o:<n>` ids refer to the options offered last, so only the last reply with options
    // shows them. A reply without options forgets the older ones, so that "5" typed to answer a
    // question is not read as option 5 of an old menu.
    const offered = outbounds.findLast((outbound) => outbound.quickReplies.length > 0);
    const messages = outbounds.flatMap((outbound) =>
      renderOutbound(outbound === offered ? outbound : { ...outbound, quickReplies: [] }),
    );
    if (offered) await deps.options.remember(address, offered.quickReplies);
    else await deps.store.delete([optionsKey(address)]);
    // Enqueued together, so they leave in order even when an earlier one has to wait for a rate limit.
    const sent = messages.map((message) => queue.enqueue(address.conversation, message));
    const delivered = Promise.all(sent).then(
      () => undefined,
      async (error: unknown) => {
        await Promise.allSettled(sent);
        if (error instanceof GraphRefusedError && error.outsideWindow) throw new OutsideWindowError();
        throw error;
      },
    );
    return { delivered };
  }

  async function sendTemplate(address: Address, name: string): Promise<void> {
    await queue.enqueue(address.conversation, { type: "template", template: { name, language: { code: "en" } } });
  }

  const adapter: ChannelAdapter = {
    name: "whatsapp",
    async start() {},
    async stop() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([queue.drained(), new Promise((resolve) => (timer = setTimeout(resolve, drainOnStopMs)))]);
      clearTimeout(timer);
      queue.stop();
    },
    async send(address, messages) {
      const template = config.WHATSAPP_CLOUD_TEMPLATE;
      try {
        if (!(await serviceWindow.isOpen(address.conversation))) throw new OutsideWindowError();
        const { delivered } = await queueReplies(address, messages);
        await delivered;
      } catch (error) {
        if (!(error instanceof OutsideWindowError)) throw error;
        if (template) return await sendTemplate(address, template);
        log.warn({ code: error.code }, "whatsapp message not sent: outside the 24-hour window and no template set");
        throw error;
      }
    },
  };

  async function resolveAction(address: Address, read: ReadMessage): Promise<string | undefined> {
    if (read.replyId !== null) {
      const choice = optionNumber(read.replyId);
      return choice === null ? undefined : ((await deps.options.action(address, choice)) ?? undefined);
    }
    if (read.attachments.length > 0) return undefined;
    // Also a typed "2" for the second option: people answer lists that way too.
    const choice = OptionMemory.choiceNumber(read.text);
    return choice === null ? undefined : ((await deps.options.action(address, choice)) ?? undefined);
  }

  async function handleMessage(message: CloudMessage): Promise<void> {
    const read = readMessage(message);
    if (!read) {
      log.debug({ type: message.type }, "whatsapp message type ignored");
      return;
    }
    const sentAt = message.timestamp ? Number(message.timestamp) * 1000 : now();
    graph.markRead(message.id).catch((error: unknown) => log.debug(safeError(error), "read receipt not sent"));
    const address: Address = {
      channel: "whatsapp",
      user: deps.userIds.hash("whatsapp", message.from),
      conversation: message.from,
    };
    const action = await resolveAction(address, read);
    const country = countryOfNumber(message.from);
    // The bot before the service window: a cry for help is stored before that write can fail. A failed
    // turn throws, the webhook is answered 5xx, and Meta delivers the message again.
    const replies = await deps.bot
      .receive(
        {
          id: message.id,
          address,
          text: read.text,
          ...(action ? { action } : {}),
          attachments: read.attachments,
          hints: country ? { country } : {},
          receivedAt: new Date(sentAt),
        },
        { redelivers: true },
      )
      .catch((error: unknown) => {
        if (error instanceof TurnFailedError) queueWithoutOptions(address, error.replies);
        throw error;
      });
    if (replies.length > 0) {
      try {
        const { delivered } = await queueReplies(address, replies);
        // Not awaited: the webhook is answered once the replies are queued; the queue paces them.
        delivered.catch((error: unknown) => log.warn(safeError(error), "whatsapp reply not delivered"));
      } catch (error) {
        // The turn is stored, so a redelivery would be a duplicate: the answer goes now, without options.
        log.warn(safeError(error), "whatsapp options not remembered");
        queueWithoutOptions(address, replies);
      }
    }
    // "Delete my data" erased the window with the rest; keeping it would name the number again.
    if (replies.some((reply) => reply.meta.erased)) return;
    // After the answer: when this fails, the redelivery is a duplicate that only records the window.
    await serviceWindow.recordInbound(message.from, sentAt);
  }

  /** Replies that must go out while the store may be failing: nothing is remembered, no options shown. */
  function queueWithoutOptions(address: Address, outbounds: readonly Outbound[]): void {
    for (const outbound of outbounds) {
      for (const rendered of renderOutbound({ ...outbound, quickReplies: [] })) {
        queue
          .enqueue(address.conversation, rendered)
          .catch((error: unknown) => log.warn(safeError(error), "whatsapp reply not delivered"));
      }
    }
  }

  async function receiveWebhook(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const raw = request.body;
    const signature = request.headers["x-hub-signature-256"];
    if (
      !Buffer.isBuffer(raw) ||
      !validSignature(raw, typeof signature === "string" ? signature : undefined, secrets.appSecret)
    ) {
      log.warn("whatsapp webhook with a missing or wrong signature refused");
      throw new RahnamaError("AUTH_MISSING", "The X-Hub-Signature-256 signature is missing or wrong");
    }
    let json: unknown;
    try {
      json = parseJsonBody(raw.toString("utf8"));
    } catch (error) {
      log.warn("whatsapp webhook body is not JSON, or nested too deep");
      throw error;
    }
    const parsed = webhookSchema.safeParse(json);
    if (!parsed.success) {
      // Paths only: the values may be what someone wrote.
      log.warn({ issues: parsed.error.issues.map((issue) => issue.path.join(".")) }, "whatsapp webhook malformed");
      throw new RahnamaError("INPUT_INVALID", "The body is not a WhatsApp webhook payload");
    }
    // Until the knowledge index is loaded, 503 makes Meta deliver the messages again later.
    if (!deps.bot.ready) throw new RahnamaError("INDEX_NOT_READY");
    for (const message of messagesFor(parsed.data, secrets.phoneNumberId)) await handleMessage(message);
    return reply.code(200).send({ status: "ok" });
  }

  const plugin = async (app: FastifyInstance) => {
    // Encapsulated in this plugin: the signature is over the raw bytes, so keep them for the POST below.
    app.removeContentTypeParser("application/json");
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => {
      done(null, body);
    });

    app.get(webhookPath, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const mode = query["hub.mode"];
      const given = query["hub.verify_token"];
      const challenge = query["hub.challenge"];
      if (mode === "subscribe" && typeof given === "string" && sameSecret(given, verifyToken)) {
        return reply
          .code(200)
          .type("text/plain")
          .send(typeof challenge === "string" ? challenge : "");
      }
      log.warn("whatsapp webhook verification refused");
      throw new RahnamaError("AUTH_INVALID", "The verify token does not match");
    });
    app.post(webhookPath, receiveWebhook);
  };

  const eraser: ChannelEraser = async (address) => {
    if (address.channel === "whatsapp") await serviceWindow.forget(address.conversation);
  };

  return { adapter, plugin, eraser };
}

/** An error as log fields without personal data: its class and Graph's code, never a number or text. */
function safeError(error: unknown): Record<string, unknown> {
  if (error instanceof GraphRefusedError) return { error: error.name, status: error.status, code: error.code };
  if (error instanceof Error) return { error: error.name, ...("code" in error ? { code: error.code } : {}) };
  return { error: "unknown" };
}
