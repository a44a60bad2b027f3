import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { BotPort } from "../../src/core/channel.js";
import { KeyedLock } from "../../src/core/keyed-lock.js";
import { RahnamaError } from "../../src/errors.js";
import type { Logger } from "../../src/log.js";
import type { InstanceLiveness } from "../../src/store/instance-liveness.js";
import { incomingActivitySchema, languageOfLocale, type Activity, type IncomingActivity } from "./activity.js";
import type { ClientAddresses } from "./client-addresses.js";
import type { Outbox } from "./outbox.js";
import type { TokenRevocations } from "./revocations.js";
import type { TokenSigner } from "./tokens.js";

export interface DirectLineOptions {
  readonly bot: BotPort;
  readonly log: Logger;
  readonly outbox: Outbox;
  /** This process; its id is written into the claim on each post, so a dead one's posts can be taken over. */
  readonly instance: InstanceLiveness;
  readonly tokens: TokenSigner;
  /** Conversations erased by their person: their tokens are refused. */
  readonly revocations: TokenRevocations;
  readonly addresses: ClientAddresses;
  readonly maxMessageChars: number;
  readonly rateLimitPerMinute: number;
}

const conversationParams = z.object({
  conversationId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "is not a conversation id"),
});
const watermarkQuery = z.object({
  watermark: z.coerce.number().int().nonnegative().optional().catch(undefined),
  t: z.string().optional(),
});

