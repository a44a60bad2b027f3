import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConversationRepository } from "../../src/core/conversation.js";
import type { Address } from "../../src/core/message.js";
import { isRahnamaError } from "../../src/errors.js";
import { Desks } from "../../src/handoff/desks.js";
import { CounsellorDesk, type Counsellor } from "../../src/handoff/counsellor-desk.js";
import { Handoff } from "../../src/handoff/handoff.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { silentLog } from "../helpers/rahnama.js";

const amina: Counsellor = { id: "amina", role: "counsellor" };
const bilal: Counsellor = { id: "bilal", role: "counsellor" };
const supervisor: Counsellor = { id: "sara", role: "supervisor" };

/** The handoff state machine and queue, the same against memory and against real Redis. */
function deskContract(name: string, open: () => Promise<Store>) {
  describe(`counsellor desk: ${name}`, () => {
    let store: Store;
    let conversations: ConversationRepository;
    let handoff: Handoff;
    let desk: CounsellorDesk;
    beforeAll(async () => {
      store = await open();
      conversations = new ConversationRepository(store, 3600, () => undefined);
      handoff = new Handoff(store, 3600);
      desk = new CounsellorDesk(conversations, handoff, Desks.alwaysOpen());
    });
    afterAll(async () => {
      await store.close();
    });

    /** A person who asked for a counsellor `minutesAgo` minutes ago, as the bot records it. */
    async function waiting(reason: "user-request" | "safety", minutesAgo: number) {
      const address: Address = { channel: "telegram", user: randomUUID(), conversation: randomUUID() };
      const conversation = await conversations.load(address, new Date());
      const at = new Date(Date.now() - minutesAgo * 60_000);
      await handoff.request(conversation, reason, reason === "safety" ? "high" : "normal", at);
      await conversations.save(conversation);
      return conversation.key;
    }

    const refusal = async (action: Promise<unknown>) => {
      try {
        await action;
      } catch (error) {
        if (isRahnamaError(error)) return error.code;
        throw error;
      }
      return "done";
    };

    it("queues safety cases first, then whoever has waited longest, with their place and wait", async () => {
      const early = await waiting("user-request", 30);
      const late = await waiting("user-request", 5);
      const danger = await waiting("safety", 1);
      const queue = (await desk.queue(new Date())).filter((entry) =>
        [early, late, danger].includes(entry.conversationKey),
      );
      expect(queue.map((entry) => entry.conversationKey)).toEqual([danger, early, late]);
      expect(queue[1]?.waitingSeconds).toBeGreaterThanOrEqual(29 * 60);
      const positions = queue.map((entry) => entry.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });

    it("lets exactly one of two counsellors claiming at once take the conversation, and tells the other why", async () => {
      const key = await waiting("user-request", 2);
      const results = await Promise.all([
        refusal(desk.claim(key, amina, new Date())),
        refusal(desk.claim(key, bilal, new Date())),
      ]);
      expect(results.sort()).toEqual(["RAHNAMA_ERR_HANDOFF_CONFLICT", "done"]);
      const stored = await conversations.get(key);
      expect(stored?.handoff.status).toBe("open");
      expect(["amina", "bilal"]).toContain(stored?.handoff.assignee);
      expect((await desk.queue(new Date())).some((entry) => entry.conversationKey === key)).toBe(false);
    });

    it("keeps a resolve made while the user was typing: the bot's turn saving after it does not undo it", async () => {
      const key = await waiting("user-request", 1);
      await desk.claim(key, amina, new Date());
      // A turn of the bot loads the conversation (the user is typing)...
      const stored = await conversations.get(key);
      const turn = await conversations.load(
        stored?.address ?? { channel: "telegram", user: "-", conversation: "-" },
        new Date(),
      );
      // ...the counsellor resolves meanwhile...
      await desk.resolve(key, amina, "information-given", new Date());
      // ...and the turn saves what it learnt.
      turn.turns += 1;
      await conversations.save(turn);
      const after = await conversations.get(key);
      expect(after?.handoff.status).toBe("resolved");
      expect(after?.turns).toBe(turn.turns);
      expect(turn.handoff.status).toBe("resolved");
    });

    it("keeps a transfer made during a reply, and then only the new holder (or a supervisor) may act", async () => {
      const key = await waiting("user-request", 1);
      await desk.claim(key, amina, new Date());
      const stored = await conversations.get(key);
      const turn = await conversations.load(
        stored?.address ?? { channel: "telegram", user: "-", conversation: "-" },
        new Date(),
      );
      await desk.transfer(key, amina, "bilal", new Date());
      await conversations.save(turn);
      expect((await conversations.get(key))?.handoff.assignee).toBe("bilal");

      expect(await refusal(desk.resolve(key, amina, "information-given", new Date()))).toBe(
        "RAHNAMA_ERR_HANDOFF_FORBIDDEN",
      );
      expect(await refusal(desk.release(key, supervisor, new Date()))).toBe("done");
      expect((await desk.queue(new Date())).some((entry) => entry.conversationKey === key)).toBe(true);
    });

    it("refuses to resolve a conversation nobody holds, and to claim one that is not waiting", async () => {
      const key = await waiting("user-request", 1);
      expect(await refusal(desk.resolve(key, supervisor, "information-given", new Date()))).toBe(
        "RAHNAMA_ERR_HANDOFF_CONFLICT",
      );
      await desk.claim(key, amina, new Date());
      await desk.resolve(key, amina, "referred-to-service", new Date());
      expect(await refusal(desk.claim(key, bilal, new Date()))).toBe("RAHNAMA_ERR_HANDOFF_CONFLICT");
      expect(await refusal(desk.claim("telegram:no-such-conversation", bilal, new Date()))).toBe(
        "RAHNAMA_ERR_NOT_FOUND",
      );
    });

    it("records every change with who and when, and the outcome of a resolve", async () => {
      const key = await waiting("user-request", 1);
      await desk.claim(key, amina, new Date());
      await desk.transfer(key, amina, "bilal", new Date());
      await desk.resolve(key, bilal, "follow-up-needed", new Date());
      const history = await handoff.history(key);
      expect(history.map((event) => [event.from, event.to, event.by])).toEqual([
        ["bot", "pending", "bot"],
        ["pending", "open", "amina"],
        ["open", "open", "amina"],
        ["open", "resolved", "bilal"],
      ]);
      expect(history[2]?.assignee).toBe("bilal");
      expect(history[3]?.outcome).toBe("follow-up-needed");
      for (const event of history) expect(Date.parse(event.at)).not.toBeNaN();
    });

    it("moves a routine request ahead when it turns into a safety case", async () => {
      const routine = await waiting("user-request", 20);
      const other = await waiting("user-request", 25);
      const conversation = await conversations.get(routine);
      if (!conversation) throw new Error("missing");
      await handoff.request(conversation, "safety", "high", new Date());
      const queue = (await desk.queue(new Date())).filter((entry) => [routine, other].includes(entry.conversationKey));
      expect(queue.map((entry) => entry.conversationKey)).toEqual([routine, other]);
    });
  });
}

deskContract("memory", async () => new MemoryStore());

const redisUrl = inject("redisUrl");
describe.runIf(redisUrl)("with Redis", () => {
  deskContract("redis", async () => RedisStore.connect(redisUrl ?? "", `test:${randomUUID()}:`, silentLog));
});
