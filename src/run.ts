import type { FastifyInstance } from "fastify";
import { channelFactories } from "../channels/registry.js";
import { OptionMemory } from "../channels/shared/option-memory.js";
import { UserIdHasher } from "../channels/shared/user-ids.js";
import { createWebChatChannel } from "../channels/webchat/index.js";
import { createRahnama, openStore, type BootstrapOverrides, type Rahnama } from "./bootstrap.js";
import type { Config } from "./config.js";
import type { BotPort, ChannelAdapter } from "./core/channel.js";
import type { Address } from "./core/message.js";
import { RahnamaError } from "./errors.js";
import type { Logger } from "./log.js";
import { consoleApi, forgetConsoleNotes } from "./console/routes.js";
import { QueueWatch } from "./handoff/queue-watch.js";
import { CounsellorRelay } from "./handoff/relay.js";
import { createMetrics } from "./metrics.js";
import { buildServer } from "./server/app.js";
import { InstanceLiveness } from "./store/instance-liveness.js";

export interface RunningApp {
  readonly app: FastifyInstance;
  /** http://host:port the server listens on. */
  readonly url: string;
  /** Resolves once leaflets are indexed and the bot answers. */
  readonly ready: Promise<Rahnama>;
  readonly channels: readonly ChannelAdapter[];
  /** Counsellor replies and resolves, delivered on each person's own channel (once `ready`). */
  readonly relay: Promise<CounsellorRelay>;
  close(): Promise<void>;
}

/**
 * Starts everything in order: state store, channels, HTTP server (so /healthz answers at once), then
 * the knowledge index and the bot, after which /readyz turns green.
 */
export async function runApp(config: Config, log: Logger, overrides: BootstrapOverrides = {}): Promise<RunningApp> {
  const metrics = overrides.metrics ?? createMetrics();
  const store = overrides.store ?? (await openStore(config, log));
  // One for the web chat and the bot: both name it in their claims on a message.
  const instance = overrides.instance ?? new InstanceLiveness(store, log);
  if (!overrides.instance) await instance.start();
  let rahnama: Rahnama | null = null;
  let startupError: unknown = null;

  const bot: BotPort = {
    get ready() {
      return rahnama !== null;
    },
    async receive(input, options) {
      if (!rahnama) throw new RahnamaError("INDEX_NOT_READY");
      return rahnama.bot.receive(input, options);
    },
  };

  const webchat = await createWebChatChannel({
    bot,
    store,
    instance,
    log,
    dataDir: config.paths.data,
    tokenSecret: config.DIRECTLINE_TOKEN_SECRET,
    tokenTtlSeconds: config.DIRECTLINE_TOKEN_TTL_SECONDS,
    retentionSeconds: config.DATA_RETENTION_DAYS * 86_400,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    userIdSalt: config.USER_ID_SALT,
    newConversationsPerHour: config.WEBCHAT_NEW_CONVERSATIONS_PER_HOUR,
  });
  const channels: ChannelAdapter[] = [webchat.adapter];
  const plugins = [webchat.plugin];
  const options = new OptionMemory(store);
  const erasers = [webchat.eraser, (address: Address) => options.forget(address)];
  const userIds = overrides.userIds ?? (await UserIdHasher.fromConfig(config.USER_ID_SALT, config.paths.data));
  const deps = { config, log, bot, store, metrics, userIds, options };
  for (const factory of channelFactories) {
    const registration = await factory(deps);
    if (!registration) continue;
    channels.push(registration.adapter);
    if (registration.plugin) plugins.push(registration.plugin);
    if (registration.eraser) erasers.push(registration.eraser);
    log.info({ channel: registration.adapter.name }, "channel configured");
  }

  // The console API needs the bot and the relay, which exist once the index is loaded.
  let consoleReady: { rahnama: Rahnama; relay: CounsellorRelay } | null = null;
  plugins.push(consoleApi({ store, ready: () => consoleReady }));

  const app = await buildServer({
    config,
    log,
    metrics,
    plugins,
    async readiness() {
      const storeUp = await store.ping().then(
        () => true,
        () => false,
      );
      // While a cry for help failed to be stored, a PING is not proof enough: a write must succeed.
      const escalations = storeUp && (await (rahnama?.bot.unstoredEscalations.storeTakesWrites(store) ?? true));
      return {
        ready: rahnama !== null && storeUp && escalations,
        checks: { index: rahnama !== null, store: storeUp, escalations, failed: startupError !== null },
      };
    },
  });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const url = address.replace("[::]", "localhost").replace("0.0.0.0", "localhost");
  for (const channel of channels) await channel.start();
  log.info({ url }, "listening; building knowledge index");

  const ready = createRahnama(config, log, { ...overrides, store, metrics, userIds, instance }).then(
    (created) => {
      for (const eraser of erasers) created.services.erasure.registerChannel(eraser);
      created.services.erasure.registerPart((key) => forgetConsoleNotes(store, key));
      rahnama = created;
      log.info({ leaflets: created.services.knowledge.leaflets.length }, "ready");
      return created;
    },
    (error: unknown) => {
      startupError = error;
      throw error;
    },
  );

  const byName = new Map(channels.map((channel) => [channel.name, channel]));
  const relay = ready.then(
    (created) =>
      new CounsellorRelay(created.services.desk, {
        channels: () => byName,
        transcripts: created.services.transcripts,
        texts: created.services.texts,
        conversation: (key) => created.services.conversations.get(key),
      }),
  );
  let queueWatch: QueueWatch | null = null;
  relay.then(
    async (built) => {
      const created = await ready;
      consoleReady = { rahnama: created, relay: built };
      const { desk, handoff, desks, texts, conversations, logConversation } = created.services;
      queueWatch = new QueueWatch({
        logConversation,
        desk,
        handoff,
        desks,
        texts,
        conversations,
        notify: (key, text, at) => built.notify(key, text, at),
        log,
        metrics: created.services.metrics,
      });
      queueWatch.start();
    },
    () => undefined,
  );

  return {
    app,
    url,
    ready,
    channels,
    relay,
    async close() {
      await queueWatch?.stop();
      for (const channel of channels) await channel.stop();
      await app.close();
      if (!overrides.instance) await instance.stop();
      if (rahnama === null && startupError === null) {
        // Still starting: waiting for the index build (a minute or more) would hold a stop until the
        // container's grace period ends and it is killed. What start-up still builds is closed when done.
        void ready.then(
          (created) => created.close(),
          () => undefined,
        );
        await store.close();
        return;
      }
      const running = await ready.catch(() => null);
      if (running) await running.close();
      else await store.close();
    },
  };
}