/** Direct Line JSON bodies are small; anything bigger is refused before it is parsed. */
export const directLineBodyLimit = 64 * 1024;

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new RahnamaError(
      "INPUT_INVALID",
      `Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join(".") || what} ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() ?? null;
}

/**
 * The Direct Line 3.0 subset our widget and the official Web Chat use: start or resume a conversation,
 * post activities, read them by watermark, or stream them over a WebSocket.
 */
export async function directLineRoutes(app: FastifyInstance, options: DirectLineOptions): Promise<void> {
  const { bot, outbox, tokens, log, instance } = options;
  const { activities, live } = outbox;
  const lock = new KeyedLock();
  const rateLimit = { rateLimit: { max: options.rateLimitPerMinute, timeWindow: "1 minute" } };

  /** The conversation this request's token opens; it must be the one in the URL when there is one. */
  const authorise = async (request: FastifyRequest, token: string | null, conversationId?: string): Promise<string> => {
    if (!token) throw new RahnamaError("AUTH_MISSING", "Send the Direct Line token as `Authorization: Bearer <token>`");
    const opened = tokens.verify(token);
    if (!opened || (conversationId !== undefined && opened !== conversationId)) {
      throw new RahnamaError("AUTH_INVALID", "The token is invalid, expired, or for another conversation");
    }
    // Its person erased it: a token issued before must neither read nor bring back anything of it.
    if (await options.revocations.isRevoked(opened)) {
      throw new RahnamaError("AUTH_INVALID", "This conversation was erased; start a new one");
    }
    return opened;
  };

  const streamUrl = (request: FastifyRequest, conversationId: string, token: string, watermark?: number) => {
    const scheme = request.protocol === "https" ? "wss" : "ws";
    // A reconnecting client names the last activity it saw; the stream then replays what came after.
    const from = watermark === undefined ? "" : `&watermark=${String(watermark)}`;
    return `${scheme}://${request.host}/v3/directline/conversations/${conversationId}/stream?t=${encodeURIComponent(token)}${from}`;
  };

  /** A new conversation counts against its client address's hourly allowance (429 with Retry-After past it). */
  const admitNewConversation = async (request: FastifyRequest, reply: FastifyReply) => {
    const admission = await options.addresses.admitNewConversation(request.ip);
    if (admission.admitted) return;
    void reply.header("retry-after", String(admission.retryAfterSeconds));
    throw new RahnamaError("CONVERSATIONS_LIMITED");
  };

  const ensureExists = async (conversationId: string) => {
    if (!(await activities.exists(conversationId))) {
      throw new RahnamaError("NOT_FOUND", "No such conversation (it may have expired); start a new one");
    }
  };

  app.post("/v3/directline/tokens/generate", { config: rateLimit }, async (request, reply) => {
    await admitNewConversation(request, reply);
    const conversationId = newConversationId();
    await activities.create(conversationId);
    return reply.send({ conversationId, token: tokens.issue(conversationId), expires_in: tokens.expiresIn });
  });

  app.post("/v3/directline/tokens/refresh", { config: rateLimit }, async (request, reply) => {
    const conversationId = await authorise(request, bearer(request));
    return reply.send({ conversationId, token: tokens.issue(conversationId), expires_in: tokens.expiresIn });
  });

  app.post("/v3/directline/conversations", { config: rateLimit }, async (request, reply) => {
    const token = bearer(request);
    // A token from tokens/generate opens its conversation; without one a new conversation starts.
    if (!token) await admitNewConversation(request, reply);
    const conversationId = token ? await authorise(request, token) : newConversationId();
    const created = await activities.create(conversationId);
    const issued = token ?? tokens.issue(conversationId);
    return reply.code(created ? 201 : 200).send({
      conversationId,
      token: issued,
      expires_in: tokens.expiresIn,
      streamUrl: streamUrl(request, conversationId, issued),
    });
  });

  app.get("/v3/directline/conversations/:conversationId", async (request, reply) => {
    const { conversationId } = parse(conversationParams, request.params, "conversation id");
    const token = bearer(request);
    await authorise(request, token, conversationId);
    await ensureExists(conversationId);
    const { watermark } = parse(watermarkQuery, request.query, "query");
    return reply.send({
      conversationId,
      token,
      expires_in: tokens.expiresIn,
      streamUrl: streamUrl(request, conversationId, token ?? "", watermark),
    });
  });

  app.get("/v3/directline/conversations/:conversationId/activities", async (request, reply) => {
    const { conversationId } = parse(conversationParams, request.params, "conversation id");
    await authorise(request, bearer(request), conversationId);
    await ensureExists(conversationId);
    const { watermark } = parse(watermarkQuery, request.query, "query");
    const page = await activities.since(conversationId, watermark ?? 0);
    return reply.send({ activities: page.activities, watermark: String(page.watermark) });
  });

  app.post(
    "/v3/directline/conversations/:conversationId/activities",
    { config: rateLimit, bodyLimit: directLineBodyLimit },
    async (request, reply) => {
      const { conversationId } = parse(conversationParams, request.params, "conversation id");
      await authorise(request, bearer(request), conversationId);
      const activity = parse(incomingActivitySchema, request.body, "activity");
      if ((activity.text?.length ?? 0) > options.maxMessageChars) {
        throw new RahnamaError("INPUT_TOO_LARGE", `Messages are limited to ${options.maxMessageChars} characters`);
      }
      if (!bot.ready) throw new RahnamaError("INDEX_NOT_READY", "The bot is starting; try again in a few seconds");
      await ensureExists(conversationId);
      const sender = options.addresses.sender(request.ip);
      const outcome: PostOutcome = { farewell: null };
      const id = await lock.run(conversationId, () => handleUserActivity(conversationId, activity, sender, outcome));
      // The answer to "yes, delete" is stored nowhere: a client reading by polling finds it here, once.
      return reply.send(outcome.farewell ? { id, erased: true, activities: outcome.farewell } : { id });
    },
  );

  app.get("/v3/directline/conversations/:conversationId/stream", { websocket: true }, (socket, request) => {
    void (async () => {
      try {
        const { conversationId } = parse(conversationParams, request.params, "conversation id");
        const { watermark, t } = parse(watermarkQuery, request.query, "query");
        await authorise(request, t ?? bearer(request), conversationId);
        await ensureExists(conversationId);
        live.add(conversationId, socket);
        if (watermark !== undefined) {
          const backlog = await activities.since(conversationId, watermark);
          if (backlog.activities.length > 0)
            socket.send(JSON.stringify({ activities: backlog.activities, watermark: String(backlog.watermark) }));
        }
      } catch (error) {
        const code = error instanceof RahnamaError ? error.code : "RAHNAMA_ERR_INPUT_INVALID";
        log.info({ code }, "direct line stream refused");
        // The server's failure (Redis away, still starting) is not the client's: 1013 (try again later)
        // keeps the widget's conversation, where 4401 would make it drop it and start a new one.
        const serverSide = error instanceof RahnamaError && error.status >= 500;
        socket.close(code === "RAHNAMA_ERR_NOT_FOUND" ? 4404 : serverSide ? 1013 : 4401, code);
      }
    })();
  });

  /**
   * Stores the user's activity, lets the bot answer, stores and streams the answers. Returns the id.
   * A post with a client id is done at most once: a retry of an answered one gets the first id back
   * (its answer is in the log, past the client's watermark); a retry of one whose process died before
   * the answer was stored takes it up where it stopped, and the bot's own claim lets the turn run once.
   */
  async function handleUserActivity(
    conversationId: string,
    activity: IncomingActivity,
    sender: string,
    outcome: PostOutcome,
  ): Promise<string> {
    // Typing indicators and the like are not part of the conversation: acknowledge, keep nothing.
    if (activity.type !== "message" && activity.type !== "event") return `${conversationId}|${activity.type}`;
    const clientId = activity.channelData?.clientActivityID ?? activity.id;
    let activityId: string | null = null;
    if (clientId) {
      const earlier = await claimPost(conversationId, clientId);
      if (earlier.state === "answered") return earlier.activityId;
      if (earlier.state === "stored") {
        activityId = earlier.activityId;
        // The answer may have been stored just before the process died, the record not yet updated.
        if (await activities.hasReplyTo(conversationId, activityId)) {
          await activities.recordClientId(conversationId, clientId, { state: "answered", activityId });
          return activityId;
        }
      }
    }
    if (activityId === null) {
      const [stored] = await outbox.append(
        conversationId,
        (ids) => [userActivity(conversationId, ids[0] ?? "", activity)],
        1,
      );
      activityId = stored?.id ?? "";
      if (clientId) {
        await activities.recordClientId(conversationId, clientId, { state: "stored", owner: instance.id, activityId });
      }
    }
    if (activity.type === "message") {
      live.push(conversationId, [typingActivity(conversationId)], null);
      const lang = languageOfLocale(activity.locale);
      const country = activity.channelData?.rahnama?.country;
      const replies = await bot.receive(
        {
          id: `${conversationId}:${clientId ?? activityId}`,
          address: { channel: "webchat", user: activity.from.id, conversation: conversationId },
          // The client names its own user id; its network address is what a flood's conversations share.
          sender,
          text: activity.text ?? "",
          ...(activity.value?.action ? { action: activity.value.action } : {}),
          attachments: (activity.attachments ?? []).map(() => ({ kind: "other" as const })),
          hints: { ...(lang ? { lang } : {}), ...(country ? { country } : {}) },
          receivedAt: new Date(),
        },
        // A re-run of a turn the bot finished (the process died before its answer reached the log)
        // gets that answer back, instead of none.
        { keepsAnswer: true },
      );
      if (replies.some((reply) => reply.meta.erased)) {
        // "Delete my data" took everything of the conversation: nothing of it is written back.
        outcome.farewell = outbox.farewell(conversationId, replies, activityId);
        return activityId;
      }
      await outbox.sendReplies(conversationId, replies, activityId);
    }
    if (clientId) await activities.recordClientId(conversationId, clientId, { state: "answered", activityId });
    return activityId;
  }

  /**
   * Claims a client's post for this instance, or says how far an earlier delivery of it got. A post
   * held by another live instance is waited for a little, then refused with TURN_IN_PROGRESS (503,
   * retry later); one held by a dead instance is taken over at once.
   */
  async function claimPost(
    conversationId: string,
    clientId: string,
  ): Promise<{ state: "new" } | { state: "stored" | "answered"; activityId: string }> {
    const deadline = Date.now() + waitForOtherInstanceMs;
    for (;;) {
      if (await activities.claimClientId(conversationId, clientId, instance.id)) return { state: "new" };
      const found = await activities.clientRecord(conversationId, clientId);
      if (found) {
        const { record, raw } = found;
        if (record.state === "answered") return record;
        // Posts of one conversation run one at a time in this process (the keyed lock), so a record of
        // its own still unfinished was left by a post that failed part way (the store went away).
        const abandoned = record.owner === instance.id || !(await instance.isAlive(record.owner));
        if (abandoned && (await activities.takeOverClientId(conversationId, clientId, raw, instance.id))) {
          log.info({ state: record.state }, "direct line post left unfinished taken over");
          if (record.state === "stored") return record;
          const stored = await activities.userActivityWithClientId(conversationId, clientId);
          return stored ? { state: "stored", activityId: stored } : { state: "new" };
        }
      }
      if (Date.now() >= deadline) {
        throw new RahnamaError("TURN_IN_PROGRESS", "This message is being answered; send it again in a few seconds");
      }
      await sleep(200);
    }
  }
}

