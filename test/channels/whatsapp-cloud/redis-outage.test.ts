import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisOutageRig, canRunOutageTests, crisisMessage } from "../../helpers/redis-outage.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "./fake-graph.js";

/** While Redis is down the webhook is refused, so Meta delivers the message again; then it is escalated. */
describe.runIf(canRunOutageTests)("a WhatsApp Cloud webhook while Redis is down", { timeout: 120_000 }, () => {
  const graph = new FakeGraph();
  let rig: RedisOutageRig;
  const post = (body: string) =>
    fetch(`${rig.running.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });

  beforeAll(async () => {
    await graph.start();
    rig = await RedisOutageRig.start(whatsappEnv(graph));
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    await graph.stop();
  });

  it("answers 5xx while the turn cannot be stored, and escalates the message Meta delivers again", async () => {
    const rahnama = await rig.running.ready;
    const from = "447700900777";
    const body = JSON.stringify(webhookPayload(from, { type: "text", text: { body: crisisMessage } }));
    const alert = rahnama.services.texts.get("safety", "alert", "eng").text.slice(0, 40);
    const alerts = () => graph.messagesTo(from).filter((message) => message.text?.body.includes(alert));

    await rig.stopRedis();
    const refused = await post(body);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(await rig.unstoredEscalations()).toBeGreaterThanOrEqual(1);
    expect(await rig.readyz()).toBe(503);

    await rig.restartRedis();
    const statuses = await rig.redeliverUntilAccepted(() => post(body));
    expect(statuses.at(-1), `deliveries after Redis came back: ${statuses.join(" ")}`).toBe(200);
    await graph.waitFor(() => alerts()[0]);
    expect((await post(body)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(alerts()).toHaveLength(1);
    const queued = (await rahnama.services.desk.queue(new Date())).filter(
      (entry) => entry.conversationKey === `whatsapp:${from}`,
    );
    expect(queued).toMatchObject([{ reason: "safety" }]);
  });
});
