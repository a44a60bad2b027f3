import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { createMetrics } from "../../src/metrics.js";
import { buildServer } from "../../src/server/app.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { DirectLineClient, startTestApp } from "../helpers/app.js";
import { scrapeMetrics } from "../helpers/metrics.js";
import { silentLog, testConfig } from "../helpers/rahnama.js";

describe("operations endpoints", () => {
  it("/healthz answers at once; /readyz is 503 until the index is loaded", async () => {
    let ready = false;
    const app = await buildServer({
      config: testConfig(),
      log: silentLog,
      metrics: createMetrics(),
      plugins: [],
      readiness: async () => ({ ready, checks: { index: ready } }),
    });
    expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/readyz" })).statusCode).toBe(503);
    ready = true;
    const readyz = await app.inject({ url: "/readyz" });
    expect(readyz.statusCode).toBe(200);
    expect(readyz.json()).toMatchObject({ status: "ready" });
    expect((await app.inject({ url: "/no/such/page" })).json()).toMatchObject({
      error: { code: "RAHNAMA_ERR_NOT_FOUND" },
    });
    await app.close();
  });

  it("/metrics counts messages by channel, answer paths, retrieval hits and handoffs", async () => {
    const running = await startTestApp();
    const client = new DirectLineClient(running.url);
    const conversation = await client.start();
    await client.post(conversation, { type: "message", from: { id: "u" }, text: "hello" });
    await client.post(conversation, { type: "message", from: { id: "u" }, text: "what is the kafala system?" });
    await client.post(conversation, { type: "message", from: { id: "u" }, text: "asdf qwer zxcv" });
    await client.post(conversation, { type: "message", from: { id: "u" }, text: "I want to talk to a counsellor" });
    const metrics = await scrapeMetrics(running.url);
    expect(metrics).toContain('rahnama_messages_in_total{channel="webchat"} 4');
    expect(metrics).toMatch(/rahnama_messages_out_total\{channel="webchat"\} [5-9]/);
    expect(metrics).toContain('rahnama_retrieval_total{result="hit"} 1');
    expect(metrics).toContain('rahnama_retrieval_total{result="miss"} 1');
    expect(metrics).toContain('rahnama_handoffs_total{reason="user-request"} 1');
    expect(metrics).toContain('rahnama_intents_total{intent="greeting"} 1');
    // The kafala question is answered by the contracts intent (which quotes a leaflet), the gibberish by the search.
    expect(metrics).toMatch(/rahnama_turn_duration_seconds_count\{path="intent"\} 3/);
    expect(metrics).toMatch(/rahnama_turn_duration_seconds_count\{path="retrieval"\} 1/);
    await running.close();
  });
});

const redisUrl = inject("redisUrl");
describe.runIf(redisUrl)("with Redis", () => {
  it("keeps a web chat conversation across a restart of the bot", async () => {
    const prefix = `test:${randomUUID()}:`;
    const env = { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix };
    const first = await startTestApp({ env, store: await RedisStore.connect(redisUrl ?? "", prefix, silentLog) });
    const client = new DirectLineClient(first.url);
    const conversation = await client.start();
    await client.post(conversation, { type: "message", from: { id: "u" }, text: "Здравствуйте, как получить патент?" });
    await first.close();

    const second = await startTestApp({ env, store: await RedisStore.connect(redisUrl ?? "", prefix, silentLog) });
    const again = new DirectLineClient(second.url);
    const moved = { ...conversation, streamUrl: "" };
    const history = await again.activities(moved);
    expect(history.activities[0]?.text).toBe("Здравствуйте, как получить патент?");
    await again.post(moved, { type: "message", from: { id: "u" }, text: "ok" });
    const { activities } = await again.activities(moved, Number(history.watermark));
    const reply = activities.find((activity) => activity.from.role === "bot");
    // The conversation's language was remembered: a bare "ok" is answered in Russian.
    expect(reply?.channelData?.rahnama?.lang).toBe("rus");
    await second.close();
  });
});
