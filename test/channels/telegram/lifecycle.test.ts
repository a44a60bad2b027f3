import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelRegistration } from "../../../channels/channel-kit.js";
import { createTelegramChannel } from "../../../channels/telegram/index.js";
import type { BotPort } from "../../../src/core/channel.js";
import type { InboundInput } from "../../../src/core/message.js";
import { createLogger } from "../../../src/log.js";
import { outbound, stubDeps } from "./stub-deps.js";
import { FakeTelegram, textUpdate } from "./fake-telegram.js";

describe("Telegram channel lifecycle", () => {
  let fake: FakeTelegram;
  beforeEach(async () => {
    fake = await new FakeTelegram().start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("is off without a bot token", async () => {
    const deps = stubDeps(fake.url, { ready: true, receive: async () => [] });
    const config = { ...deps.config, TELEGRAM_BOT_TOKEN: undefined };
    expect(await createTelegramChannel({ ...deps, config })).toBeNull();
  });

  it("starts polling only once the bot is ready, and stops cleanly", async () => {
    const received: InboundInput[] = [];
    let ready = false;
    const bot: BotPort = {
      get ready() {
        return ready;
      },
      async receive(input) {
        received.push(input);
        return [outbound("**Hi** <there> & welcome", [{ title: "Yes", action: "intent:yes" }])];
      },
    };
    const channel = (await createTelegramChannel(stubDeps(fake.url, bot), {
      readyCheckMs: 10,
      pacing: { perChatIntervalMs: 0, globalPerSecond: 1_000 },
    })) as ChannelRegistration;
    expect(channel.plugin).toBeUndefined();
    await channel.adapter.start();
    fake.push(textUpdate(77, "salam", { languageCode: "uz-UZ", messageId: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.callsOf("getUpdates")).toEqual([]);
    ready = true;
    const sent = await fake.waitFor(() => fake.sentTo(77)[0]);
    expect(sent.text).toBe("<b>Hi</b> &lt;there&gt; &amp; welcome");
    expect(received[0]).toMatchObject({ id: "77:5", text: "salam", hints: { lang: "uzb" } });
    expect(received[0]?.address).toMatchObject({ channel: "telegram", conversation: "77" });
    expect(received[0]?.address.user).not.toBe("77");
    await channel.adapter.stop();
    const polls = fake.callsOf("getUpdates").length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.callsOf("getUpdates").length).toBe(polls);
  });

  it("answers the webhook 503 until the bot is ready, so Telegram keeps the update", async () => {
    let ready = false;
    const received: InboundInput[] = [];
    const bot: BotPort = {
      get ready() {
        return ready;
      },
      async receive(input) {
        received.push(input);
        return [];
      },
    };
    const secret = "lifecycle-secret-123456";
    const channel = (await createTelegramChannel(
      stubDeps(fake.url, bot, {
        TELEGRAM_WEBHOOK_URL: "https://bot.example.org/webhooks/telegram",
        TELEGRAM_WEBHOOK_SECRET: secret,
      }),
    )) as ChannelRegistration;
    const app = Fastify();
    const plugin = channel.plugin;
    if (!plugin) throw new Error("webhook mode must mount a route");
    await app.register(plugin);
    const deliver = () =>
      app.inject({
        method: "POST",
        url: "/webhooks/telegram",
        headers: { "x-telegram-bot-api-secret-token": secret },
        payload: { update_id: 1, ...textUpdate(12, "hello", { messageId: 1 }) },
      });
    expect((await deliver()).statusCode).toBe(503);
    expect(received).toEqual([]);
    ready = true;
    expect((await deliver()).statusCode).toBe(200);
    expect(received).toHaveLength(1);
    await app.close();
    await channel.adapter.stop();
  });

  it("keeps trying when Telegram cannot be reached at start, and turns itself off on a refused token", async () => {
    const bot: BotPort = { ready: true, receive: async () => [outbound("hi")] };
    fake.getMeFailures = 2;
    const channel = (await createTelegramChannel(stubDeps(fake.url, bot), {
      retryDelayMs: 10,
      pacing: { perChatIntervalMs: 0, globalPerSecond: 1_000 },
    })) as ChannelRegistration;
    await channel.adapter.start();
    fake.push(textUpdate(78, "hello"));
    await fake.waitFor(() => fake.sentTo(78)[0]);
    expect(fake.callsOf("getMe")).toHaveLength(3);
    await channel.adapter.stop();

    const refused = new FakeTelegram();
    await refused.start();
    refused.refuseToken = true;
    const off = (await createTelegramChannel(stubDeps(refused.url, bot), { retryDelayMs: 10 })) as ChannelRegistration;
    await off.adapter.start();
    await refused.waitFor(() => refused.callsOf("getMe").length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(refused.callsOf("getMe")).toHaveLength(1);
    expect(refused.callsOf("getUpdates")).toEqual([]);
    await off.adapter.stop();
    await refused.close();
  });

  it("stops cleanly while it is still connecting", async () => {
    const bot: BotPort = { ready: true, receive: async () => [] };
    fake.getMeFailures = 1_000;
    const channel = (await createTelegramChannel(stubDeps(fake.url, bot), {
      retryDelayMs: 5_000,
    })) as ChannelRegistration;
    await channel.adapter.start();
    await fake.waitFor(() => fake.callsOf("getMe").length > 0);
    await channel.adapter.stop();
    expect(fake.callsOf("getUpdates")).toEqual([]);
  });

  it("logs what happened without the message, the name or the ids", async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "debug",
      personalData: false,
      destination: { write: (line: string) => lines.push(line) },
    });
    const bot: BotPort = {
      ready: true,
      receive: async (input) => [outbound(`You wrote: ${input.text}`)],
    };
    fake.failSendMessage = () => ({
      status: 403,
      body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    });
    const channel = (await createTelegramChannel(
      { ...stubDeps(fake.url, bot), log },
      { pacing: { perChatIntervalMs: 0, globalPerSecond: 1_000 } },
    )) as ChannelRegistration;
    await channel.adapter.start();
    fake.push({ message: { message_id: "x", text: "my passport is AB1234567", chat: { id: 4242424 } } });
    fake.push({
      message: {
        message_id: 1,
        date: 0,
        from: { id: 4242424, first_name: "Amina" },
        chat: { id: -4242424, type: "group" },
        text: "AB1234567",
      },
    });
    fake.push(textUpdate(4242424, "my passport is AB1234567"));
    await fake.waitFor(() => lines.some((line) => line.includes("blocked")));
    await channel.adapter.stop();
    const all = lines.join("\n");
    expect(all).toContain("malformed telegram update dropped");
    expect(all).toContain("not a private chat");
    expect(all).not.toContain("AB1234567");
    expect(all).not.toContain("Amina");
    expect(all).not.toContain("4242424");
  });
});
