import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import type { RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { DirectLineClient, startTestApp, type DirectLineConversation } from "../helpers/app.js";
import { consoleClient, consolePassword, type EventStream } from "../helpers/console-client.js";
import { silentLog } from "../helpers/rahnama.js";

const redisUrl = inject("redisUrl");

/**
 * Issue 13, item 1: the live feed must stop carrying a conversation's words to a session that may no
 * longer read them, and must not outlive its session.
 */
describe.runIf(redisUrl)("the console's live feed, once the right to read ends", { timeout: 90_000 }, () => {
  const prefix = `test:${randomUUID()}:`;
  let store: Store;
  let running: RunningApp;
  let directLine: DirectLineClient;
  const console_ = consoleClient(() => running.url);

  /** A web chat person from Bangladesh who asked for a counsellor; says `text` and waits for the bot. */
  async function person(): Promise<{ key: string; say: (text: string) => Promise<void> }> {
    const conversation: DirectLineConversation = await directLine.start();
    const say = async (text: string) => {
      const response = await directLine.post(conversation, {
        type: "message",
        from: { id: "person" },
        text,
        channelData: { rahnama: { country: "BD" } },
      });
      expect(response.status).toBe(200);
    };
    await say("I am from Bangladesh, I want to talk to a counsellor");
    return { key: `webchat:${conversation.conversationId}`, say };
  }

  beforeAll(async () => {
    store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    const accounts = new AccountRepository(store);
    await accounts.add({ id: "amina", name: "Amina", role: "counsellor", countries: ["BD"] }, consolePassword);
    await accounts.add({ id: "sara", name: "Sara", role: "supervisor", countries: ["BD"] }, consolePassword);
    running = await startTestApp({ env: { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix }, store });
    directLine = new DirectLineClient(running.url);
  });
  afterAll(async () => {
    await running?.close();
    await store?.close();
  });

  it("stops sending a conversation's words once a supervisor moves it to an MRC the counsellor does not serve", async () => {
    const amina = await console_.login("amina");
    const moving = await person();
    const staying = await person();
    expect((await console_.post(`/conversations/${moving.key}/claim`, amina)).status).toBe(200);
    const stream = await console_.events(amina);
    for (const { key } of [moving, staying])
      expect((await console_.get(`/conversations/${key}`, amina)).status).toBe(200);

    await moving.say("before the move");
    await vi.waitFor(() => expect(stream.texts()).toContain("before the move"), { timeout: 10_000 });

    const sara = await console_.login("sara");
    expect((await console_.post(`/conversations/${moving.key}/transfer`, sara, { country: "PK" })).status).toBe(200);
    // The API already refuses her the conversation...
    expect((await console_.get(`/conversations/${moving.key}`, amina)).status).toBe(403);
    await moving.say("words meant for the Pakistan MRC");
    // ...and the stream, which tells events in order, gets the next message of a case she still serves,
    // but nothing of the one that moved.
    await staying.say("a case that stays in Bangladesh");
    await vi.waitFor(() => expect(stream.texts()).toContain("a case that stays in Bangladesh"), { timeout: 10_000 });
    expect(JSON.stringify(stream.events)).not.toContain("words meant for the Pakistan MRC");
    expect(stream.isEnded()).toBe(false);
    await stream.cancel();
  });

  it("closes the stream within seconds of the session ending, even when nothing else happens, and sends nothing after", async () => {
    const talking = await person();
    const endsSoon = (stream: EventStream) =>
      Promise.race([
        stream.ended,
        new Promise((_, reject) => setTimeout(() => reject(new Error("a stream outlived its session")), 10_000)),
      ]);

    // Logged out in another tab, with no event to carry: heartbeats must not keep the stream open.
    const loggedOut = await console_.login("amina");
    expect((await console_.get(`/conversations/${talking.key}`, loggedOut)).status).toBe(200);
    const first = await console_.events(loggedOut);
    expect((await console_.post("/logout", loggedOut)).status).toBe(200);
    await endsSoon(first);

    // Deleted from the store (what an expiry does) just before the person writes: not a word of it.
    const expired = await console_.login("amina");
    expect((await console_.get(`/conversations/${talking.key}`, expired)).status).toBe(200);
    const second = await console_.events(expired);
    const sessionKey = `console:session:${expired.cookie.split("=")[1] ?? ""}`;
    expect(await store.delete([sessionKey])).toBe(1);
    await talking.say("said after the session ended");
    await endsSoon(second);
    expect([...first.texts(), ...second.texts()]).toEqual([]);
    expect((await console_.get("/events", expired)).status).toBe(401);
  });
});
