import { randomUUID } from "node:crypto";
import { expect, vi } from "vitest";
import wweb from "whatsapp-web.js";
import { createWhatsAppWebClient } from "../../channels/whatsapp-web/client.js";
import { setWhatsAppWebOverridesForTests } from "../../channels/whatsapp-web/index.js";
import type { Rahnama } from "../../src/bootstrap.js";
import type { RunningApp } from "../../src/run.js";
import type { Store } from "../../src/store/store.js";
import { DirectLineClient, startTestApp, type DirectLineConversation } from "../helpers/app.js";
import { testConfig } from "../helpers/rahnama.js";
import { FakeConnector } from "./botframework/fake-connector.js";
import { FakeTelegram, fakeToken, textUpdate } from "./telegram/fake-telegram.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "./whatsapp-cloud/fake-graph.js";

/** What a channel showed the person: the text without the channel's markup, and the options offered. */
export interface Rendered {
  readonly text: string;
  /** Titles of the options offered with it (buttons, list rows, suggested actions or numbered lines). */
  readonly options: readonly string[];
}

/** One person on one channel: what they send, and everything the channel has shown them so far. */
export interface Driver {
  readonly name: string;
  send(text: string): Promise<void>;
  sendPhoto(): Promise<void>;
  rendered(): Promise<Rendered[]>;
}

const { Message } = wweb as unknown as {
  Message: new (client: wweb.Client, data: Record<string, unknown>) => wweb.Message;
};

