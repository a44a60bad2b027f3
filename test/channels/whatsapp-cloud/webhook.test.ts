import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutsideWindowError } from "../../../channels/whatsapp-cloud/index.js";
import type { Outbound } from "../../../src/core/message.js";
import type { RunningApp } from "../../../src/run.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { startTestApp } from "../../helpers/app.js";
import { FakeGraph, sign, verifyToken, wamid, webhookPayload, whatsappEnv } from "./fake-graph.js";

const outbound = (text: string): Outbound => ({
  text,
  lang: "eng",
  direction: "ltr",
  quickReplies: [],
  citations: [],
  meta: { intent: null, confidence: null, lang: "eng", handoff: null, safety: false },
});

describe("WhatsApp Cloud API channel, whole app against a fake Graph API", () => {
  const graph = new FakeGraph();
  const store = new MemoryStore();
  let running: RunningApp;

  beforeAll(async () => {
    await graph.start();
    running = await startTestApp({ env: whatsappEnv(graph), store });
  });
  afterAll(async () => {
    await running.close();
    await graph.stop();
  });

  function post(body: string, signature: string | null = sign(body)): Promise<Response> {
    return fetch(`${running.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
      body,
    });
  }

  async function send(from: string, message: Record<string, unknown>): Promise<string> {
    const payload = webhookPayload(from, message);
    const response = await post(JSON.stringify(payload));
    expect(response.status).toBe(200);
    return (
      (payload.entry as { changes: { value: { messages: { id: string }[] } }[] }[])[0]?.changes[0]?.value.messages[0]
        ?.id ?? ""
    );
  }

  const text = (body: string) => ({ type: "text", text: { body } });

  it("answers Meta's verification handshake only with the right verify token", async () => {
    const ok = await fetch(
      `${running.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(
      `${running.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1158201444`,
    );
    expect(wrong.status).toBe(403);
    const noMode = await fetch(`${running.url}/webhooks/whatsapp?hub.verify_token=${verifyToken}&hub.challenge=1`);
    expect(noMode.status).toBe(403);
  });

  it("keeps its raw-body parser to itself: other routes still read JSON", async () => {
    const started = await fetch(`${running.url}/v3/directline/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(started.status).toBe(201);
  });

  it("answers an Urdu greeting in Urdu with the menu as a list, and marks the message read", async () => {
    const from = "923001110001";
    const id = await send(from, text("السلام علیکم"));
    const list = await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "list"));
    const [welcome] = graph.messagesTo(from);
    expect(welcome?.type).toBe("text");
    expect(welcome?.text?.body).toContain("رہنما");
    expect(list.interactive?.body.text).toContain("آپ کس بارے میں جاننا چاہتے ہیں؟");
    const rows = list.interactive?.action.sections?.[0]?.rows ?? [];
    expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => `o:${String(i + 1)}`));
    for (const row of rows) expect(Array.from(row.title).length).toBeLessThanOrEqual(24);
    expect(graph.readReceipts()).toContain(id);
    const request = graph.accepted.find((r) => r.body.to === from);
    expect(request?.path).toBe("/v21.0/1234567890123/messages");
    expect(request?.authorization).toBe("Bearer EAAG-test-token-0123456789abcdef");
  });

  it("runs the action behind a tapped list row, and behind a typed option number", async () => {
    const from = "447700900002";
    await send(from, text("hello"));
    const list = await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "list"));
    const rows = list.interactive?.action.sections?.[0]?.rows ?? [];
    const counsellor = rows.find((row) => row.title === "Talk to a counsellor");
    expect(counsellor?.id).toBe("o:9");

    await send(from, {
      type: "interactive",
      interactive: { type: "list_reply", list_reply: { id: counsellor?.id, title: counsellor?.title } },
    });
    await graph.waitFor(() => graph.messagesTo(from).find((m) => m.text?.body.includes("I have asked a counsellor")));

    const other = "447700900003";
    await send(other, text("menu"));
    await graph.waitFor(() => graph.messagesTo(other).find((m) => m.interactive?.type === "list"));
    await send(other, text("2"));
    const feeCheck = await graph.waitFor(() =>
      graph
        .messagesTo(other)
        .find((m) => (m.text?.body ?? m.interactive?.body.text ?? "").includes("Let's check the fee")),
    );
    expect(feeCheck).toBeDefined();
  });

  it("runs the action behind a tapped reply button", async () => {
    const from = "447700900004";
    await send(from, { type: "image", image: { id: "1479537139650973", mime_type: "image/jpeg" } });
    const buttons = await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "button"));
    expect(buttons.interactive?.body.text).toContain("I can only read written messages");
    const [button] = buttons.interactive?.action.buttons ?? [];
    expect(button?.reply).toEqual({ id: "o:1", title: "Talk to a counsellor" });
    await send(from, {
      type: "interactive",
      interactive: { type: "button_reply", button_reply: button?.reply },
    });
    await graph.waitFor(() => graph.messagesTo(from).find((m) => m.text?.body.includes("I have asked a counsellor")));
  });

  it("answers a cost question from the leaflets, with the source's link", async () => {
    const from = "8801711000005";
    await send(from, text("how much does it cost to go to work in Saudi Arabia from Bangladesh?"));
    const answer = await graph.waitFor(() =>
      graph.messagesTo(from).find((m) => /https?:\/\//.test(m.text?.body ?? m.interactive?.body.text ?? "")),
    );
    expect(answer.to).toBe(from);
  });

  it("refuses unsigned and wrongly signed calls with 401 and does nothing", async () => {
    const from = "447700900006";
    const payload = webhookPayload(from, text("hello"));
    const body = JSON.stringify(payload);
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, sign(body, "some-other-app-secret-000000"))).status).toBe(401);
    expect((await post(body, "sha256=zz")).status).toBe(401);
    expect((await post(body, sign(`${body} `))).status).toBe(401);
    // A later valid message is answered; whatever the refused calls would have caused would come first.
    await send(from, { type: "sticker", sticker: { id: "99", mime_type: "image/webp" } });
    await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "button"));
    expect(graph.messagesTo(from)).toHaveLength(1);
    const refusedId = (payload.entry as { changes: { value: { messages: { id: string }[] } }[] }[])[0]?.changes[0]
      ?.value.messages[0]?.id;
    expect(graph.readReceipts()).not.toContain(refusedId);
  });

  it("answers 400 to malformed JSON or payloads and keeps serving", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ object: "page", entry: [] }))).status).toBe(400);
    expect(
      (await post(JSON.stringify({ object: "whatsapp_business_account", entry: [{ changes: [{}] }] }))).status,
    ).toBe(400);
    const from = "447700900007";
    await send(from, text("hello"));
    await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "list"));
  });

  it("ignores statuses and reactions, and answers a redelivered message once", async () => {
    const from = "447700900008";
    const statuses = {
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: { statuses: [{ id: "wamid.x", status: "delivered", recipient_id: from }] },
            },
          ],
        },
      ],
    };
    expect((await post(JSON.stringify(statuses))).status).toBe(200);
    await send(from, { type: "reaction", reaction: { message_id: "wamid.x", emoji: "👍" } });

    const id = wamid();
    await send(from, { id, ...text("hello") });
    await send(from, { id, ...text("hello") });
    await send(from, { type: "audio", audio: { id: "55", mime_type: "audio/ogg" } });
    await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "button"));
    const sent = graph.messagesTo(from);
    expect(sent.filter((m) => m.interactive?.type === "list")).toHaveLength(1);
    expect(sent.filter((m) => m.text?.body.includes("Rahnama"))).toHaveLength(1);
  });

  it("waits out Meta's rate-limit answers (130429, 131056) and delivers every reply once, in order", async () => {
    const from = "447700900012";
    const before = graph.received.length;
    graph.refuse({ status: 400, code: 130429 }, "ok", { status: 400, code: 131056 });
    await send(from, text("hello"));
    await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "list"));
    expect(graph.messagesTo(from).map((m) => m.type)).toEqual(["text", "interactive"]);
    const attempts = graph.received.slice(before).filter((r) => r.body.to === from);
    expect(attempts.map((r) => r.body.type)).toEqual(["text", "text", "interactive", "interactive"]);
  });

  it("sends a counsellor's message inside the 24-hour window, and refuses outside it without a template", async () => {
    const adapter = running.channels.find((channel) => channel.name === "whatsapp");
    expect(adapter).toBeDefined();
    const recent = "447700900009";
    await send(recent, text("hello"));
    await adapter?.send({ channel: "whatsapp", user: "hashed", conversation: recent }, [outbound("Counsellor here.")]);
    expect(graph.messagesTo(recent).some((m) => m.text?.body === "Counsellor here.")).toBe(true);

    const old = "447700900010";
    await store.set(`whatsapp:last-inbound:${old}`, new Date(Date.now() - 25 * 3600 * 1000).toISOString());
    await expect(
      adapter?.send({ channel: "whatsapp", user: "hashed", conversation: old }, [outbound("Counsellor here.")]),
    ).rejects.toBeInstanceOf(OutsideWindowError);
    const never = "447700900011";
    await expect(
      adapter?.send({ channel: "whatsapp", user: "hashed", conversation: never }, [outbound("Counsellor here.")]),
    ).rejects.toBeInstanceOf(OutsideWindowError);
    expect(graph.received.filter((r) => r.body.to === old || r.body.to === never)).toEqual([]);
  });
});
