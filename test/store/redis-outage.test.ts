import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../../src/store/redis-store.js";
import { silentLog } from "../helpers/rahnama.js";
import { canRunOutageTests } from "../helpers/redis-outage.js";
import { startThrowawayRedis, type ThrowawayRedis } from "../helpers/throwaway-redis.js";

/** A store that cannot be reached fails at once and plainly, so a turn never waits for Redis to return. */
describe.runIf(canRunOutageTests)("RedisStore while Redis is down", { timeout: 60_000 }, () => {
  let redis: ThrowawayRedis | null = null;
  let store: RedisStore | null = null;
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it("fails every kind of call fast with STORE_UNAVAILABLE, and works again once Redis is back", async () => {
    redis = await startThrowawayRedis();
    store = await RedisStore.connect(redis.url, `test:${randomUUID()}:`, silentLog);
    const connected = store;
    await connected.set("before", "1");
    await redis.stop();

    const started = Date.now();
    const unavailable = { code: "RAHNAMA_ERR_STORE_UNAVAILABLE" };
    await expect(connected.get("before")).rejects.toMatchObject(unavailable);
    await expect(connected.setIfAbsent("claim", "x", { ttlSeconds: 60 })).rejects.toMatchObject(unavailable);
    // A list append runs as MULTI, which the client would otherwise queue until Redis came back.
    await expect(connected.append("list", ["a"], { ttlSeconds: 60 })).rejects.toMatchObject(unavailable);
    await expect(connected.update("counter", () => "1")).rejects.toMatchObject(unavailable);
    await expect(connected.keysWithPrefix("")).rejects.toMatchObject(unavailable);
    await expect(connected.ping()).rejects.toMatchObject(unavailable);
    expect(Date.now() - started).toBeLessThan(1_000);

    redis = await startThrowawayRedis({ port: redis.port });
    const deadline = Date.now() + 20_000;
    while (
      !(await connected.ping().then(
        () => true,
        () => false,
      )) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await connected.set("after", "2");
    expect(await connected.get("after")).toBe("2");
    expect(await connected.append("list", ["a"], { ttlSeconds: 60 })).toBe(1);
  });
});
