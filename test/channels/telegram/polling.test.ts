import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../../src/run.js";
import { startTestApp } from "../../helpers/app.js";
import { FakeTelegram, fakeToken, textUpdate } from "./fake-telegram.js";

describe("Telegram over long polling, against a fake Bot API", () => {
  let fake: FakeTelegram;
  let running: RunningApp;
  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    running = await startTestApp({ env: { TELEGRAM_BOT_TOKEN: fakeToken, TELEGRAM_API_ROOT: fake.url } });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it("connects as the bot and polls for messages and button taps only", async () => {
    await fake.waitFor(() => fake.callsOf("getUpdates").length > 0);
    expect(fake.callsOf("getMe")).toHaveLength(1);
    expect(fake.callsOf("deleteWebhook")).toHaveLength(1);
    expect(fake.callsOf("getUpdates")[0]?.body.allowed_updates).toEqual(["message", "callback_query"]);
  });

  it("greets in Bengali with buttons, and a tapped button runs its action", async () => {
    const chatId = 5001;
    fake.push(textUpdate(chatId, "আসসালামু আলাইকুম", { languageCode: "bn" }));
    const greeting = await fake.waitFor(() => fake.sentTo(chatId).find((message) => message.keyboard));
    expect(greeting.parseMode).toBe("HTML");
    expect(greeting.text).toMatch(/[\u0980-\u09FF]/);
    const buttons = greeting.keyboard?.flat() ?? [];
    expect(buttons.length).toBeGreaterThan(1);
    for (const button of buttons) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    for (const row of greeting.keyboard ?? []) expect(row.length).toBeLessThanOrEqual(2);

    const counsellor = buttons.find((button) => /কাউন্সেলর/.test(button.text)) ?? buttons[0];
    expect(counsellor?.callback_data).toMatch(/^o:\d+:/);
    const before = fake.sentTo(chatId).length;
    fake.push({
      callback_query: {
        id: "cb-1",
        from: { id: chatId, is_bot: false, first_name: "Test", language_code: "bn" },
        chat_instance: "1",
        data: counsellor?.callback_data,
        message: {
          message_id: 77,
          date: 0,
          chat: { id: chatId, type: "private" },
          text: greeting.text,
          reply_markup: { inline_keyboard: greeting.keyboard },
        },
      },
    });
    await fake.waitFor(() =>
      fake.callsOf("answerCallbackQuery").some((call) => call.body.callback_query_id === "cb-1"),
    );
    const answer = await fake.waitFor(() => fake.sentTo(chatId)[before]);
    expect(answer.text).toMatch(/[\u0980-\u09FF]/);
    expect(answer.text).toContain("কাউন্সেলর");
  });

  it("answers a question about recruitment costs with a link to its source", async () => {
    const chatId = 5002;
    fake.push(textUpdate(chatId, "who pays the recruitment fees and the air ticket from bangladesh?"));
    const reply = await fake.waitFor(() => fake.sentTo(chatId).find((message) => message.text.includes("<a href=")));
    expect(reply.text).toMatch(/<a href="https:\/\/www\.mrc-bangladesh\.org\/[^"]+">[^<]+<\/a>/);
    expect(reply.text).toMatch(/^<b>[^<]+<\/b>/);
  });

  it("answers a voice note with the media reply", async () => {
    const chatId = 5003;
    fake.push({
      message: {
        message_id: 9,
        date: 0,
        from: { id: chatId, is_bot: false, first_name: "Test", language_code: "en" },
        chat: { id: chatId, type: "private" },
        voice: { file_id: "voice-file-1", file_unique_id: "u1", duration: 3, mime_type: "audio/ogg" },
      },
    });
    const reply = await fake.waitFor(() => fake.sentTo(chatId)[0]);
    expect(reply.text).toContain("voice notes");
  });

  it("answers /start with the greeting", async () => {
    const chatId = 5004;
    fake.push(textUpdate(chatId, "/start", { languageCode: "ru" }));
    const reply = await fake.waitFor(() => fake.sentTo(chatId).find((message) => message.keyboard));
    expect(reply.text).toMatch(/[\u0400-\u04FF]/);
  });

  it("ignores group messages, edits and malformed updates, and keeps serving", async () => {
    const chatId = 5005;
    fake.push({
      message: {
        message_id: 1,
        date: 0,
        from: { id: chatId, is_bot: false, first_name: "Test" },
        chat: { id: -100_200, type: "supergroup", title: "A group" },
        text: "hello",
      },
    });
    fake.push({ edited_message: textUpdate(chatId, "hello again").message });
    fake.push({ message: { message_id: "not a number", chat: null } });
    fake.push(textUpdate(chatId, "hello"));
    await fake.waitFor(() => fake.sentTo(chatId).length > 0);
    expect(fake.sentTo(-100_200)).toEqual([]);
    // Only the one private message was answered: the greeting, nothing for the edit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(new Set(fake.sentTo(chatId).map((message) => message.text)).size).toBe(fake.sentTo(chatId).length);
  });
});
