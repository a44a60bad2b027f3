import { describe, expect, it } from "vitest";
import { PacedQueue, RateLimitedError, TransientSendError } from "../../../channels/shared/paced-queue.js";

describe("paced outgoing queue", () => {
  it("delivers every message to a chat in order, once, through rate-limit answers", async () => {
    const delivered: number[] = [];
    let calls = 0;
    const queue = new PacedQueue<number>(
      async (_key, item) => {
        calls += 1;
        // Every fifth attempt is refused with "retry after", as a flooded API does.
        if (calls % 5 === 0) throw new RateLimitedError(3);
        delivered.push(item);
      },
      { perKeyIntervalMs: 0, globalPerSecond: 10_000 },
    );
    const all = Array.from({ length: 200 }, (_, i) => queue.enqueue("chat", i));
    await Promise.all(all);
    expect(delivered).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(calls).toBeGreaterThan(200);
  });

  it("keeps the pause between two messages to one chat, even when the second comes later", async () => {
    const sentAt: number[] = [];
    const queue = new PacedQueue<string>(
      async () => {
        sentAt.push(Date.now());
      },
      { perKeyIntervalMs: 60, globalPerSecond: 1_000 },
    );
    await queue.enqueue("chat", "first");
    await queue.enqueue("chat", "second");
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(55);
  });

  it("retries a transient failure and gives up a permanent one without blocking the others", async () => {
    let flaky = 0;
    const givenUp: string[] = [];
    const queue = new PacedQueue<string>(
      async (_key, item) => {
        if (item === "flaky" && flaky++ < 1) throw new TransientSendError("socket hang up");
        if (item === "blocked") throw new Error("403: bot was blocked by the user");
      },
      { perKeyIntervalMs: 0, globalPerSecond: 1_000, onGiveUp: (key) => givenUp.push(key) },
    );
    await expect(queue.enqueue("a", "flaky")).resolves.toBeUndefined();
    await expect(queue.enqueue("b", "blocked")).rejects.toThrow("blocked");
    await expect(queue.enqueue("c", "fine")).resolves.toBeUndefined();
    expect(givenUp).toEqual(["b"]);
  });
});