/** What a post's response carries besides its id: the confirmation of an erasure, which is stored nowhere. */
interface PostOutcome {
  farewell: Activity[] | null;
}

/** How long a retry waits for another live instance to finish the same post before it is told to come back. */
const waitForOtherInstanceMs = 5_000;

function newConversationId(): string {
  return randomUUID().replace(/-/g, "");
}

function userActivity(conversationId: string, id: string, activity: IncomingActivity): Activity {
  return {
    type: activity.type === "message" ? "message" : "event",
    id,
    timestamp: new Date().toISOString(),
    channelId: "directline",
    conversation: { id: conversationId },
    from: { id: activity.from.id, ...(activity.from.name ? { name: activity.from.name } : {}), role: "user" },
    ...(activity.text !== undefined ? { text: activity.text } : {}),
    ...(activity.locale ? { locale: activity.locale } : {}),
    ...(activity.value !== undefined ? { value: activity.value } : {}),
    ...(activity.channelData ? { channelData: activity.channelData } : {}),
  };
}

function typingActivity(conversationId: string): Activity {
  return {
    type: "typing",
    id: `${conversationId}|typing`,
    timestamp: new Date().toISOString(),
    channelId: "directline",
    conversation: { id: conversationId },
    from: { id: "rahnama", name: "Rahnama", role: "bot" },
  };
}
