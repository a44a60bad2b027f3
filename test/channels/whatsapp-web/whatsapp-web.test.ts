import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import wweb from "whatsapp-web.js";
import type { Rahnama } from "../../../src/bootstrap.js";
import type { ChannelAdapter } from "../../../src/core/channel.js";
import { conversationKey } from "../../../src/core/conversation.js";
import type { Outbound } from "../../../src/core/message.js";
import type { RunningApp } from "../../../src/run.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { OptionMemory } from "../../../channels/shared/option-memory.js";
import { adminPagePlugin } from "../../../channels/whatsapp-web/admin-page.js";
import { chromiumArgs, createWhatsAppWebClient } from "../../../channels/whatsapp-web/client.js";
import { setWhatsAppWebOverridesForTests } from "../../../channels/whatsapp-web/index.js";
import { renderReplies, whatsAppTextLimit } from "../../../channels/whatsapp-web/outbound.js";
import { startTestApp } from "../../helpers/app.js";
import { testConfig } from "../../helpers/rahnama.js";
import { outbound } from "../../helpers/outbound.js";

// The library's own Message class (exported at run time, only an interface in its typings), so that
// its parsing of WhatsApp Web's raw message model runs in these tests.
const { Message } = wweb as unknown as {
  Message: new (client: wweb.Client, data: Record<string, unknown>) => wweb.Message;
};

const adminToken = "admin-token-admin-token-123456";
const env = { WHATSAPP_WEB_ENABLED: "true", ADMIN_TOKEN: adminToken };
const ownNumber = "8801900000000@c.us";

interface Sent {
  readonly chatId: string;
  readonly text: string;
}

/**
 * Real whatsapp-web.js clients, built by the channel's own builder (system Chromium, LocalAuth under
 * DATA_DIR), with the three methods that would drive the browser replaced: no browser, no WhatsApp.
 */
const clients: wweb.Client[] = [];
const sent: Sent[] = [];
function offlineClient(): wweb.Client {
  const client = createWhatsAppWebClient(testConfig(env));
  if (!(client instanceof wweb.Client)) throw new Error("the channel did not build a whatsapp-web.js Client");
  client.initialize = vi.fn(() => Promise.resolve());
  client.destroy = vi.fn(() => Promise.resolve());
  client.sendMessage = vi.fn((chatId: string, content: unknown) => {
    sent.push({ chatId, text: String(content) });
    return Promise.resolve({} as wweb.Message);
  });
  clients.push(client);
  return client;
}

let counter = 0;
/** WhatsApp Web's raw message model, as the library reads it from the page. */
function rawMessage(from: string, fields: Record<string, unknown> = {}, fromMe = false): Record<string, unknown> {
  counter += 1;
  const id = `3EB0${counter.toString(16).toUpperCase().padStart(16, "0")}`;
  return {
    id: { fromMe, remote: from, id, _serialized: `${String(fromMe)}_${from}_${id}` },
    from: fromMe ? ownNumber : from,
    to: fromMe ? from : ownNumber,
    t: Math.floor(Date.now() / 1000),
    type: "chat",
    body: "",
    ...fields,
  };
}

function receive(client: wweb.Client, data: Record<string, unknown>): wweb.Message {
  const message = new Message(client, data);
  client.emit("message", message);
  return message;
}

const sentTo = (chatId: string) => sent.filter((s) => s.chatId === chatId).map((s) => s.text);

/** Waits until the texts sent to a chat satisfy `done`, and returns them. No timing is asserted. */
async function textsUntil(chatId: string, done: (texts: string[]) => boolean): Promise<string[]> {
  await vi.waitFor(
    () => {
      if (!done(sentTo(chatId))) throw new Error(`still waiting for replies in ${chatId}`);
    },
    { timeout: 20_000, interval: 10 },
  );
  return sentTo(chatId);
}

