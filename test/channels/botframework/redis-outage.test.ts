import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisOutageRig, canRunOutageTests, crisisMessage } from "../../helpers/redis-outage.js";
import { FakeConnector } from "./fake-connector.js";

/** While Redis is down /api/messages is refused, so the channel delivers the activity again. */
describe.runIf(canRunOutageTests)("Bot Framework while Redis is down", { timeout: 120_000 }, () => {
  let connector: FakeConnector;
  let rig: RedisOutageRig;

  beforeAll(async () => {
    connector = await FakeConnector.start();
    rig = await RedisOutageRig.start({ BOTFRAMEWORK_EMULATOR_URL: connector.url });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    await connector?.close();
  });

  it("answers 5xx while the turn cannot be stored, and answers the activity delivered again", async () => {
    const rahnama = await rig.running.ready;
    const conversation = `conv-${randomUUID()}`;
    const activity = {
      type: "message",
      id: randomUUID(),
      channelId: "emulator",
      serviceUrl: connector.url,
      from: { id: "user-1", role: "user" },
      recipient: { id: "rahnama-bot", role: "bot" },
      conversation: { id: conversation },
      locale: "en-US",
      text: crisisMessage,
    };
    const post = () =>
      fetch(`${rig.running.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
      });
    const alert = rahnama.services.texts.get("safety", "alert", "eng").text.slice(0, 40);
    const alerts = () => connector.to(conversation).filter((call) => call.activity.text?.includes(alert));

    await rig.stopRedis();
    expect((await post()).status).toBeGreaterThanOrEqual(500);
    expect(await rig.unstoredEscalations()).toBeGreaterThanOrEqual(1);
    expect(alerts()).toEqual([]);

    await rig.restartRedis();
    const statuses = await rig.redeliverUntilAccepted(post);
    expect(statuses.at(-1), `deliveries after Redis came back: ${statuses.join(" ")}`).toBe(200);
    expect(alerts()).toHaveLength(1);
    expect((await post()).status).toBe(200);
    expect(alerts()).toHaveLength(1);
  });
});
