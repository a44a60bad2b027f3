import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { silentLog } from "../helpers/rahnama.js";

/** The one contract every Store passes; the bot relies on nothing else. */
function storeContract(name: string, open: () => Promise<Store>) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const key = (suffix: string) => `contract:${randomUUID()}:${suffix}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it("returns what was set, and null for a key never set", async () => {
      const k = key("value");
      expect(await store.get(k)).toBeNull();
      await store.set(k, "سلام • привет • হ্যালো");
      expect(await store.get(k)).toBe("سلام • привет • হ্যালো");
    });

    it("setIfAbsent writes only the first time", async () => {
      const k = key("once");
      expect(await store.setIfAbsent(k, "first")).toBe(true);
      expect(await store.setIfAbsent(k, "second")).toBe(false);
      expect(await store.get(k)).toBe("first");
    });

    it("setIfAbsent lets exactly one of many concurrent callers win", async () => {
      const k = key("race");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, String(i))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("forgets keys after their time to live", async () => {
      const k = key("ttl");
      await store.set(k, "x", { ttlSeconds: 1 });
      expect(await store.get(k)).toBe("x");
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await store.get(k)).toBeNull();
    });

    it("appends to lists and reads ranges like LRANGE", async () => {
      const k = key("list");
      expect(await store.append(k, ["a", "b"])).toBe(2);
      expect(await store.append(k, ["c"])).toBe(3);
      expect(await store.range(k, 0, -1)).toEqual(["a", "b", "c"]);
      expect(await store.range(k, 1, 1)).toEqual(["b"]);
      expect(await store.range(k, -2, -1)).toEqual(["b", "c"]);
      expect(await store.range(k, 5, 10)).toEqual([]);
      expect(await store.length(k)).toBe(3);
      expect(await store.length(key("none"))).toBe(0);
    });

    it("update is atomic under concurrent writers", async () => {
      const k = key("counter");
      await Promise.all(
        Array.from({ length: 25 }, () => store.update(k, (current) => String(Number(current ?? "0") + 1))),
      );
      expect(await store.get(k)).toBe("25");
    });

    it("increment counts atomically, each caller seeing its own result, within the first count's window", async () => {
      const k = key("increment");
      const seen = await Promise.all(Array.from({ length: 30 }, () => store.increment(k, { ttlSeconds: 1 })));
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await store.increment(k, { by: -5, ttlSeconds: 60 })).toBe(25);
      expect(await store.get(k)).toBe("25");
      // The later, longer ttlSeconds did not extend the window the first count opened.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await store.get(k)).toBeNull();
      expect(await store.increment(k)).toBe(1);
    });

    it("update returning null deletes the key", async () => {
      const k = key("gone");
      await store.set(k, "here");
      expect(await store.update(k, () => null)).toBeNull();
      expect(await store.get(k)).toBeNull();
    });

    it("deletes values and lists and lists keys by prefix", async () => {
      const prefix = `contract:${randomUUID()}:`;
      await store.set(`${prefix}a`, "1");
      await store.append(`${prefix}b`, ["x"]);
      await store.set(`other:${randomUUID()}`, "2");
      expect((await store.keysWithPrefix(prefix)).sort()).toEqual([`${prefix}a`, `${prefix}b`]);
      expect(await store.delete([`${prefix}a`, `${prefix}b`, `${prefix}missing`])).toBe(2);
      expect(await store.keysWithPrefix(prefix)).toEqual([]);
    });

    it("keeps sorted sets ordered by score, re-scores a member added again, and reads a score range", async () => {
      const k = key("sorted");
      await store.sortedAdd(k, [
        { member: "late", score: 1_700_000_000_300 },
        { member: "early", score: 1_700_000_000_100 },
        { member: "urgent", score: -5 },
      ]);
      await store.sortedAdd(k, [{ member: "late", score: 1_700_000_000_050 }]);
      expect(await store.sortedRange(k)).toEqual([
        { member: "urgent", score: -5 },
        { member: "late", score: 1_700_000_000_050 },
        { member: "early", score: 1_700_000_000_100 },
      ]);
      expect((await store.sortedRange(k, { min: 0, max: 1_700_000_000_060 })).map((m) => m.member)).toEqual(["late"]);
      expect(await store.sortedRemove(k, ["late", "never-added"])).toBe(1);
      expect((await store.sortedRange(k)).map((m) => m.member)).toEqual(["urgent", "early"]);
      expect(await store.keysWithPrefix(k)).toEqual([k]);
      expect(await store.delete([k])).toBe(1);
      expect(await store.sortedRange(k)).toEqual([]);
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

storeContract("memory", async () => new MemoryStore());

const redisUrl = inject("redisUrl");
describe.runIf(redisUrl)("redis", () => {
  storeContract("redis", async () => RedisStore.connect(redisUrl ?? "", `test:${randomUUID()}:`, silentLog));

  it("fails at connect with a clear error when Redis cannot be reached", async () => {
    await expect(RedisStore.connect("redis://127.0.0.1:1", "x:", silentLog)).rejects.toMatchObject({
      code: "RAHNAMA_ERR_STORE_UNAVAILABLE",
    });
  });

  it("keeps values written under one prefix away from another prefix", async () => {
    const a = await RedisStore.connect(redisUrl ?? "", `test:${randomUUID()}:`, silentLog);
    const b = await RedisStore.connect(redisUrl ?? "", `test:${randomUUID()}:`, silentLog);
    await a.set("shared-name", "from a");
    expect(await b.get("shared-name")).toBeNull();
    await a.close();
    await b.close();
  });
});
