import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type Activity } from "botbuilder";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { TurnFailedError, type ChannelAdapter } from "../../src/core/channel.js";
import type { ChannelEraser } from "../../src/core/erasure.js";
import { RahnamaError } from "../../src/errors.js";
import type { ChannelDeps, ChannelRegistration } from "../channel-kit.js";
import { toInbound, toReplyActivity } from "./activities.js";
import { ConversationReferences } from "./references.js";

/** Where Azure Bot Service (and the Bot Framework Emulator) post activities. */
export const botFrameworkPath = "/api/messages";

// The fields botbuilder itself reads while it runs a turn (and trusts to be of their documented type: a
// number for channelId failed inside it with 500). The rest is read by toInbound as the unknown JSON it is.
const maybeString = z.string().nullish();
// Ids and the service URL go into the connector's URLs, where half a surrogate pair made botbuilder's
// encodeURIComponent throw (500).
const wellFormed = z
  .string()
  .max(2_048)
  .refine((value) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value), {
    error: "is not well-formed Unicode",
  });
const maybeId = wellFormed.nullish();
const account = z.object({ id: wellFormed, name: maybeString, role: maybeString }).loose().nullish();
const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    id: maybeId,
    channelId: maybeId,
    serviceUrl: maybeId,
    timestamp: maybeString,
    localTimestamp: maybeString,
    locale: maybeString,
    text: maybeString,
    textFormat: maybeString,
    replyToId: maybeId,
    deliveryMode: maybeString,
    callerId: maybeString,
    name: maybeString,
    from: account,
    recipient: account,
    conversation: account,
    relatesTo: z.object({}).loose().nullish(),
  })
  .loose();
const activitySchema = z.custom<Activity>((value) => activityShape.safeParse(value).success, {
  error: "is not a Bot Framework activity (an object with a `type`)",
});

/** `http://localhost:5000/` and `http://localhost:5000` are one connector; anything else is another. */
function connectorBase(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.search || parsed.hash || parsed.username || parsed.password) return null;
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    return null;
  }
}

function authenticationFor(deps: ChannelDeps): ConfigurationBotFrameworkAuthentication {
  const { config } = deps;
  try {
    return new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.MICROSOFT_APP_ID,
      MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
      MicrosoftAppType: config.MICROSOFT_APP_TYPE,
      MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
    });
  } catch (error) {
    // botbuilder asserts combinations (SingleTenant needs a tenant id, MSI no password): name them.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RahnamaError("CONFIG_INVALID", `Invalid configuration:\n  MICROSOFT_APP_*: ${reason}`, {
      cause: error,
      details: { variables: ["MICROSOFT_APP_ID", "MICROSOFT_APP_TYPE", "MICROSOFT_APP_TENANT_ID"] },
    });
  }
}

/**
 * Bot Framework: Azure Bot Service channels (Teams, …) and the Bot Framework Emulator post to
 * `/api/messages`. Off unless configured: with MICROSOFT_APP_ID/PASSWORD every request needs a token;
 * in emulator mode (BOTFRAMEWORK_EMULATOR_URL) none is checked, and so only that one connector is
 * served, because an open endpoint posts its replies to whatever serviceUrl it is handed.
 */
