import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisOutageRig, canRunOutageTests, crisisMessage } from "../../helpers/redis-outage.js";
import { FakeTelegram, fakeToken, textUpdate } from "./fake-telegram.js";

const secret = "outage-secret-0123456789";
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/**
 * Never lose a cry for help: while Redis is down the webhook refuses the update, so Telegram keeps it
 * and delivers it again; once Redis is back that delivery is escalated, once.
 */
describe.runIf(canRunOutageTests)("a Telegram webhook while Redis is down", { timeout: 120_000 }, () => {
  let fake: FakeTelegram;
  let rig: RedisOutageRig;
  const post = (body: unknown) =>
    fetch(`${rig.running.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    rig = await RedisOutageRig.start({
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_WEBHOOK_URL: "https://bot.mrc.example.org/webhooks/telegram",
      TELEGRAM_WEBHOOK_SECRET: secret,
    });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    await fake?.close();
  });

  it("answers non-2xx, and the update delivered again after Redis is back is escalated once", async () => {
    const rahnama = await rig.running.ready;
    const { texts, desk } = rahnama.services;
    const chatId = 7101;
    const update = { update_id: fake.nextUpdateId(), ...textUpdate(chatId, crisisMessage, { messageId: 41 }) };
    const alert = texts.get("safety", "alert", "eng").text.slice(0, 40);
    const apology = texts.get("common", "error", "eng").text;
    const alerts = () => fake.sentTo(chatId).filter((message) => message.text.includes(alert));
    const apologies = () => fake.sentTo(chatId).filter((message) => message.text.includes(apology));
    const queued = async () =>
      (await desk.queue(new Date())).filter((entry) => entry.conversationKey === `telegram:${chatId}`);

    // Answered as usual while Redis is up (and the first turn's loading is out of the way).
    expect((await post({ update_id: fake.nextUpdateId(), ...textUpdate(7100, "hello") })).status).toBe(200);
    await fake.waitFor(() => fake.sentTo(7100)[0]);
    expect(await rig.readyz()).toBe(200);
    expect(await rig.unstoredEscalations()).toBe(0);

    await rig.stopRedis();
    const started = Date.now();
    expect((await post(update)).status).toBe(503);
    // Refused at once, well before Telegram gives up waiting: commands fail instead of waiting for Redis.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await rig.readyz()).toBe(503);
    expect(await rig.unstoredEscalations()).toBeGreaterThanOrEqual(1);
    // The person hears that something went wrong, once, however often Telegram tries meanwhile.
    await fake.waitFor(() => apologies()[0]);
    // With the emergency numbers, which need no store: the person has them while the queue is out of reach.
    expect(apologies()[0]?.text).toMatch(/(?:🚨|☎) <a href="tel:/u);
    expect((await post(update)).status).toBe(503);
    await settle();
    expect(apologies()).toHaveLength(1);
    expect(alerts()).toEqual([]);

    await rig.restartRedis();
    const statuses = await rig.redeliverUntilAccepted(() => post(update));
    expect(statuses.at(-1), `deliveries after Redis came back: ${statuses.join(" ")}`).toBe(200);
    await fake.waitFor(() => alerts()[0]);
    expect(await queued()).toMatchObject([{ reason: "safety", priority: "high" }]);

    // A further delivery is a duplicate: no second escalation, no second alert.
    expect((await post(update)).status).toBe(200);
    await settle();
    expect(alerts()).toHaveLength(1);
    expect(await queued()).toHaveLength(1);
    expect(await rig.metrics()).toContain('rahnama_handoffs_total{reason="safety"} 1');
    expect(await rig.readyz()).toBe(200);
  });
});
