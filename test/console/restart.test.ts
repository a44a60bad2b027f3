import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { FakeTelegram, fakeToken, textUpdate } from "../channels/telegram/fake-telegram.js";
import { killBotProcess, startBotProcess, type BotProcess } from "../helpers/bot-process.js";
import { silentLog } from "../helpers/rahnama.js";

const redisUrl = inject("redisUrl");
const password = "correct horse battery staple";

/**
 * Durability, as an MRC would meet it: the bot process is killed (no clean shutdown) while two people
 * wait and a counsellor talks with a third; a message the third sends while it is down reaches the
 * console once it is back. Queue, transcripts and notes live in Redis; the console session too.
 */
describe.runIf(redisUrl)("the queue and the console after the bot process is killed", { timeout: 240_000 }, () => {
  const prefix = `test:${randomUUID()}:`;
  let telegram: FakeTelegram;
  let store: Store;
  let bot: BotProcess | null = null;

  function startBot(): Promise<BotProcess> {
    return startBotProcess({
      REDIS_URL: redisUrl ?? "",
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: inject("indexedDataDir"),
      REINDEX_ON_START: "never",
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: telegram.url,
      DIRECTLINE_TOKEN_SECRET: "test-secret-test-secret-test-secret-1234",
    });
  }

  beforeAll(async () => {
    store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    await new AccountRepository(store).add(
      { id: "amina", name: "Amina", role: "counsellor", countries: ["BD"] },
      password,
    );
    telegram = await new FakeTelegram().start();
  }, 60_000);
  afterAll(async () => {
    if (bot) await killBotProcess(bot);
    await telegram?.close();
    await store?.close();
  });

  it("keeps both queued conversations and the open one, with transcripts and notes, and delivers what came meanwhile", async () => {
    bot = await startBot();
    const api = (path: string, init: RequestInit = {}) => fetch(`${(bot as BotProcess).url}/console/api${path}`, init);
    const [held, first, second] = [9_100_001, 9_100_002, 9_100_003];
    for (const chatId of [held, first, second]) {
      telegram.push(textUpdate(chatId, "I am from Bangladesh, I want to talk to a counsellor"));
      await telegram.waitFor(() => telegram.sentTo(chatId).find((m) => m.text.includes("in the queue")));
    }
    const login = await api("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "amina", password }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { csrf } = (await login.json()) as { csrf: string };
    const post = (path: string, body: unknown) =>
      api(path, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
        body: JSON.stringify(body),
      });
    const heldKey = `telegram:${String(held)}`;
    expect((await post(`/conversations/${heldKey}/claim`, {})).status).toBe(200);
    expect((await post(`/conversations/${heldKey}/reply`, { text: "Amina here. Tell me what happened." })).status).toBe(
      200,
    );
    expect((await post(`/conversations/${heldKey}/notes`, { text: "Call back on Sunday" })).status).toBe(200);
    await telegram.waitFor(() => telegram.sentTo(held).find((m) => m.text.includes("Tell me what happened")));

    await killBotProcess(bot);
    bot = null;
    // The person answers while the bot is down: Telegram keeps the update until the bot asks again.
    telegram.push(textUpdate(held, "My agent took my passport at the airport"));
    bot = await startBot();

    // The same session cookie still works: sessions are in Redis, not in the process.
    const queue = (await (await api("/queue", { headers: { cookie } })).json()) as {
      queue: { conversationKey: string; position: number }[];
      held: { conversationKey: string; status: string; assignee: string }[];
    };
    expect(queue.queue.map((entry) => entry.conversationKey)).toEqual([
      `telegram:${String(first)}`,
      `telegram:${String(second)}`,
    ]);
    expect(queue.held).toEqual([
      expect.objectContaining({ conversationKey: heldKey, status: "open", assignee: "amina" }),
    ]);

    await vi.waitFor(
      async () => {
        const view = (await (await api(`/conversations/${heldKey}`, { headers: { cookie } })).json()) as {
          conversation: { handoff: { status: string } };
          transcript: { from: string; text: string }[];
          notes: { text: string }[];
        };
        expect(view.conversation.handoff.status).toBe("open");
        expect(view.notes.map((note) => note.text)).toEqual(["Call back on Sunday"]);
        const lines = view.transcript.map((entry) => `${entry.from}: ${entry.text}`);
        expect(lines).toContain("counsellor: Amina here. Tell me what happened.");
        expect(lines.at(-1)).toBe("user: My agent took my passport at the airport");
      },
      { timeout: 30_000, interval: 250 },
    );
    // While a counsellor holds it, the bot stays silent: nothing was sent to the person after the reply.
    const afterReply = telegram.sentTo(held).findIndex((m) => m.text.includes("Tell me what happened"));
    expect(telegram.sentTo(held).slice(afterReply + 1)).toEqual([]);
    for (const chatId of [first, second]) {
      const transcript = (await (
        await api(`/conversations/telegram:${String(chatId)}`, { headers: { cookie } })
      ).json()) as {
        transcript: { from: string }[];
      };
      expect(transcript.transcript.some((entry) => entry.from === "user")).toBe(true);
    }
  });
});
