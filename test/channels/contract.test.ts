import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import wweb from "whatsapp-web.js";
import { createWhatsAppWebClient } from "../../channels/whatsapp-web/client.js";
import { setWhatsAppWebOverridesForTests } from "../../channels/whatsapp-web/index.js";
import type { Rahnama } from "../../src/bootstrap.js";
import type { RunningApp } from "../../src/run.js";
import { DirectLineClient, startTestApp, type DirectLineConversation } from "../helpers/app.js";
import { testConfig } from "../helpers/rahnama.js";
import { FakeConnector } from "./botframework/fake-connector.js";
import { FakeTelegram, fakeToken, textUpdate } from "./telegram/fake-telegram.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "./whatsapp-cloud/fake-graph.js";

/**
 * One scripted conversation (greeting, a cost question answered with its source, a guided-flow step,
 * a request for a counsellor, a photo) on every channel at once, each through its real client library
 * against a fake of the remote service, and what each channel shows the person checked the same way.
 */
interface Rendered {
  /** The text as the person sees it, with the channel's markup taken out. */
  readonly text: string;
  /** Titles of the options offered with it (buttons, list rows, suggested actions or numbered lines). */
  readonly options: readonly string[];
}

interface Driver {
  readonly name: string;
  send(text: string): Promise<void>;
  sendPhoto(): Promise<void>;
  rendered(): Promise<Rendered[]>;
}

const { Message } = wweb as unknown as {
  Message: new (client: wweb.Client, data: Record<string, unknown>) => wweb.Message;
};

/** Telegram HTML, WhatsApp *bold* and Markdown taken out, so texts compare across channels. */
function plain(text: string): string {
  return text
    .replace(/<a href="([^"]+)">([^<]*)<\/a>/g, "$2 $1")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\*\*|\*/g, "")
    .replace(/[\u200E\u200F\u2066-\u2069]/g, "");
}

const numbered = (text: string) =>
  text
    .split("\n")
    .map((line) => /^\d+\. (.+)$/.exec(line)?.[1])
    .filter((title): title is string => Boolean(title));

