import { inject } from "vitest";
import { createRahnama, type Rahnama } from "../../src/bootstrap.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { InboundInput, Outbound } from "../../src/core/message.js";
import { createLogger, type Logger } from "../../src/log.js";
import type { Embedder } from "../../src/retrieval/embedder.js";
import { UseLiteEmbedder } from "../../src/retrieval/use-lite-embedder.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/store.js";
import { testMetricsToken } from "./metrics.js";

let embedder: Promise<Embedder> | null = null;

/** The real USE-lite model, loaded once per test worker. */
export function sharedEmbedder(): Promise<Embedder> {
  embedder ??= UseLiteEmbedder.load();
  return embedder;
}

export const silentLog: Logger = createLogger({ level: "silent", personalData: false });

/** Settings for tests: the prebuilt index, a fixed token secret, nothing written outside temp folders. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: inject("indexedDataDir"),
    KNOWLEDGE_DIR: process.env.KNOWLEDGE_DIR ?? "",
    REINDEX_ON_START: "never",
    DIRECTLINE_TOKEN_SECRET: "test-secret-test-secret-test-secret-1234",
    METRICS_TOKEN: testMetricsToken,
    PORT: "0",
    HOST: "127.0.0.1",
    ...env,
  });
}

export async function testRahnama(
  options: { store?: Store; env?: Record<string, string>; log?: Logger } = {},
): Promise<Rahnama> {
  return createRahnama(testConfig(options.env), options.log ?? silentLog, {
    store: options.store ?? new MemoryStore(),
    embedder: await sharedEmbedder(),
  });
}

let counter = 0;

/** Sends one message as a user of the web chat and returns the replies. */
export function chat(rahnama: Rahnama, conversation: string) {
  return async (text: string, extra: Partial<InboundInput> = {}): Promise<Outbound[]> => {
    counter += 1;
    return rahnama.bot.receive({
      id: `test-${process.pid}-${counter}`,
      address: { channel: "webchat", user: `user-${conversation}`, conversation },
      text,
      receivedAt: new Date(),
      ...extra,
    });
  };
}
