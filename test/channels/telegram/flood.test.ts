import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel } from "../../../channels/telegram/index.js";
import type { ChannelRegistration } from "../../../channels/channel-kit.js";
import type { Address } from "../../../src/core/message.js";
import { outbound, stubDeps } from "./stub-deps.js";
import { FakeTelegram } from "./fake-telegram.js";

const idleBot = { ready: false, receive: async () => [] };
const noPacing = { pacing: { perChatIntervalMs: 0, globalPerSecond: 100_000 } };
const address = (chat: number): Address => ({ channel: "telegram", user: "hashed", conversation: String(chat) });
const tooManyRequests = (seconds: number) => ({
  status: 429,
  body: {
    ok: false,
    error_code: 429,
    description: `Too Many Requests: retry after ${String(seconds)}`,
    parameters: { retry_after: seconds },
  },
});

describe("Telegram outgoing queue under flood", () => {
  let fake: FakeTelegram;
  let channel: ChannelRegistration;
  beforeEach(async () => {
    fake = await new FakeTelegram().start();
  });
  afterEach(async () => {
    await channel.adapter.stop();
    await fake.close();
  });

  it("delivers 1,000 messages to one chat in order and once each, through 429s and a 502", async () => {
    channel = (await createTelegramChannel(stubDeps(fake.url, idleBot), noPacing)) as ChannelRegistration;
    fake.failSendMessage = (attempt) => {
      if (attempt === 400) return tooManyRequests(1);
      if (attempt === 700) return { status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } };
      return attempt % 9 === 0 ? tooManyRequests(0) : null;
    };
    const texts = Array.from({ length: 1_000 }, (_, i) => `relay ${String(i)}`);
    await Promise.all(texts.map((text) => channel.adapter.send(address(42), [outbound(text)])));
    expect(fake.sentTo(42).map((message) => message.text)).toEqual(texts);
    expect(fake.callsOf("sendMessage").length).toBeGreaterThan(1_100);
  });

  it("gives up on a chat that blocked the bot, and keeps serving the others", async () => {
    channel = (await createTelegramChannel(stubDeps(fake.url, idleBot), noPacing)) as ChannelRegistration;
    fake.failSendMessage = (_attempt, body) =>
      body.chat_id === "7"
        ? { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } }
        : null;
    await expect(channel.adapter.send(address(7), [outbound("hello")])).rejects.toThrow(/403/);
    await channel.adapter.send(address(8), [outbound("hello")]);
    expect(fake.sentTo(8)).toHaveLength(1);
    expect(fake.callsOf("sendMessage").filter((call) => call.body.chat_id === "7")).toHaveLength(1);
  });

  it("sends a long relay in pieces and puts the buttons on the last one", async () => {
    channel = (await createTelegramChannel(stubDeps(fake.url, idleBot), noPacing)) as ChannelRegistration;
    const paragraph = "A sentence about work abroad that is long enough to need several of its kind. ".repeat(20);
    const text = Array.from({ length: 8 }, () => paragraph).join("\n\n");
    await channel.adapter.send(address(9), [
      outbound(text, [{ title: "Talk to a counsellor", action: "intent:counsellor" }]),
    ]);
    const sent = fake.sentTo(9);
    expect(sent.length).toBeGreaterThan(2);
    for (const message of sent) expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(sent.slice(0, -1).every((message) => message.keyboard === undefined)).toBe(true);
    expect(sent.at(-1)?.keyboard?.[0]?.[0]?.text).toBe("Talk to a counsellor");
    expect(
      sent
        .map((message) => message.text)
        .join(" ")
        .replace(/\s+/g, " "),
    ).toBe(text.replace(/\s+/g, " ").trim());
  });
});
