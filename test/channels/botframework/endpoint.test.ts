import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotFrameworkChannel } from "../../../channels/botframework/index.js";
import { OptionMemory } from "../../../channels/shared/option-memory.js";
import { UserIdHasher } from "../../../channels/shared/user-ids.js";
import type { BotPort } from "../../../src/core/channel.js";
import { RahnamaError } from "../../../src/errors.js";
import { createMetrics } from "../../../src/metrics.js";
import { buildServer } from "../../../src/server/app.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { silentLog, testConfig } from "../../helpers/rahnama.js";
import { FakeConnector } from "./fake-connector.js";

/** The endpoint alone, in emulator mode for `connector`, in front of a bot whose state the test sets. */
async function endpointWith(
  connector: FakeConnector,
  bot: BotPort,
  store = new MemoryStore(),
): Promise<FastifyInstance> {
  const config = testConfig({ BOTFRAMEWORK_EMULATOR_URL: connector.url });
  const metrics = createMetrics();
  const channel = await createBotFrameworkChannel({
    config,
    log: silentLog,
    bot,
    store,
    metrics,
    userIds: UserIdHasher.withSalt("test-salt-test-salt"),
    options: new OptionMemory(store),
  });
  return buildServer({
    config,
    log: silentLog,
    metrics,
    plugins: channel?.plugin ? [channel.plugin] : [],
    readiness: async () => ({ ready: bot.ready, checks: {} }),
  });
}

describe("Bot Framework endpoint on its own", () => {
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await FakeConnector.start();
  });
  afterAll(async () => {
    await connector.close();
  });

  const message = () => ({
    type: "message",
    id: randomUUID(),
    channelId: "emulator",
    serviceUrl: connector.url,
    from: { id: "user-1" },
    recipient: { id: "bot" },
    conversation: { id: `conv-${randomUUID()}` },
    text: "hello",
  });

  it("answers 503 before the knowledge index is loaded, so the channel retries, and sends nothing", async () => {
    let asked = false;
    const app = await endpointWith(connector, {
      ready: false,
      async receive() {
        asked = true;
        throw new RahnamaError("INDEX_NOT_READY");
      },
    });
    const response = await app.inject({ method: "POST", url: "/api/messages", payload: message() });
    expect(response.statusCode).toBe(503);
    expect(asked).toBe(false);
    expect(connector.calls).toHaveLength(0);
    await app.close();
  });

  it("answers 500 when the turn fails, and sends nothing", async () => {
    const app = await endpointWith(connector, {
      ready: true,
      async receive() {
        throw new Error("boom");
      },
    });
    const response = await app.inject({ method: "POST", url: "/api/messages", payload: message() });
    expect(response.statusCode).toBe(500);
    expect(connector.calls).toHaveLength(0);
    await app.close();
  });

  it("keeps the conversation reference without the person's name, and erasure deletes it", async () => {
    const store = new MemoryStore();
    const app = await endpointWith(connector, { ready: true, receive: async () => [] }, store);
    const activity = { ...message(), from: { id: "user-1", name: "Ayesha Begum" } };
    expect((await app.inject({ method: "POST", url: "/api/messages", payload: activity })).statusCode).toBe(200);
    const key = `botframework:ref:${activity.conversation.id}`;
    const kept = await store.get(key);
    expect(kept).toContain(connector.url);
    expect(kept).not.toContain("Ayesha");
    expect(kept).not.toContain("user-1");
    const channel = await createBotFrameworkChannel({
      config: testConfig({ BOTFRAMEWORK_EMULATOR_URL: connector.url }),
      log: silentLog,
      bot: { ready: true, receive: async () => [] },
      store,
      metrics: createMetrics(),
      userIds: UserIdHasher.withSalt("test-salt-test-salt"),
      options: new OptionMemory(store),
    });
    await channel?.eraser?.({ channel: "botframework", user: "someone", conversation: activity.conversation.id });
    expect(await store.get(key)).toBeNull();
    await app.close();
  });
});