describe("every channel runs the same conversation", { timeout: 90_000 }, () => {
  let running: RunningApp;
  let rahnama: Rahnama;
  let telegram: FakeTelegram;
  let graph: FakeGraph;
  let connector: FakeConnector;
  const wwebSent: { chatId: string; text: string }[] = [];
  const wwebClients: wweb.Client[] = [];
  const drivers: Driver[] = [];

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    graph = new FakeGraph();
    await graph.start();
    connector = await FakeConnector.start();
    const env = {
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: telegram.url,
      ...whatsappEnv(graph),
      WHATSAPP_WEB_ENABLED: "true",
    };
    setWhatsAppWebOverridesForTests({
      createClient: () => {
        const client = createWhatsAppWebClient(testConfig(env));
        if (!(client instanceof wweb.Client)) throw new Error("not a whatsapp-web.js Client");
        client.initialize = vi.fn(() => Promise.resolve());
        client.destroy = vi.fn(() => Promise.resolve());
        client.sendMessage = vi.fn((chatId: string, content: unknown) => {
          wwebSent.push({ chatId, text: String(content) });
          return Promise.resolve({} as wweb.Message);
        });
        wwebClients.push(client);
        return client;
      },
      backoff: { initialMs: 5, maxMs: 20 },
      pacing: { perKeyIntervalMs: 1, globalPerSecond: 1_000 },
      writeTerminal: () => undefined,
    });
    running = await startTestApp({ env });
    rahnama = await running.ready;
    expect(running.channels.map((channel) => channel.name).sort()).toEqual(
      ["botframework", "telegram", "webchat", "whatsapp", "whatsapp-web"].sort(),
    );

    // Web chat, through our Direct Line endpoint.
    const directLine = new DirectLineClient(running.url);
    const conversation: DirectLineConversation = await directLine.start();
    drivers.push({
      name: "webchat",
      async send(text) {
        await directLine.post(conversation, { type: "message", from: { id: "web-user" }, text });
      },
      async sendPhoto() {
        await directLine.post(conversation, {
          type: "message",
          from: { id: "web-user" },
          text: "",
          attachments: [{ contentType: "image/jpeg", contentUrl: "https://example.invalid/photo.jpg" }],
        });
      },
      async rendered() {
        const { activities } = await directLine.activities(conversation);
        // The widget shows the sources of channelData.rahnama.citations as links under the text.
        return activities
          .filter((activity) => activity.from.id !== "web-user")
          .map((activity) => ({
            text: [
              plain(activity.text ?? ""),
              ...(activity.channelData?.rahnama?.citations ?? []).flatMap((citation) =>
                citation.sources.map((source) => source.url ?? ""),
              ),
            ].join("\n"),
            options: (activity.suggestedActions?.actions ?? []).map((action) => action.title),
          }));
      },
    });

    // Telegram, telegraf polling a fake Bot API.
    const chatId = 7_100_001;
    drivers.push({
      name: "telegram",
      async send(text) {
        telegram.push(textUpdate(chatId, text));
      },
      async sendPhoto() {
        telegram.push({
          message: {
            message_id: Math.floor(Math.random() * 1e9),
            date: Math.floor(Date.now() / 1000),
            from: { id: chatId, is_bot: false, first_name: "Test", language_code: "en" },
            chat: { id: chatId, type: "private" },
            photo: [{ file_id: "photo-1", file_unique_id: "p1", width: 90, height: 90 }],
          },
        });
      },
      async rendered() {
        return telegram.sentTo(chatId).map((message) => ({
          text: plain(message.text),
          options: (message.keyboard ?? []).flat().map((button) => button.text),
        }));
      },
    });

    // WhatsApp Cloud API, signed webhooks in, a fake Graph API out.
    const waId = "8801711999001";
    const postWhatsApp = async (message: Record<string, unknown>) => {
      const body = JSON.stringify(webhookPayload(waId, message));
      const response = await fetch(`${running.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
        body,
      });
      expect(response.status).toBe(200);
    };
    drivers.push({
      name: "whatsapp",
      send: (text) => postWhatsApp({ type: "text", text: { body: text } }),
      sendPhoto: () => postWhatsApp({ type: "image", image: { id: "media-1", mime_type: "image/jpeg" } }),
      async rendered() {
        return graph.messagesTo(waId).map((body) => {
          const interactive = body.interactive as
            | {
                body: { text: string };
                action: {
                  buttons?: { reply: { title: string } }[];
                  sections?: { rows: { title: string }[] }[];
                };
              }
            | undefined;
          if (interactive) {
            return {
              text: plain(interactive.body.text),
              options: [
                ...(interactive.action.buttons ?? []).map((button) => button.reply.title),
                ...(interactive.action.sections ?? []).flatMap((section) => section.rows.map((row) => row.title)),
              ],
            };
          }
          const text = body.text?.body ?? "";
          return { text: plain(text), options: numbered(text) };
        });
      },
    });

    // Bot Framework, activities in at /api/messages, replies to a fake connector.
    const bfConversation = `bf-${randomUUID()}`;
    const postActivity = async (extra: Record<string, unknown>) => {
      const response = await fetch(`${running.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          id: randomUUID(),
          timestamp: new Date().toISOString(),
          channelId: "emulator",
          serviceUrl: connector.url,
          from: { id: "bf-user", name: "Test", role: "user" },
          recipient: { id: "rahnama", name: "Rahnama", role: "bot" },
          conversation: { id: bfConversation },
          locale: "en-US",
          ...extra,
        }),
      });
      expect(response.status).toBeLessThan(300);
    };
    drivers.push({
      name: "botframework",
      send: (text) => postActivity({ text }),
      sendPhoto: () =>
        postActivity({ attachments: [{ contentType: "image/png", contentUrl: "https://example.invalid/p.png" }] }),
      async rendered() {
        return connector.to(bfConversation).map((call) => ({
          text: plain(call.activity.text ?? ""),
          options: (call.activity.suggestedActions?.actions ?? []).map((action) => action.title),
        }));
      },
    });

    // WhatsApp Web, whatsapp-web.js Client events in, Client.sendMessage out.
    const client = wwebClients.at(-1);
    if (!client) throw new Error("the WhatsApp Web client was not built");
    client.emit("authenticated");
    client.emit("ready");
    const wwebChat = "8801711999002@c.us";
    let counter = 0;
    const receive = (fields: Record<string, unknown>) => {
      counter += 1;
      const id = `3EB0CONTRACT${String(counter).padStart(8, "0")}`;
      client.emit(
        "message",
        new Message(client, {
          id: { fromMe: false, remote: wwebChat, id, _serialized: `false_${wwebChat}_${id}` },
          from: wwebChat,
          to: "8801900000000@c.us",
          t: Math.floor(Date.now() / 1000),
          type: "chat",
          body: "",
          ...fields,
        }),
      );
    };
    drivers.push({
      name: "whatsapp-web",
      send: async (text) => receive({ body: text }),
      sendPhoto: async () => receive({ type: "image", body: "", mimetype: "image/jpeg" }),
      async rendered() {
        return wwebSent
          .filter((sent) => sent.chatId === wwebChat)
          .map((sent) => ({ text: plain(sent.text), options: numbered(sent.text) }));
      },
    });
  }, 120_000);

  afterAll(async () => {
    setWhatsAppWebOverridesForTests(undefined);
    await running.close();
    await telegram.close();
    await graph.stop();
    await connector.close();
  });

  /** Sends on every channel at once and waits until each shows a new rendering that `expected` accepts. */
  async function everyChannel(
    act: (driver: Driver) => Promise<void>,
    expected: (rendered: Rendered) => boolean,
  ): Promise<Map<string, Rendered>> {
    const before = new Map<string, number>();
    for (const driver of drivers) before.set(driver.name, (await driver.rendered()).length);
    await Promise.all(drivers.map((driver) => act(driver)));
    const found = new Map<string, Rendered>();
    await vi.waitFor(
      async () => {
        for (const driver of drivers) {
          if (found.has(driver.name)) continue;
          const fresh = (await driver.rendered()).slice(before.get(driver.name) ?? 0);
          const match = fresh.find(expected);
          if (match) found.set(driver.name, match);
        }
        const missing = drivers.filter((driver) => !found.has(driver.name)).map((driver) => driver.name);
        if (missing.length > 0) throw new Error(`no expected reply yet on ${missing.join(", ")}`);
      },
      { timeout: 40_000, interval: 50 },
    );
    return found;
  }

  const text = (namespace: string, key: string) =>
    plain(rahnama.services.texts.get(namespace, key, "eng").text).slice(0, 40);

  it("greets with the menu as options the channel can show", async () => {
    const found = await everyChannel(
      (driver) => driver.send("hello"),
      (rendered) => rendered.options.length >= 3,
    );
    for (const [name, rendered] of found) {
      expect(rendered.options.join(" | "), name).toMatch(/counsellor/i);
    }
  });

  it("answers a cost question with a link to its source", async () => {
    await everyChannel(
      (driver) => driver.send("who pays the recruitment fees and the air ticket from bangladesh?"),
      (rendered) => /https:\/\/\S+/.test(rendered.text),
    );
  });

  it("takes steps in a guided flow: the fee check asks where to (Bangladesh is known by now), then how much", async () => {
    await everyChannel(
      (driver) => driver.send("is this fee legal"),
      (rendered) => rendered.text.includes(text("fee-check", "ask_destination")),
    );
    await everyChannel(
      (driver) => driver.send("Saudi Arabia"),
      (rendered) => rendered.text.includes(text("fee-check", "ask_amount")),
    );
    await everyChannel(
      (driver) => driver.send("stop"),
      (rendered) => rendered.options.length > 0 || rendered.text.length > 0,
    );
  });

  it("hands over to a counsellor on request", async () => {
    await everyChannel(
      (driver) => driver.send("I want to talk to a counsellor"),
      (rendered) => rendered.text.includes(text("counsellor", "requested")),
    );
  });

  it("answers a photo politely, in words, with the offer of a counsellor", async () => {
    const found = await everyChannel(
      (driver) => driver.sendPhoto(),
      (rendered) => rendered.text.includes(text("common", "media_received")),
    );
    for (const [name, rendered] of found) {
      expect(rendered.options.join(" | "), name).toMatch(/counsellor/i);
    }
  });
});