export async function createBotFrameworkChannel(deps: ChannelDeps): Promise<ChannelRegistration | null> {
  const { config, log, bot, userIds } = deps;
  const emulator = connectorBase(config.BOTFRAMEWORK_EMULATOR_URL);
  if (!config.MICROSOFT_APP_ID && !emulator) return null;
  const authentication = authenticationFor(deps);
  const cloud = new CloudAdapter(authentication);
  const references = new ConversationReferences(deps.store, config.DATA_RETENTION_DAYS * 86_400);
  const appId = config.MICROSOFT_APP_ID ?? "";
  /** In emulator mode, whether a reply to `serviceUrl` would go to the Emulator and nowhere else. */
  const mayPostTo = (serviceUrl: string | undefined) => !emulator || connectorBase(serviceUrl) === emulator;
  if (emulator)
    log.warn({ emulator }, "Bot Framework in emulator mode: tokens not checked, replies only to this connector");

  /**
   * One turn: a person's message goes to the bot, its replies go back in the same conversation. The
   * bot first, so that a cry for help is stored before anything else can fail; a failed turn throws,
   * and the endpoint's 5xx makes the channel deliver the activity again.
   */
  const answer = async (context: TurnContext): Promise<void> => {
    const inbound = toInbound(context.activity, userIds, new Date());
    // conversationUpdate, typing, invoke and the like say nothing the bot answers.
    if (!inbound) return;
    const replies = await bot.receive(inbound, { redelivers: true }).catch(async (error: unknown) => {
      if (error instanceof TurnFailedError && error.replies.length > 0) {
        await context.sendActivities(error.replies.map(toReplyActivity)).catch((sendError: unknown) => {
          log.debug({ err: sendError instanceof Error ? sendError.name : "unknown" }, "bot framework apology not sent");
        });
      }
      throw error;
    });
    if (replies.length > 0) await context.sendActivities(replies.map(toReplyActivity));
    // "Delete my data" erased the reference with the rest; saving it again would name the conversation.
    if (replies.some((reply) => reply.meta.erased)) return;
    // Where a counsellor's words go later; when this fails, the redelivery is a duplicate that saves it.
    await references.save(TurnContext.getConversationReference(context.activity));
  };

  const adapter: ChannelAdapter = {
    name: "botframework",
    async start() {},
    async stop() {},
    async send(address, messages) {
      if (messages.length === 0) return;
      const reference = await references.load(address.conversation);
      if (!reference) {
        throw new RahnamaError("NOT_FOUND", "No Bot Framework conversation to write to (it may have expired)");
      }
      // A reference kept before the emulator URL changed points at a connector no longer trusted.
      if (!mayPostTo(reference.serviceUrl)) {
        throw new RahnamaError("NOT_FOUND", "This conversation's connector is not BOTFRAMEWORK_EMULATOR_URL");
      }
      await cloud.continueConversationAsync(appId, reference, async (context) => {
        await context.sendActivities(messages.map(toReplyActivity));
      });
    },
  };

  const plugin = async (app: FastifyInstance) => {
    app.post(botFrameworkPath, async (request, reply) => {
      const parsed = activitySchema.safeParse(request.body);
      if (!parsed.success) throw new RahnamaError("INPUT_INVALID", "The body is not a Bot Framework activity");
      const activity = parsed.data;
      let authenticated: Awaited<ReturnType<typeof authentication.authenticateRequest>>;
      try {
        authenticated = await authentication.authenticateRequest(activity, request.headers.authorization ?? "");
      } catch (error) {
        log.info({ code: "RAHNAMA_ERR_AUTH_MISSING" }, "bot framework request refused");
        throw new RahnamaError("AUTH_MISSING", "A valid Bot Framework token is required", { cause: error });
      }
      // Without a token anyone could name a serviceUrl and have the server post to it (any port and path
      // of its own loopback, or the MRC's network): emulator mode answers its one connector only.
      if (!mayPostTo(activity.serviceUrl)) {
        // The origin alone, bounded and escaped by the JSON log, tells a developer which URL to configure.
        const origin = URL.canParse(activity.serviceUrl ?? "") ? new URL(activity.serviceUrl ?? "").origin : null;
        log.info(
          { code: "RAHNAMA_ERR_AUTH_MISSING", serviceUrl: origin },
          "bot framework request refused: not the emulator",
        );
        throw new RahnamaError("AUTH_MISSING", "In emulator mode only BOTFRAMEWORK_EMULATOR_URL's connector is served");
      }
      // Refused before anything runs, so the channel retries once the knowledge index is loaded.
      if (activity.type === "message" && !bot.ready) {
        throw new RahnamaError("INDEX_NOT_READY", "The bot is starting; try again in a few seconds");
      }
      // processActivityDirect wraps what the turn throws in a plain Error; keep ours to answer with it.
      const turn: { failed: boolean; error?: unknown } = { failed: false };
      await cloud.processActivityDirect(authenticated, activity, async (context) => {
        try {
          await answer(context);
        } catch (error) {
          turn.failed = true;
          turn.error = error;
        }
      });
      if (turn.failed) {
        throw turn.error instanceof Error
          ? turn.error
          : new RahnamaError("TURN_FAILED", undefined, { cause: turn.error });
      }
      return reply.code(200).send();
    });
  };

  const eraser: ChannelEraser = async (address) => {
    if (address.channel === "botframework") await references.delete(address.conversation);
  };

  return { adapter, plugin, eraser };
}
