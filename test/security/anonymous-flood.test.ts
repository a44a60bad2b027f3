import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { AccountRepository } from "../../src/console/accounts.js";
import type { RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { startTestApp, type DirectLineConversation } from "../helpers/app.js";
import { consoleClient } from "../helpers/console-client.js";
import { silentLog } from "../helpers/rahnama.js";

const redisUrl = inject("redisUrl");

const cryForHelp = "my employer took my passport and does not let me leave";

/** The app on the tests' Redis behind a proxy on 127.0.0.1, so each test picks its clients' addresses. */
async function startBehindProxy(env: Record<string, string>): Promise<{ running: RunningApp; store: Store }> {
  const prefix = `test:${randomUUID()}:`;
  const store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
  const running = await startTestApp({
    env: { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix, TRUST_PROXY: "127.0.0.1", ...env },
    store,
  });
  return { running, store };
}

/** A web chat client at `address` (as the proxy tells it): starts conversations and writes in them. */
function clientAt(running: RunningApp, address: string) {
  const headers = { "x-forwarded-for": address };
  const startRaw = () => fetch(`${running.url}/v3/directline/conversations`, { method: "POST", headers });
  return {
    startRaw,
    async start(): Promise<DirectLineConversation> {
      const response = await startRaw();
      expect(response.status).toBe(201);
      return (await response.json()) as DirectLineConversation;
    },
    post: (conversation: DirectLineConversation, activity: Record<string, unknown>) =>
      fetch(`${running.url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
        method: "POST",
        headers: { ...headers, authorization: `Bearer ${conversation.token}`, "content-type": "application/json" },
        body: JSON.stringify(activity),
      }),
  };
}

function say(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "message", from: { id: "person" }, text, ...extra };
}

/** Opens a stream and resolves once it is open; `closed` resolves with the close code the server sent. */
function openStream(url: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const closed = new Promise<number>((done) => socket.once("close", (code) => done(code)));
    socket.once("open", () => resolve({ socket, closed }));
    socket.once("error", reject);
  });
}

/**
 * Issue 13, item 11: an anonymous web chat client must not be able to fill the store with what the bot
 * never reads, hold thousands of streams, start conversations without end, or bury real cries for help
 * in the counsellors' queue under a burst of identical ones.
 */
describe.runIf(redisUrl)("anonymous clients cannot fill the store or the queue", { timeout: 240_000 }, () => {
  describe("web chat limits", () => {
    const newConversationsPerHour = 5;
    let running: RunningApp;
    let store: Store;

    beforeAll(async () => {
      ({ running, store } = await startBehindProxy({
        WEBCHAT_NEW_CONVERSATIONS_PER_HOUR: String(newConversationsPerHour),
        RATE_LIMIT_PER_MINUTE: "10000",
      }));
    });
    afterAll(async () => {
      await running?.close();
      await store?.close();
    });

    it("keeps only the channelData fields the bot and the clients read from a message carrying 60 KB of it", async () => {
      const client = clientAt(running, "198.51.100.20");
      const conversation = await client.start();
      const response = await client.post(
        conversation,
        say("what documents do I need to work abroad?", {
          channelData: {
            clientActivityID: "c-1",
            rahnama: { country: "BD", padding: "y".repeat(1_000) },
            padding: "x".repeat(60_000),
          },
          value: { action: "intent:greeting", padding: "z".repeat(1_000) },
        }),
      );
      expect(response.status).toBe(200);

      const stored = await store.range(`dl:activities:${conversation.conversationId}`, 0, -1);
      const mine = stored.find((line) => (JSON.parse(line) as { from: { role: string } }).from.role === "user");
      expect(mine).toBeDefined();
      const activity = JSON.parse(mine ?? "{}") as { channelData: unknown; value: unknown };
      expect(activity.channelData).toEqual({ clientActivityID: "c-1", rahnama: { country: "BD" } });
      expect(activity.value).toEqual({ action: "intent:greeting" });
      expect((mine ?? "").length).toBeLessThan(1_000);
      const everything = (await store.range(`dl:activities:${conversation.conversationId}`, 0, -1)).join("");
      expect(everything).not.toContain("x".repeat(100));
    });

    it("keeps three streams of a conversation open: each newer one closes the oldest with 4429", async () => {
      const conversation = await clientAt(running, "198.51.100.21").start();
      const streams: Awaited<ReturnType<typeof openStream>>[] = [];
      for (let i = 0; i < 10; i += 1) streams.push(await openStream(conversation.streamUrl));
      const replaced = await Promise.all(streams.slice(0, 7).map((stream) => stream.closed));
      expect(replaced).toEqual(Array.from({ length: 7 }, () => 4429));
      expect(streams.slice(7).map((stream) => stream.socket.readyState)).toEqual([
        WebSocket.OPEN,
        WebSocket.OPEN,
        WebSocket.OPEN,
      ]);
      for (const stream of streams.slice(7)) stream.socket.close();
    });

    it("refuses new conversations past the hourly allowance of one address with 429, and lets other addresses in", async () => {
      const busy = clientAt(running, "192.0.2.10");
      const first = await busy.start();
      for (let i = 1; i < newConversationsPerHour; i += 1) await busy.start();

      const refused = await busy.startRaw();
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        "RAHNAMA_ERR_CONVERSATIONS_LIMITED",
      );
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const generated = await fetch(`${running.url}/v3/directline/tokens/generate`, {
        method: "POST",
        headers: { "x-forwarded-for": "192.0.2.10" },
      });
      expect(generated.status).toBe(429);

      // Conversations already started go on, and a neighbour's address is not held to the same count.
      expect((await busy.post(first, say("hello"))).status).toBe(200);
      expect((await clientAt(running, "192.0.2.11").startRaw()).status).toBe(201);
    });
  });

  describe("a burst of identical safety messages from one address", () => {
    const floodSize = 200;
    let running: RunningApp;
    let store: Store;
    const console_ = consoleClient(() => running.url);

    beforeAll(async () => {
      ({ running, store } = await startBehindProxy({
        WEBCHAT_NEW_CONVERSATIONS_PER_HOUR: "100000",
        RATE_LIMIT_PER_MINUTE: "100000",
      }));
      await new AccountRepository(store).add(
        { id: "sara", name: "Sara", role: "supervisor", countries: [] },
        "correct horse battery staple",
      );
    });
    afterAll(async () => {
      await running?.close();
      await store?.close();
    });

    it("becomes one case marked as a possible flood, behind real cases, and none of it is lost", async () => {
      const flooder = clientAt(running, "203.0.113.66");
      const floodKeys: string[] = [];
      const sendOne = async () => {
        const conversation = await flooder.start();
        floodKeys.push(`webchat:${conversation.conversationId}`);
        expect((await flooder.post(conversation, say(cryForHelp))).status).toBe(200);
      };
      // Eight at a time: a script, not a crowd of browsers.
      const queue = Array.from({ length: floodSize }, () => sendOne);
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let job = queue.pop(); job; job = queue.pop()) await job();
        }),
      );

      // After the burst: the same words from someone else, and other words from the flooding address.
      const someoneElse = clientAt(running, "198.51.100.7");
      const real = await someoneElse.start();
      expect((await someoneElse.post(real, say(cryForHelp))).status).toBe(200);
      const other = await flooder.start();
      expect(
        (await flooder.post(other, say("my boss beats me every day and locked me in the room, help me"))).status,
      ).toBe(200);
      const realKey = `webchat:${real.conversationId}`;
      const otherKey = `webchat:${other.conversationId}`;

      const sara = await console_.login("sara");
      const response = await console_.get("/queue", sara);
      expect(response.status).toBe(200);
      const { queue: lines } = (await response.json()) as {
        queue: {
          conversationKey: string;
          position: number;
          safety: boolean;
          floodSuspect: boolean;
          floodCount: number;
          floodKeys: string[];
        }[];
      };
      // Three lines: the two real cases first, in the order they came, then the flood as one line.
      expect(lines.map((line) => line.conversationKey).slice(0, 2)).toEqual([realKey, otherKey]);
      expect(lines.slice(0, 2).map((line) => [line.floodSuspect, line.floodCount])).toEqual([
        [false, 1],
        [false, 1],
      ]);
      expect(lines).toHaveLength(3);
      const flood = lines[2];
      expect(flood).toMatchObject({ safety: true, floodSuspect: true, floodCount: floodSize });
      expect(new Set([flood?.conversationKey, ...(flood?.floodKeys ?? [])])).toEqual(new Set(floodKeys));
      expect(lines[0]?.position).toBe(1);

      // Nothing was dropped: every case is still waiting, and every message is in its transcript.
      const rahnama = await running.ready;
      const waiting = await rahnama.services.desk.queue(new Date());
      expect(waiting).toHaveLength(floodSize + 2);
      expect(waiting[0]?.conversationKey).toBe(realKey);
      for (const key of floodKeys) {
        const transcript = await rahnama.services.transcripts.read(key);
        expect(transcript.some((entry) => entry.from === "user" && entry.text === cryForHelp)).toBe(true);
        const conversation = await rahnama.services.conversations.get(key);
        expect(conversation?.handoff).toMatchObject({ status: "pending", reason: "safety", priority: "high" });
      }
    });
  });
});
