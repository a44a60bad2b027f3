import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Bot } from "../../src/core/bot.js";
import { TurnFailedError } from "../../src/core/channel.js";
import { conversationKey } from "../../src/core/conversation.js";
import type { InboundInput } from "../../src/core/message.js";
import type { Stage } from "../../src/core/pipeline.js";
import { defaultStages, route } from "../../src/core/stages.js";
import type { TurnContext } from "../../src/core/turn.js";
import { RahnamaError } from "../../src/errors.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/store.js";
import { crisisMessage } from "../helpers/redis-outage.js";
import { testRahnama } from "../helpers/rahnama.js";

/** A memory store that can be switched off, as Redis goes away. */
function switchableStore(): { store: Store; down: (value: boolean) => void } {
  const memory = new MemoryStore();
  let isDown = false;
  const store = new Proxy(memory, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) =>
        isDown && property !== "close"
          ? Promise.reject(new RahnamaError("STORE_UNAVAILABLE"))
          : method.apply(target, args);
    },
  });
  return { store, down: (value) => (isDown = value) };
}

function message(text: string, id = randomUUID()): InboundInput {
  const conversation = `failed-${randomUUID()}`;
  return {
    id,
    address: { channel: "telegram", user: `u-${conversation}`, conversation },
    text,
    receivedAt: new Date(),
  };
}

async function failure(promise: Promise<unknown>): Promise<TurnFailedError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TurnFailedError)) throw new Error(`expected a TurnFailedError, got ${String(error)}`);
  return error;
}

describe("a turn that fails", () => {
  it("is refused to a channel that redelivers, apologised for once, and the redelivery escalates it", async () => {
    const { store, down } = switchableStore();
    const rahnama = await testRahnama({ store });
    try {
      const { bot, services } = rahnama;
      const input = message(crisisMessage);
      const apology = services.texts.get("common", "error", "eng").text;
      down(true);
      const first = await failure(bot.receive(input, { redelivers: true }));
      expect(first.code).toBe("RAHNAMA_ERR_STORE_UNAVAILABLE");
      // The apology of a failed cry for help carries the numbers to call, which need no store.
      expect(first.replies).toHaveLength(1);
      expect(stripDirectionMarks(first.replies[0]?.text ?? "")).toMatch(
        new RegExp(`^${apology.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n\\n.*\\n☎ `, "su"),
      );
      expect((await failure(bot.receive(input, { redelivers: true }))).replies).toEqual([]);
      expect((await services.metrics.safetyUnstored.get()).values[0]?.value).toBe(2);
      expect(bot.unstoredEscalations.waiting).toBe(2);
      expect(await bot.unstoredEscalations.storeTakesWrites(store)).toBe(false);

      down(false);
      const replies = await bot.receive(input, { redelivers: true });
      expect(replies[0]?.meta.safety).toBe(true);
      expect(bot.unstoredEscalations.waiting).toBe(0);
      const key = conversationKey(input.address);
      expect((await services.desk.queue(new Date())).filter((entry) => entry.conversationKey === key)).toMatchObject([
        { reason: "safety", priority: "high" },
      ]);
      expect(await bot.receive(input, { redelivers: true })).toEqual([]);
    } finally {
      await rahnama.close();
    }
  });

  it("ends readiness's wait once the store takes a write again, even if the message never comes back", async () => {
    const { store, down } = switchableStore();
    const rahnama = await testRahnama({ store });
    try {
      down(true);
      await failure(rahnama.bot.receive(message(crisisMessage), { redelivers: true }));
      expect(await rahnama.bot.unstoredEscalations.storeTakesWrites(store)).toBe(false);
      down(false);
      expect(await rahnama.bot.unstoredEscalations.storeTakesWrites(store)).toBe(true);
      expect(rahnama.bot.unstoredEscalations.waiting).toBe(0);
    } finally {
      await rahnama.close();
    }
  });

  it("does not count an ordinary message as an unstored escalation", async () => {
    const { store, down } = switchableStore();
    const rahnama = await testRahnama({ store });
    try {
      down(true);
      await failure(rahnama.bot.receive(message("hello"), { redelivers: true }));
      expect((await rahnama.services.metrics.safetyUnstored.get()).values[0]?.value ?? 0).toBe(0);
      expect(rahnama.bot.unstoredEscalations.waiting).toBe(0);
    } finally {
      await rahnama.close();
    }
  });

  it("releases its claim on the message, so that the redelivery is answered, not dropped as a duplicate", async () => {
    const rahnama = await testRahnama();
    try {
      let failures = 1;
      const failsOnce: Stage<TurnContext> = {
        name: "fails-once",
        description: "fails the first time",
        async run(ctx, next) {
          if (failures-- > 0) throw new Error("store went away");
          await next();
        },
      };
      const bot = new Bot(rahnama.services, [...defaultStages.slice(0, -1), failsOnce, route]);
      const input = message("hello");
      await failure(bot.receive(input, { redelivers: true }));
      const answered = await bot.receive(input, { redelivers: true });
      expect(answered[0]?.meta.intent).toBe("greeting");
      expect(await bot.receive(input, { redelivers: true })).toEqual([]);
    } finally {
      await rahnama.close();
    }
  });

  it("refuses a delivery while another holds the message, without counting it as lost", async () => {
    const store = new MemoryStore();
    const rahnama = await testRahnama({ store });
    try {
      const input = message(crisisMessage);
      await store.set(`seen:${conversationKey(input.address)}:${input.id}`, "claimed", { ttlSeconds: 60 });
      const refused = await failure(rahnama.bot.receive(input, { redelivers: true }));
      expect(refused.code).toBe("RAHNAMA_ERR_TURN_IN_PROGRESS");
      expect(rahnama.bot.unstoredEscalations.waiting).toBe(0);
    } finally {
      await rahnama.close();
    }
  });

  it("saves nothing when it ends after the bot stopped waiting, and the redelivery is answered", async () => {
    const rahnama = await testRahnama({ env: { TURN_TIMEOUT_MS: "200" } });
    try {
      let slow = true;
      const slowOnce: Stage<TurnContext> = {
        name: "slow-once",
        description: "takes too long the first time",
        async run(ctx, next) {
          if (slow) {
            slow = false;
            await new Promise((resolve) => setTimeout(resolve, 400));
          }
          await next();
        },
      };
      const bot = new Bot(rahnama.services, [...defaultStages.slice(0, -1), slowOnce, route]);
      const input = message("hello");
      expect((await failure(bot.receive(input, { redelivers: true }))).code).toBe("RAHNAMA_ERR_TURN_TIMEOUT");
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await rahnama.services.conversations.get(conversationKey(input.address))).toBeNull();
      const answered = await bot.receive(input, { redelivers: true });
      expect(answered[0]?.meta.intent).toBe("greeting");
    } finally {
      await rahnama.close();
    }
  });
});
