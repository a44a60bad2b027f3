import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { BotPort, ChannelAdapter } from "../../src/core/channel.js";
import type { ChannelEraser } from "../../src/core/erasure.js";
import type { Logger } from "../../src/log.js";
import { projectRoot } from "../../src/paths.js";
import type { InstanceLiveness } from "../../src/store/instance-liveness.js";
import type { Store } from "../../src/store/store.js";
import { UserIdHasher } from "../shared/user-ids.js";
import { ActivityLog } from "./activity-log.js";
import { ClientAddresses } from "./client-addresses.js";
import { directLineRoutes } from "./directline-routes.js";
import { LiveSockets } from "./live-sockets.js";
import { officialWebChatRoutes } from "./official/routes.js";
import { Outbox } from "./outbox.js";
import { TokenRevocations } from "./revocations.js";
import { TokenSigner } from "./tokens.js";

export interface WebChatOptions {
  readonly bot: BotPort;
  readonly store: Store;
  /** This process among those sharing the store (claims on posts name it). */
  readonly instance: InstanceLiveness;
  readonly log: Logger;
  readonly dataDir: string;
  readonly tokenSecret: string | undefined;
  readonly tokenTtlSeconds: number;
  readonly retentionSeconds: number;
  readonly maxMessageChars: number;
  readonly rateLimitPerMinute: number;
  /** USER_ID_SALT: the key client addresses are hashed with (else the one kept in the data folder). */
  readonly userIdSalt: string | undefined;
  readonly newConversationsPerHour: number;
}

export interface WebChatChannel {
  readonly adapter: ChannelAdapter;
  /** Deletes the Direct Line history of a conversation ("delete my data"). */
  readonly eraser: ChannelEraser;
  /** Mounted by src/server: the Direct Line API under /v3/directline and the widget at /. */
  readonly plugin: (app: FastifyInstance) => Promise<void>;
}

// Static files are not compiled: find them from the project root whether running from src or dist.
const publicDir = path.join(projectRoot, "channels", "webchat", "public");
const heartbeatMs = 20_000;

/** Web chat: our Direct Line 3.0 endpoint plus the small widget served at `/`. */
export async function createWebChatChannel(options: WebChatOptions): Promise<WebChatChannel> {
  const tokens = await TokenSigner.fromConfig(options.tokenSecret, options.dataDir, options.tokenTtlSeconds);
  const live = new LiveSockets();
  const outbox = new Outbox(new ActivityLog(options.store, options.retentionSeconds), live);
  const revocations = new TokenRevocations(options.store, tokens);
  const addresses = new ClientAddresses(
    options.store,
    await UserIdHasher.fromConfig(options.userIdSalt, options.dataDir),
    options.newConversationsPerHour,
  );
  let heartbeat: NodeJS.Timeout | undefined;

  const adapter: ChannelAdapter = {
    name: "webchat",
    async start() {
      heartbeat = setInterval(() => live.heartbeat(), heartbeatMs);
      heartbeat.unref();
    },
    async stop() {
      clearInterval(heartbeat);
      live.closeAll();
    },
    async send(address, messages) {
      await outbox.sendReplies(address.conversation, messages);
    },
  };

  const plugin = async (app: FastifyInstance) => {
    await app.register(directLineRoutes, {
      bot: options.bot,
      log: options.log,
      outbox,
      instance: options.instance,
      tokens,
      revocations,
      addresses,
      maxMessageChars: options.maxMessageChars,
      rateLimitPerMinute: options.rateLimitPerMinute,
    });
    await app.register(officialWebChatRoutes);
    await app.register(fastifyStatic, {
      root: publicDir,
      prefix: "/",
      index: ["index.html"],
      // The widget is small and changes with releases; let phones revalidate instead of guessing.
      cacheControl: true,
      maxAge: 0,
      preCompressed: false,
    });
  };

  const eraser: ChannelEraser = async (address) => {
    if (address.channel !== "webchat") return;
    // Revoked first: a token still held must not read, or write back, what is being deleted.
    await revocations.revoke(address.conversation);
    await outbox.activities.delete(address.conversation);
  };

  return { adapter, plugin, eraser };
}