describe("WhatsApp Web channel (whatsapp-web.js Client events)", () => {
  let running: RunningApp;
  let rahnama: Rahnama;
  let adapter: ChannelAdapter;
  const store = new MemoryStore();
  const terminal: string[] = [];
  const client = () => {
    const latest = clients.at(-1);
    if (!latest) throw new Error("no client was created");
    return latest;
  };
  const adminPage = (authorization?: string) =>
    fetch(`${running.url}/admin/whatsapp-web`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    setWhatsAppWebOverridesForTests({
      createClient: offlineClient,
      backoff: { initialMs: 5, maxMs: 20 },
      pacing: { perKeyIntervalMs: 1, globalPerSecond: 1_000 },
      writeTerminal: (text) => terminal.push(text),
    });
    running = await startTestApp({ env, store });
    rahnama = await running.ready;
    const found = running.channels.find((channel) => channel.name === "whatsapp-web");
    if (!found) throw new Error("the WhatsApp Web channel was not configured");
    adapter = found;
  });
  afterAll(async () => {
    setWhatsAppWebOverridesForTests(undefined);
    await running.close();
  });

  it("starts a real whatsapp-web.js Client on the system Chromium, its session kept by LocalAuth in DATA_DIR", () => {
    expect(clients).toHaveLength(1);
    expect(client().initialize).toHaveBeenCalledTimes(1);
    const { options } = client() as unknown as {
      options: {
        puppeteer: { executablePath: string; headless: boolean; args: string[] };
        authStrategy: { constructor: { name: string }; dataPath: string };
      };
    };
    expect(options.puppeteer).toMatchObject({ executablePath: "/usr/bin/chromium", headless: true });
    expect(options.puppeteer.args).toEqual(expect.arrayContaining(chromiumArgs));
    expect(options.authStrategy.constructor.name).toBe("LocalAuth");
    expect(options.authStrategy.dataPath).toBe(`${testConfig(env).paths.data}/whatsapp-web`);
  });

  it("keeps the admin page behind ADMIN_TOKEN and shows the QR code to scan as SVG", async () => {
    expect((await adminPage()).status).toBe(401);
    expect((await adminPage("Bearer not-the-admin-token-at-all-000")).status).toBe(401);

    client().emit("qr", "2@qr-test-payload,abcdefghijklmnop,ZmFrZQ==");
    const page = await adminPage(`Bearer ${adminToken}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('data-state="waiting-for-scan"');
    expect(html).toMatch(/<div id="qr"><svg[^>]*>/);
    // A browser can open it too: HTTP Basic with the token as the password.
    const basic = `Basic ${Buffer.from(`admin:${adminToken}`).toString("base64")}`;
    expect((await adminPage(basic)).status).toBe(200);
    // …and the QR code was drawn once for the terminal.
    await vi.waitFor(() => expect(terminal).toHaveLength(1));
    expect(terminal[0]).toContain("/admin/whatsapp-web");
  });

  it("shows connected after the phone scanned", async () => {
    client().emit("authenticated");
    client().emit("ready");
    const html = await (await adminPage(`Bearer ${adminToken}`)).text();
    expect(html).toContain('data-state="connected"');
    expect(html).not.toContain("<svg");
  });

  const bengaliChat = "8801711000001@c.us";

  it("answers a Bengali greeting in Bengali, with the menu as numbered options, in the same chat", async () => {
    const before = sentTo(bengaliChat).length;
    receive(client(), rawMessage(bengaliChat, { body: "আসসালামু আলাইকুম" }));
    const texts = (await textsUntil(bengaliChat, (t) => t.length >= before + 2)).slice(before);
    expect(texts[0]).toContain(rahnama.services.texts.get("greeting", "welcome", "ben").text);
    const last = texts.at(-1) ?? "";
    expect(last).toContain(rahnama.services.texts.get("greeting", "menu_prompt", "ben").text);
    expect(last).toMatch(/\n1\. .+\n2\. .+/);
  });

  it('runs option 2 when the person answers "2" (or "২")', async () => {
    const address = { channel: "whatsapp-web" as const, user: "-", conversation: bengaliChat };
    const action = await new OptionMemory(store).action(address, 2);
    expect(action).toMatch(/^intent:/);
    const before = sentTo(bengaliChat).length;
    receive(client(), rawMessage(bengaliChat, { body: "২" }));
    await textsUntil(bengaliChat, (t) => t.length > before);
    const conversation = await rahnama.services.conversations.get(conversationKey(address));
    expect(conversation?.lastIntent).toBe(action?.slice("intent:".length));
    expect(conversation?.lang).toBe("ben");
  });

  it("answers a question about costs from a leaflet, with the source's address", async () => {
    const chat = "8801711000002@c.us";
    receive(client(), rawMessage(chat, { body: "how much money does it cost to go to Malaysia for work?" }));
    const texts = await textsUntil(chat, (t) => /https?:\/\/\S+/.test(t.join("\n")));
    expect(texts.join("\n")).toMatch(/https?:\/\/\S+/);
  });

  it("answers a voice note with the media reply and keeps a reference to it for a counsellor", async () => {
    const chat = "8801711000007@c.us";
    receive(client(), rawMessage(chat, { body: "হ্যালো" }));
    const before = (await textsUntil(chat, (t) => t.length >= 2)).length;
    const voice = receive(
      client(),
      rawMessage(chat, {
        type: "ptt",
        directPath: "/v/t62.7117-24/fake-voice-note.enc",
        mimetype: "audio/ogg; codecs=opus",
        duration: 4,
      }),
    );
    expect(voice.hasMedia).toBe(true);
    const mediaReceived = rahnama.services.texts.get("common", "media_received", "ben").text;
    const [reply] = (await textsUntil(chat, (t) => t.length > before)).slice(before);
    expect(reply).toContain(mediaReceived);
    const transcript = await rahnama.services.transcripts.read(`whatsapp-web:${chat}`);
    expect(transcript.find((entry) => entry.from === "user" && entry.media)?.media).toEqual([
      { kind: "audio", reference: `whatsapp-web:${voice.id._serialized}`, mimeType: "audio/ogg; codecs=opus" },
    ]);
  });

  it("turns a shared location into a location attachment", async () => {
    const chat = "8801711000003@c.us";
    const location = receive(
      client(),
      rawMessage(chat, { type: "location", lat: 23.8103, lng: 90.4125, body: "/9j/4AAQ" }),
    );
    expect(location.location?.latitude).toBe(23.8103);
    await textsUntil(chat, (t) => t.length > 0);
    const transcript = await rahnama.services.transcripts.read(`whatsapp-web:${chat}`);
    expect(transcript.find((entry) => entry.from === "user")).toMatchObject({
      text: "",
      media: [{ kind: "location", reference: "23.8103,90.4125" }],
    });
  });

  it("ignores groups, status updates, channels and its own messages, and survives malformed events", async () => {
    const group = "120363041234567890@g.us";
    const ignored = [
      rawMessage(group, { body: "hello everyone", author: "8801711000009@c.us" }),
      rawMessage("status@broadcast", { body: "hello", author: "8801711000009@c.us" }),
      rawMessage("120363000000000000@newsletter", { body: "hello" }),
      rawMessage("8801711000010@c.us", { body: "hello" }, true),
    ];
    for (const data of ignored) receive(client(), data);
    expect(() => client().emit("message", null)).not.toThrow();
    expect(() => client().emit("message", { id: 42 })).not.toThrow();

    // A message after them is answered; nothing went to the ignored chats and the bot kept nothing.
    const chat = "8801711000004@c.us";
    receive(client(), rawMessage(chat, { body: "hello" }));
    await textsUntil(chat, (t) => t.length > 0);
    for (const chatId of [group, "status@broadcast", "120363000000000000@newsletter", "8801711000010@c.us"]) {
      expect(sentTo(chatId)).toEqual([]);
      expect(await rahnama.services.conversations.get(`whatsapp-web:${chatId}`)).toBeNull();
    }
  });

  it("sends a counsellor's words through the same paced path (adapter.send)", async () => {
    const chat = "8801711000005@c.us";
    const outbound: Outbound = {
      text: "**Counsellor:** I will call you tomorrow.",
      lang: "eng",
      direction: "ltr",
      quickReplies: [],
      citations: [],
      meta: { intent: null, confidence: null, lang: "eng", handoff: null, safety: false },
    };
    await adapter.send({ channel: "whatsapp-web", user: "-", conversation: chat }, [outbound]);
    expect(sentTo(chat)).toEqual(["*Counsellor:* I will call you tomorrow."]);
  });

  it("builds a fresh client and initializes it again after a disconnect, then answers through it", async () => {
    const first = client();
    first.emit("disconnected", "LOGOUT");
    const down = await (await adminPage(`Bearer ${adminToken}`)).text();
    expect(down).toMatch(/data-state="(disconnected|starting)"/);

    await vi.waitFor(() => expect(clients.length).toBe(2));
    expect(first.destroy).toHaveBeenCalled();
    const second = client();
    expect(second.initialize).toHaveBeenCalledTimes(1);

    // Events of the old client no longer count; the new one answers once it is ready.
    second.emit("ready");
    const chat = "8801711000006@c.us";
    receive(first, rawMessage(chat, { body: "hello" }));
    receive(second, rawMessage(chat, { body: "hello" }));
    await textsUntil(chat, (t) => t.length > 0);
    const turns = (await rahnama.services.transcripts.read(`whatsapp-web:${chat}`)).filter((e) => e.from === "user");
    expect(turns).toHaveLength(1);
  });
});

describe("WhatsApp Web admin page without ADMIN_TOKEN", () => {
  it("does not exist", async () => {
    const app = Fastify();
    await app.register(
      adminPagePlugin({
        adminToken: undefined,
        status: () => ({ state: "connected", qr: null, since: new Date(), nextAttemptAt: null, lastProblem: null }),
      }),
    );
    const response = await app.inject({ method: "GET", url: "/admin/whatsapp-web" });
    expect(response.statusCode).toBe(404);
    await app.close();
  });
});

describe("WhatsApp Web replies", () => {
  it("numbers the options of a whole batch once, after the last reply, and splits long texts", () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${String(i)}`).join(" ");
    const { texts, options } = renderReplies([
      outbound(long, [{ title: "Costs", action: "intent:recruitment-costs" }]),
      outbound("Anything else?", [
        { title: "Costs", action: "intent:recruitment-costs" },
        { title: "Counsellor", action: "intent:counsellor" },
      ]),
    ]);
    expect(options.map((o) => o.action)).toEqual(["intent:recruitment-costs", "intent:counsellor"]);
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.every((text) => text.length <= whatsAppTextLimit)).toBe(true);
    expect(texts.at(-1)).toBe("Anything else?\n\n1. Costs\n2. Counsellor");
  });
});
