import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelRegistration } from "../../../channels/channel-kit.js";
import { createTelegramChannel } from "../../../channels/telegram/index.js";
import type { Address } from "../../../src/core/message.js";
import { FakeTelegram } from "./fake-telegram.js";
import { outbound, stubDeps } from "./stub-deps.js";

const idleBot = { ready: false, receive: async () => [] };
const noPacing = { pacing: { perChatIntervalMs: 0, globalPerSecond: 100_000 } };
const address = (chat: number): Address => ({ channel: "telegram", user: "hashed", conversation: String(chat) });
const safetyAnswer =
  "Call for help now:\n🚨 999 — National Emergency Service, 24 hours (The Daily Star, 2024-09-30)\n" +
  "☎ +8809610102030 — Ministry of Expatriates' Welfare (probashi helpline)";
const badRequest = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});

describe("Telegram tap-to-call links", () => {
  let fake: FakeTelegram;
  let channel: ChannelRegistration;
  beforeEach(async () => {
    fake = await new FakeTelegram().start();
    channel = (await createTelegramChannel(stubDeps(fake.url, idleBot), noPacing)) as ChannelRegistration;
  });
  afterEach(async () => {
    await channel.adapter.stop();
    await fake.close();
  });

  it("sends the numbers as tel: links in HTML", async () => {
    await channel.adapter.send(address(31), [outbound(safetyAnswer)]);
    const [sent] = fake.sentTo(31);
    expect(sent?.parseMode).toBe("HTML");
    expect(sent?.text).toContain('🚨 <a href="tel:999">999</a> — National Emergency Service');
    expect(sent?.text).toContain('☎ <a href="tel:+8809610102030">+8809610102030</a> — Ministry');
  });

  it.each([
    "can't parse entities: unsupported URL protocol",
    "Wrong HTTP URL",
    "URL 'tel:999' is invalid: Wrong HTTP URL",
    "ENTITY_TEXT_INVALID",
  ])("when Telegram refuses the links (400 %s), sends the same words without them", async (description) => {
    let refused = 0;
    fake.failSendMessage = (_attempt, body) => {
      if (!String(body.text).includes("tel:") || refused > 0) return null;
      refused += 1;
      return badRequest(description);
    };
    await channel.adapter.send(address(32), [
      outbound(safetyAnswer, [{ title: "Talk to a counsellor", action: "intent:counsellor" }]),
    ]);
    expect(refused).toBe(1);
    const sent = fake.sentTo(32);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toBe(safetyAnswer);
    expect(sent[0]?.parseMode).toBeUndefined();
    expect(sent[0]?.keyboard?.[0]?.[0]?.text).toBe("Talk to a counsellor");
  });

  it("does not resend on a 400 about the chat itself", async () => {
    fake.failSendMessage = () => badRequest("chat not found");
    await expect(channel.adapter.send(address(33), [outbound(safetyAnswer)])).rejects.toThrow(/400/);
    expect(fake.callsOf("sendMessage")).toHaveLength(1);
  });
});
