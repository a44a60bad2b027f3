import type { FastifyInstance } from "fastify";
import type { Config } from "../src/config.js";
import type { BotPort, ChannelAdapter } from "../src/core/channel.js";
import type { ChannelEraser } from "../src/core/erasure.js";
import type { Logger } from "../src/log.js";
import type { Metrics } from "../src/metrics.js";
import type { Store } from "../src/store/store.js";
import type { OptionMemory } from "./shared/option-memory.js";
import type { UserIdHasher } from "./shared/user-ids.js";

/** What every channel gets from src/run.ts. */
export interface ChannelDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly bot: BotPort;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly userIds: UserIdHasher;
  readonly options: OptionMemory;
}

/** A started channel: its adapter, its HTTP routes (webhooks), and what it erases on "delete my data". */
export interface ChannelRegistration {
  readonly adapter: ChannelAdapter;
  readonly plugin?: (app: FastifyInstance) => Promise<void>;
  readonly eraser?: ChannelEraser;
}

/** Builds a channel when its settings are present; null when it is not configured. */
export type ChannelFactory = (deps: ChannelDeps) => Promise<ChannelRegistration | null>;
