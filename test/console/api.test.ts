import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import { auditKey } from "../../src/console/routes.js";
import type { RunningApp } from "../../src/run.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { startTestApp } from "../helpers/app.js";
import { FakeTelegram, fakeToken, textUpdate } from "../channels/telegram/fake-telegram.js";

const password = "correct horse battery staple";

describe("counsellor console API", { timeout: 90_000 }, () => {
  const store = new MemoryStore();
  let telegram: FakeTelegram;
  let running: RunningApp;

  const api = (path: string, init: RequestInit = {}) => fetch(`${running.url}/console/api${path}`, init);

  async function login(id: string): Promise<{ cookie: string; csrf: string }> {
    const response = await api("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id, password }),
    });
    expect(response.status).toBe(200);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    const { csrf } = (await response.json()) as { csrf: string };
    return { cookie, csrf };
  }

  const post = (path: string, session: { cookie: string; csrf?: string }, body: unknown = {}) =>
    api(path, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: session.cookie,
        ...(session.csrf ? { "x-csrf-token": session.csrf } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    const accounts = new AccountRepository(store);
    await accounts.add({ id: "amina", name: "Amina", role: "counsellor", countries: ["BD"] }, password);
    await accounts.add({ id: "farid", name: "Farid", role: "counsellor", countries: ["AF"] }, password);
    await accounts.add({ id: "sara", name: "Sara", role: "supervisor", countries: ["BD"] }, password);
    await accounts.add({ id: "bilal", name: "Bilal", role: "counsellor", countries: ["PK"] }, password);
    running = await startTestApp({ env: { TELEGRAM_BOT_TOKEN: fakeToken, TELEGRAM_API_ROOT: telegram.url }, store });
    await running.relay;
  });
  afterAll(async () => {
    await running.close();
    await telegram.close();
  });

  it("refuses every call without a session, and a wrong password", async () => {
    expect((await api("/queue")).status).toBe(401);
    expect((await post("/conversations/telegram:1/claim", { cookie: "rahnama_console=forged" })).status).toBe(401);
    const wrong = await api("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "amina", password: "not the password" }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("lists the questions the leaflets could not answer, counted, to a supervisor only", async () => {
    const rahnama = await running.ready;
    await rahnama.bot.receive({
      id: "gap-1",
      address: { channel: "webchat", user: "gap-user", conversation: "gap-conversation" },
      text: "what is the riyal to taka rate today, my name is Karim",
      receivedAt: new Date(),
    });
    const counsellor = await login("amina");
    expect((await api("/knowledge-gaps", { headers: { cookie: counsellor.cookie } })).status).toBe(403);
    const supervisor = await login("sara");
    const response = await api("/knowledge-gaps?days=7", { headers: { cookie: supervisor.cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; counts: { key: string; count: number }[] };
    expect(body.total).toBeGreaterThan(0);
    expect(body.counts.some((entry) => entry.key.startsWith("exchange-rate · eng"))).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/Karim|taka rate/);
    expect((await api("/knowledge-gaps?days=9999", { headers: { cookie: supervisor.cookie } })).status).toBe(400);
  });

  it("stops guessing after five failed logins for an account", async () => {
    const attempt = () =>
      api("/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: "farid", password: "guess" }),
      });
    for (let i = 0; i < 5; i += 1) expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(429);
  });

  it("takes a Telegram user's request from the queue to a live reply, and hands back to the bot", async () => {
    const chatId = 6_200_001;
    telegram.push(textUpdate(chatId, "I am from Bangladesh, I want to talk to a counsellor"));
    const session = await login("amina");

    const key = `telegram:${String(chatId)}`;
    await vi.waitFor(
      async () => {
        const { queue } = (await (await api("/queue", { headers: { cookie: session.cookie } })).json()) as {
          queue: { conversationKey: string; channel: string; country: string | null }[];
        };
        expect(queue.find((entry) => entry.conversationKey === key)).toMatchObject({
          channel: "telegram",
          country: "BD",
        });
      },
      { timeout: 20_000 },
    );

    // Without the CSRF token a claim is refused and changes nothing.
    expect((await post(`/conversations/${key}/claim`, { cookie: session.cookie })).status).toBe(403);
    expect((await post(`/conversations/${key}/claim`, session)).status).toBe(200);
    // A second claim is refused with a reason, never silently.
    const again = await post(`/conversations/${key}/claim`, session);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "RAHNAMA_ERR_HANDOFF_CONFLICT" } });

    expect(
      (await post(`/conversations/${key}/reply`, session, { text: "Salam, I am Amina from the MRC." })).status,
    ).toBe(200);
    await telegram.waitFor(() => telegram.sentTo(chatId).find((m) => m.text.includes("I am Amina from the MRC")));

    telegram.push(textUpdate(chatId, "<script>alert(1)</script> thank you"));
    await vi.waitFor(
      async () => {
        const view = (await (await api(`/conversations/${key}`, { headers: { cookie: session.cookie } })).json()) as {
          transcript: { from: string; text: string }[];
        };
        // The console gets the words exactly as typed (as data, for the page to show as text).
        expect(view.transcript.at(-1)).toMatchObject({ from: "user", text: "<script>alert(1)</script> thank you" });
      },
      { timeout: 20_000 },
    );
    // The person's last words have no answer yet: the console flags the held case, until the reply.
    const heldEntry = async () =>
      (
        (await (await api("/queue", { headers: { cookie: session.cookie } })).json()) as {
          held: { conversationKey: string; unansweredSince: string | null }[];
        }
      ).held.find((entry) => entry.conversationKey === key);
    expect((await heldEntry())?.unansweredSince).toEqual(expect.any(String));
    expect((await post(`/conversations/${key}/reply`, session, { text: "You are welcome." })).status).toBe(200);
    expect((await heldEntry())?.unansweredSince).toBeNull();
    expect((await post(`/conversations/${key}/notes`, session, { text: "Needs a follow-up call" })).status).toBe(200);
    expect((await post(`/conversations/${key}/resolve`, session, { outcome: "information-given" })).status).toBe(200);
    await telegram.waitFor(() =>
      telegram.sentTo(chatId).find((m) => (m.keyboard ?? []).flat().some((b) => b.text === "5")),
    );

    // The person's rating is kept as feedback on the counsellor, not on the bot.
    const before = telegram.sentTo(chatId).length;
    telegram.push(textUpdate(chatId, "4"));
    await telegram.waitFor(() => telegram.sentTo(chatId).length > before);
    telegram.push(textUpdate(chatId, "Amina explained everything"));
    await vi.waitFor(
      async () => {
        const feedback = (await store.range(`feedback:${key}`, 0, -1)).map((line) => JSON.parse(line) as unknown);
        expect(feedback).toMatchObject([{ rating: 4, about: "counsellor", comment: "Amina explained everything" }]);
      },
      { timeout: 20_000 },
    );

    const audit = (await store.range(auditKey(new Date()), 0, -1)).map(
      (line) => JSON.parse(line) as { account: string },
    );
    expect(audit.some((entry) => entry.account === "amina")).toBe(true);
  });

  it("keeps another MRC's conversations out of a counsellor's queue and view", async () => {
    const chatId = 6_200_002;
    telegram.push(textUpdate(chatId, "I am from Bangladesh, please I want to talk to a counsellor"));
    const key = `telegram:${String(chatId)}`;
    const amina = await login("amina");
    await vi.waitFor(
      async () => {
        const { queue } = (await (await api("/queue", { headers: { cookie: amina.cookie } })).json()) as {
          queue: { conversationKey: string }[];
        };
        expect(queue.some((entry) => entry.conversationKey === key)).toBe(true);
      },
      { timeout: 20_000 },
    );
    await store.delete(["console:login-failures:farid:127.0.0.1"]);
    const farid = await login("farid");
    const { queue } = (await (await api("/queue", { headers: { cookie: farid.cookie } })).json()) as {
      queue: { conversationKey: string }[];
    };
    expect(queue.some((entry) => entry.conversationKey === key)).toBe(false);
    expect((await api(`/conversations/${key}`, { headers: { cookie: farid.cookie } })).status).toBe(403);
    expect((await post(`/conversations/${key}/claim`, farid)).status).toBe(403);
  });

  it("says so, in the console and the transcript, when the person's channel refuses a reply", async () => {
    const chatId = 6_200_003;
    telegram.push(textUpdate(chatId, "I am from Bangladesh, I want to talk to a counsellor"));
    const key = `telegram:${String(chatId)}`;
    const amina = await login("amina");
    await vi.waitFor(async () => expect((await post(`/conversations/${key}/claim`, amina)).status).toBe(200), {
      timeout: 20_000,
    });
    // The person blocked the bot: Telegram answers 403 to every message.
    telegram.failSendMessage = () => ({
      status: 403,
      body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    });
    try {
      const refused = await post(`/conversations/${key}/reply`, amina, { text: "Are you there?" });
      expect(refused.status).toBe(502);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("RAHNAMA_ERR_CHANNEL_UNDELIVERED");
      expect(body.error.message).toContain("Telegram refused the message (403)");
    } finally {
      telegram.failSendMessage = () => null;
    }
    const view = (await (await api(`/conversations/${key}`, { headers: { cookie: amina.cookie } })).json()) as {
      transcript: { from: string; text: string }[];
    };
    expect(view.transcript.slice(-2)).toMatchObject([
      { from: "counsellor", text: "Are you there?" },
      { from: "system", text: expect.stringContaining("Not delivered") as unknown },
    ]);
  });

  it("lets only a supervisor transfer a conversation to another MRC's counsellor, who then sees it", async () => {
    const chatId = 6_200_004;
    telegram.push(textUpdate(chatId, "I am from Bangladesh, I want to talk to a counsellor"));
    const key = `telegram:${String(chatId)}`;
    const amina = await login("amina");
    await vi.waitFor(async () => expect((await post(`/conversations/${key}/claim`, amina)).status).toBe(200), {
      timeout: 20_000,
    });
    expect((await post(`/conversations/${key}/transfer`, amina, { to: "farid" })).status).toBe(403);
    await store.delete(["console:login-failures:farid:127.0.0.1"]);
    const farid = await login("farid");
    expect((await api(`/conversations/${key}`, { headers: { cookie: farid.cookie } })).status).toBe(403);

    const sara = await login("sara");
    const moved = await post(`/conversations/${key}/transfer`, sara, { to: "farid" });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ handoff: { status: "open", assignee: "farid" } });
    expect((await api(`/conversations/${key}`, { headers: { cookie: farid.cookie } })).status).toBe(200);
    expect((await post(`/conversations/${key}/reply`, farid, { text: "Farid from MRC Kabul here." })).status).toBe(200);
    // Amina no longer holds it: she may read it (her MRC's country) but not act.
    expect((await post(`/conversations/${key}/reply`, amina, { text: "hello" })).status).toBe(403);
  });

  it("streams events: state changes, the text of opened conversations only, and no noise from the bot's own chats", async () => {
    const amina = await login("amina");
    const response = await api("/events", { headers: { cookie: amina.cookie } });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const events: { event: string; data: Record<string, unknown> }[] = [];
    let buffer = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          end = buffer.indexOf("\n\n");
        }
      }
    })();
    const seen = (event: string, key: string) =>
      events.filter((e) => e.event === event && e.data.conversationKey === key);

    // A chat the bot handles alone: nothing is announced.
    const chatting = 6_200_005;
    telegram.push(textUpdate(chatting, "I am from Bangladesh. What documents do I need to work in Malaysia?"));
    await telegram.waitFor(() => telegram.sentTo(chatting).length > 0);
    // A request for a counsellor: the queue hears of it, without the words.
    const asking = 6_200_006;
    const key = `telegram:${String(asking)}`;
    telegram.push(textUpdate(asking, "I am from Bangladesh, I want to talk to a counsellor"));
    await vi.waitFor(() => expect(seen("handoff", key)).toMatchObject([{ data: { to: "pending" } }]), {
      timeout: 20_000,
    });
    telegram.push(textUpdate(asking, "my phone number is private please"));
    await vi.waitFor(() => expect(seen("activity", key).length).toBeGreaterThan(0), { timeout: 20_000 });
    expect(JSON.stringify(events)).not.toContain("my phone number is private");
    expect(seen("activity", `telegram:${String(chatting)}`)).toEqual([]);

    // Once the counsellor opens it (and the read is audited), new messages come whole.
    expect((await api(`/conversations/${key}`, { headers: { cookie: amina.cookie } })).status).toBe(200);
    telegram.push(textUpdate(asking, "are you there?"));
    await vi.waitFor(
      () =>
        expect(
          seen("message", key)
            .flatMap((e) => e.data.entries as { text: string }[])
            .map((e) => e.text),
        ).toContain("are you there?"),
      { timeout: 20_000 },
    );
    await reader.cancel();
    await reading.catch(() => undefined);
  });

  it("lets a supervisor send a case to another country's MRC: back in the queue there, in its old place", async () => {
    const chatId = 6_200_007;
    const key = `telegram:${String(chatId)}`;
    telegram.push(textUpdate(chatId, "I am from Bangladesh, I want to talk to a counsellor"));
    const sara = await login("sara");
    await vi.waitFor(async () => expect((await post(`/conversations/${key}/claim`, sara)).status).toBe(200), {
      timeout: 20_000,
    });
    const amina = await login("amina");
    // A counsellor may not; the body is checked.
    expect((await post(`/conversations/${key}/transfer`, amina, { country: "PK" })).status).toBe(403);
    expect((await post(`/conversations/${key}/transfer`, sara, { country: "Pakistan" })).status).toBe(400);

    const moved = await post(`/conversations/${key}/transfer`, sara, { country: "PK" });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ country: "PK", handoff: { status: "pending" } });
    const queueOf = async (session: { cookie: string }) =>
      (
        (await (await api("/queue", { headers: { cookie: session.cookie } })).json()) as {
          queue: { conversationKey: string; at: string }[];
        }
      ).queue;
    expect((await queueOf(amina)).some((entry) => entry.conversationKey === key)).toBe(false);
    const bilal = await login("bilal");
    const there = (await queueOf(bilal)).find((entry) => entry.conversationKey === key);
    expect(there).toBeDefined();
    // Its place is from when the person first asked, not from the transfer.
    const history = (await (await api(`/conversations/${key}`, { headers: { cookie: bilal.cookie } })).json()) as {
      history: { from: string; to: string; at: string; transferredTo?: string }[];
    };
    expect(there?.at).toBe(history.history.find((event) => event.to === "pending")?.at);
    expect(history.history.at(-1)).toMatchObject({ from: "open", to: "pending", transferredTo: "PK" });
    expect((await post(`/conversations/${key}/claim`, bilal)).status).toBe(200);
  });

  it("erases the counsellors' notes with the rest of the conversation", async () => {
    const chatId = 6_200_008;
    const key = `telegram:${String(chatId)}`;
    telegram.push(textUpdate(chatId, "I am from Bangladesh, I want to talk to a counsellor"));
    const amina = await login("amina");
    await vi.waitFor(
      async () =>
        expect((await post(`/conversations/${key}/notes`, amina, { text: "Call on Sunday" })).status).toBe(200),
      { timeout: 20_000 },
    );
    expect(await store.length(`console:notes:${key}`)).toBe(1);
    const { services } = await running.ready;
    const conversation = await services.conversations.get(key);
    expect(conversation).not.toBeNull();
    if (conversation) await services.erasure.erase(conversation);
    expect((await store.keysWithPrefix("")).filter((stored) => stored.includes(key))).toEqual([]);
  });
});