/** Telegram HTML, WhatsApp *bold* and Markdown taken out, so texts compare across channels. */
export function plain(text: string): string {
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

/**
 * The whole app with all five channels on, each through its real client library against a fake of the
 * remote service (Telegram's Bot API, Meta's Graph API, a Bot Framework connector, whatsapp-web.js
 * Client events), and one driver per channel for one person. `restart` replaces the app with a new
 * one on the given store while the fakes and the people stay.
 */
export class ChannelRig {
  running!: RunningApp;
  rahnama!: Rahnama;
  telegram!: FakeTelegram;
  graph!: FakeGraph;
  connector!: FakeConnector;
  readonly wwebSent: { chatId: string; text: string }[] = [];
  readonly wwebClients: wweb.Client[] = [];
  readonly drivers: Driver[] = [];
  #env: Record<string, string> = {};

  get url(): string {
    return this.running.url;
  }

  wwebClient(): wweb.Client {
    const client = this.wwebClients.at(-1);
    if (!client) throw new Error("the WhatsApp Web client was not built");
    return client;
  }

  /** `whatsappNumber`: a number without one of our country prefixes leaves the country unknown. */
  async start(options: { env?: Record<string, string>; store?: Store; whatsappNumber?: string } = {}): Promise<this> {
    this.telegram = await new FakeTelegram().start();
    this.graph = new FakeGraph();
    await this.graph.start();
    this.connector = await FakeConnector.start();
    this.#env = {
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: this.telegram.url,
      ...whatsappEnv(this.graph),
      WHATSAPP_WEB_ENABLED: "true",
      BOTFRAMEWORK_EMULATOR_URL: this.connector.url,
      ...options.env,
    };
    setWhatsAppWebOverridesForTests({
      createClient: () => {
        const client = createWhatsAppWebClient(testConfig(this.#env));
        if (!(client instanceof wweb.Client)) throw new Error("not a whatsapp-web.js Client");
        client.initialize = vi.fn(() => Promise.resolve());
        client.destroy = vi.fn(() => Promise.resolve());
        client.sendMessage = vi.fn((chatId: string, content: unknown) => {
          this.wwebSent.push({ chatId, text: String(content) });
          return Promise.resolve({} as wweb.Message);
        });
        this.wwebClients.push(client);
        return client;
      },
      backoff: { initialMs: 5, maxMs: 20 },
      pacing: { perKeyIntervalMs: 1, globalPerSecond: 1_000 },
      writeTerminal: () => undefined,
    });
    await this.#launch(options.store);
    this.#buildDrivers(this, options.whatsappNumber ?? "8801711999001");
    return this;
  }

  /** The start of an English text of the bot, as the channels show it. */
  text(namespace: string, key: string): string {
    return plain(this.rahnama.services.texts.get(namespace, key, "eng").text).slice(0, 40);
  }

  /** Acts on every channel at once and waits until each shows a new rendering that `expected` accepts. */
  async everyChannel(
    act: (driver: Driver) => Promise<void>,
    expected: (rendered: Rendered) => boolean,
  ): Promise<Map<string, Rendered>> {
    const before = new Map<string, number>();
    for (const driver of this.drivers) before.set(driver.name, (await driver.rendered()).length);
    await Promise.all(this.drivers.map((driver) => act(driver)));
    const found = new Map<string, Rendered>();
    await vi.waitFor(
      async () => {
        for (const driver of this.drivers) {
          if (found.has(driver.name)) continue;
          const fresh = (await driver.rendered()).slice(before.get(driver.name) ?? 0);
          const match = fresh.find(expected);
          if (match) found.set(driver.name, match);
        }
        const missing = this.drivers.filter((driver) => !found.has(driver.name)).map((driver) => driver.name);
        if (missing.length > 0) throw new Error(`no expected reply yet on ${missing.join(", ")}`);
      },
      { timeout: 40_000, interval: 50 },
    );
    return found;
  }

  async restart(store?: Store): Promise<void> {
    await this.running.close();
    await this.#launch(store);
  }

  async close(): Promise<void> {
    setWhatsAppWebOverridesForTests(undefined);
    await this.running.close();
    await this.telegram.close();
    await this.graph.stop();
    await this.connector.close();
  }

  async #launch(store?: Store): Promise<void> {
    this.running = await startTestApp({ env: this.#env, ...(store ? { store } : {}) });
    this.rahnama = await this.running.ready;
    expect(this.running.channels.map((channel) => channel.name).sort()).toEqual(
      ["botframework", "telegram", "webchat", "whatsapp", "whatsapp-web"].sort(),
    );
    this.wwebClient().emit("authenticated");
    this.wwebClient().emit("ready");
  }

  /** `rig` is this rig: the drivers' own methods read its current app (which a restart replaces). */
  #buildDrivers(rig: ChannelRig, waId: string): void {
    // Web chat, through our Direct Line endpoint.
    // The Direct Line conversation is opened on first use (the server's address changes on restart).
    let conversation: DirectLineConversation | null = null;
    const directLine = () => new DirectLineClient(rig.url);
    const open = async () => (conversation ??= await directLine().start());
    rig.drivers.push({
      name: "webchat",
      async send(text) {
        await directLine().post(await open(), { type: "message", from: { id: "web-user" }, text });
      },
      async sendPhoto() {
        await directLine().post(await open(), {
          type: "message",
          from: { id: "web-user" },
          text: "",
          attachments: [{ contentType: "image/jpeg", contentUrl: "https://example.invalid/photo.jpg" }],
        });
      },
      async rendered() {
        const { activities } = await directLine().activities(await open());
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
    rig.drivers.push({
      name: "telegram",
      async send(text) {
        rig.telegram.push(textUpdate(chatId, text));
      },
      async sendPhoto() {
        rig.telegram.push({
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
        return rig.telegram.sentTo(chatId).map((message) => ({
          text: plain(message.text),
          options: (message.keyboard ?? []).flat().map((button) => button.text),
        }));
      },
    });

    // WhatsApp Cloud API, signed webhooks in, a fake Graph API out.
    const postWhatsApp = async (message: Record<string, unknown>) => {
      const body = JSON.stringify(webhookPayload(waId, message));
      const response = await fetch(`${rig.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
        body,
      });
      expect(response.status).toBe(200);
    };
    rig.drivers.push({
      name: "whatsapp",
      send: (text) => postWhatsApp({ type: "text", text: { body: text } }),
      sendPhoto: () => postWhatsApp({ type: "image", image: { id: "media-1", mime_type: "image/jpeg" } }),
      async rendered() {
        return rig.graph.messagesTo(waId).map((body) => {
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
      const response = await fetch(`${rig.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          id: randomUUID(),
          timestamp: new Date().toISOString(),
          channelId: "emulator",
          serviceUrl: rig.connector.url,
          from: { id: "bf-user", name: "Test", role: "user" },
          recipient: { id: "rahnama", name: "Rahnama", role: "bot" },
          conversation: { id: bfConversation },
          locale: "en-US",
          ...extra,
        }),
      });
      expect(response.status).toBeLessThan(300);
    };
    rig.drivers.push({
      name: "botframework",
      send: (text) => postActivity({ text }),
      sendPhoto: () =>
        postActivity({ attachments: [{ contentType: "image/png", contentUrl: "https://example.invalid/p.png" }] }),
      async rendered() {
        return rig.connector.to(bfConversation).map((call) => ({
          text: plain(call.activity.text ?? ""),
          options: (call.activity.suggestedActions?.actions ?? []).map((action) => action.title),
        }));
      },
    });

    // WhatsApp Web, whatsapp-web.js Client events in, Client.sendMessage out.
    const wwebChat = "8801711999002@c.us";
    let counter = 0;
    const receive = (fields: Record<string, unknown>) => {
      const client = rig.wwebClient();
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
    rig.drivers.push({
      name: "whatsapp-web",
      send: async (text) => receive({ body: text }),
      sendPhoto: async () => receive({ type: "image", body: "", mimetype: "image/jpeg" }),
      async rendered() {
        return rig.wwebSent
          .filter((sent) => sent.chatId === wwebChat)
          .map((sent) => ({ text: plain(sent.text), options: numbered(sent.text) }));
      },
    });
  }
}
