import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../../src/run.js";
import { startTestApp } from "../../helpers/app.js";
import { FakeTelegram, fakeToken, textUpdate } from "./fake-telegram.js";

const secret = "webhook-secret-0123456789";
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe("Telegram over a webhook, against a fake Bot API", () => {
  let fake: FakeTelegram;
  let running: RunningApp;
  let hook: string;
  const post = (body: unknown, headers: Record<string, string> = { "x-telegram-bot-api-secret-token": secret }) =>
    fetch(hook, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    running = await startTestApp({
      env: {
        TELEGRAM_BOT_TOKEN: fakeToken,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_WEBHOOK_URL: "https://bot.mrc.example.org/webhooks/telegram",
        TELEGRAM_WEBHOOK_SECRET: secret,
      },
    });
    hook = `${running.url}/webhooks/telegram`;
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it("registers the webhook with its secret and does not poll", async () => {
    await fake.waitFor(() => fake.callsOf("setWebhook").length > 0);
    expect(fake.callsOf("setWebhook")).toHaveLength(1);
    expect(fake.callsOf("setWebhook")[0]?.body).toMatchObject({
      url: "https://bot.mrc.example.org/webhooks/telegram",
      secret_token: secret,
      allowed_updates: ["message", "callback_query"],
    });
    expect(fake.callsOf("getUpdates")).toEqual([]);
  });

  it("refuses a call with a missing or wrong secret and processes nothing", async () => {
    const missing = await post({ update_id: fake.nextUpdateId(), ...textUpdate(6001, "hello") }, {});
    expect(missing.status).toBe(401);
    const wrong = await post(
      { update_id: fake.nextUpdateId(), ...textUpdate(6001, "hello") },
      { "x-telegram-bot-api-secret-token": `${secret}x` },
    );
    expect(wrong.status).toBe(401);
    await settle();
    expect(fake.callsOf("sendMessage")).toEqual([]);
  });

  it("answers an update that carries the right secret, once even when Telegram delivers it twice", async () => {
    const update = { update_id: fake.nextUpdateId(), ...textUpdate(6002, "hello", { messageId: 31 }) };
    expect((await post(update)).status).toBe(200);
    const first = await fake.waitFor(() => fake.sentTo(6002)[0]);
    expect(first.text).toContain("Rahnama");
    expect((await post(update)).status).toBe(200);
    await settle();
    expect(fake.sentTo(6002)).toHaveLength(1);
  });

  it("drops a malformed update with 200 (so Telegram does not retry it) and ignores a group message", async () => {
    const malformed = await post({ update_id: "one", message: { chat: "nope" } });
    expect(malformed.status).toBe(200);
    const group = await post({
      update_id: fake.nextUpdateId(),
      message: {
        message_id: 1,
        date: 0,
        from: { id: 6003, is_bot: false, first_name: "Test" },
        chat: { id: -6003, type: "group", title: "Group" },
        text: "hello",
      },
    });
    expect(group.status).toBe(200);
    const edited = await post({ update_id: fake.nextUpdateId(), edited_message: textUpdate(6003, "hello").message });
    expect(edited.status).toBe(200);
    await settle();
    expect(fake.sentTo(-6003)).toEqual([]);
    expect(fake.sentTo(6003)).toEqual([]);
  });
});
