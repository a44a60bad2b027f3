import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Outbound } from "../../../src/core/message.js";
import type { RunningApp } from "../../../src/run.js";
import { startTestApp } from "../../helpers/app.js";
import { FakeConnector } from "./fake-connector.js";

function activity(connector: FakeConnector, conversationId: string, extra: Record<string, unknown>) {
  return {
    type: "message",
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: "emulator",
    serviceUrl: connector.url,
    from: { id: "user-1", name: "Ayesha", role: "user" },
    recipient: { id: "rahnama-bot", name: "Rahnama", role: "bot" },
    conversation: { id: conversationId },
    locale: "en-US",
    ...extra,
  };
}

function post(running: RunningApp, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${running.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  });
}

describe("Bot Framework channel at /api/messages (no app id: emulator mode)", () => {
  let running: RunningApp;
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await FakeConnector.start();
    running = await startTestApp({ env: { BOTFRAMEWORK_EMULATOR_URL: connector.url } });
  });
  afterAll(async () => {
    await running?.close();
    await connector?.close();
  });

  it("greets with suggested actions, as a reply to the person's message", async () => {
    const conversation = `conv-${randomUUID()}`;
    const greeting = activity(connector, conversation, { text: "hello" });
    const response = await post(running, greeting);
    expect(response.status).toBe(200);
    const calls = connector.to(conversation);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.replyToId).toBe(greeting.id);
      expect(call.activity.type).toBe("message");
      expect(call.activity.textFormat).toBe("markdown");
      expect(call.activity.text?.length).toBeGreaterThan(0);
    }
    const actions = calls.flatMap((call) => call.activity.suggestedActions?.actions ?? []);
    expect(actions.map((action) => action.title)).toContain("Talk to a counsellor");
    for (const action of actions) {
      expect(action.type).toBe("messageBack");
      expect(action.text).toBe(action.title);
      expect(action.value?.action).toMatch(/^[a-z-]+:/);
    }
  });

  it("runs the action of a tapped suggested action, whatever its words", async () => {
    const conversation = `conv-${randomUUID()}`;
    await post(running, activity(connector, conversation, { text: "hello" }));
    const offered = connector.to(conversation).flatMap((call) => call.activity.suggestedActions?.actions ?? []);
    const findMrc = offered.find((action) => action.value?.action === "intent:find-mrc");
    expect(findMrc).toBeDefined();
    // messageBack sends the value; the text is what the button said (here deliberately something else).
    const tap = activity(connector, conversation, { text: "zzz", value: findMrc?.value });
    expect((await post(running, tap)).status).toBe(200);
    const replies = connector.to(conversation).filter((call) => call.replyToId === tap.id);
    expect(replies.length).toBeGreaterThan(0);
    // The find-MRC flow asks for the country, offering countries as suggested actions.
    const offeredNext = replies.flatMap((call) => call.activity.suggestedActions?.actions ?? []);
    expect(offeredNext.map((action) => action.value?.action)).toContain("flow:country:BD");
  });

  it("answers a cost question with the leaflet's sources as Markdown links", async () => {
    const conversation = `conv-${randomUUID()}`;
    const question = activity(connector, conversation, {
      text: "how much does it cost to go to saudi from bangladesh",
    });
    expect((await post(running, question)).status).toBe(200);
    const text = connector
      .to(conversation)
      .map((call) => call.activity.text ?? "")
      .join("\n");
    expect(text).toContain("Source:");
    expect(text).toMatch(/^- \[[^\]]+\]\(https?:\/\/[^)]+\)$/m);
  });

  it("answers a photo without words with the media reply and a counsellor button", async () => {
    const conversation = `conv-${randomUUID()}`;
    const photo = activity(connector, conversation, {
      text: "",
      attachments: [{ contentType: "image/jpeg", contentUrl: "https://example.org/photo.jpg", name: "photo.jpg" }],
    });
    expect((await post(running, photo)).status).toBe(200);
    const [reply] = connector.to(conversation);
    expect(reply?.activity.text?.length).toBeGreaterThan(0);
    expect(reply?.activity.suggestedActions?.actions.map((action) => action.value?.action)).toEqual([
      "intent:counsellor",
    ]);
  });

  it("answers a message whose attachments lack a contentType or are not objects, instead of failing", async () => {
    const conversation = `conv-${randomUUID()}`;
    const odd = activity(connector, conversation, {
      text: "hello",
      attachments: [{ contentUrl: "https://example.org/file" }, "not an attachment", { contentType: 5 }],
      entities: ["not an entity"],
    });
    expect((await post(running, odd)).status).toBe(200);
    expect(connector.to(conversation).length).toBeGreaterThan(0);
  });

  it("ignores conversationUpdate and typing activities without answering", async () => {
    const conversation = `conv-${randomUUID()}`;
    const joined = activity(connector, conversation, {
      type: "conversationUpdate",
      membersAdded: [{ id: "user-1" }, { id: "rahnama-bot" }],
    });
    expect((await post(running, joined)).status).toBe(200);
    expect((await post(running, activity(connector, conversation, { type: "typing" }))).status).toBe(200);
    expect(connector.to(conversation)).toHaveLength(0);
  });

  it("without an app id, serves only the emulator's connector (no replies to other serviceUrls)", async () => {
    const conversation = `conv-${randomUUID()}`;
    const elsewhere = { ...activity(connector, conversation, { text: "hello" }), serviceUrl: "http://10.0.0.7:8080" };
    expect((await post(running, elsewhere)).status).toBe(401);
    const withSlash = activity(connector, conversation, { text: "hello", serviceUrl: `${connector.url}/` });
    expect((await post(running, withSlash)).status).toBe(200);
    expect(connector.to(conversation).length).toBeGreaterThan(0);
  });

  it("refuses a body that is not an activity", async () => {
    expect((await post(running, { text: "no type" })).status).toBe(400);
  });

  it("writes to a known conversation later (a counsellor's reply) and refuses an unknown one", async () => {
    const conversation = `conv-${randomUUID()}`;
    const hello = activity(connector, conversation, { text: "hello" });
    await post(running, hello);
    const channel = running.channels.find((candidate) => candidate.name === "botframework");
    expect(channel).toBeDefined();
    const message: Outbound = {
      text: "A counsellor here: **we can meet on Sunday**.",
      lang: "eng",
      direction: "ltr",
      quickReplies: [],
      citations: [],
      meta: { intent: null, confidence: null, lang: "eng", handoff: { status: "open" }, safety: false },
    };
    const address = { channel: "botframework" as const, user: "someone", conversation };
    await channel?.send(address, [message]);
    const later = connector.to(conversation).filter((call) => call.activity.text?.startsWith("A counsellor here"));
    expect(later).toHaveLength(1);
    expect(later[0]?.activity.text).toBe("A counsellor here: **we can meet on Sunday**.");
    // Not an answer to anything the person sent (botbuilder replies to its own continuation event).
    expect(later[0]?.replyToId).not.toBe(hello.id);
    await expect(channel?.send({ ...address, conversation: "never-seen" }, [message])).rejects.toThrow(
      /No Bot Framework conversation/,
    );
  });
});

describe("Bot Framework channel with MICROSOFT_APP_ID/PASSWORD set", () => {
  let running: RunningApp;
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await FakeConnector.start();
    running = await startTestApp({
      env: { MICROSOFT_APP_ID: "00000000-0000-4000-8000-000000000001", MICROSOFT_APP_PASSWORD: "not-a-real-secret" },
    });
  });
  afterAll(async () => {
    await running?.close();
    await connector?.close();
  });

  // Only refusals are tested: accepting a real token and answering would fetch Microsoft's signing keys
  // and an outgoing token from login.microsoftonline.com, which tests must not reach.
  it("refuses a message without a token, and nothing reaches the connector", async () => {
    const conversation = `conv-${randomUUID()}`;
    const response = await post(running, activity(connector, conversation, { text: "hello" }));
    expect(response.status).toBe(401);
    expect(connector.calls).toHaveLength(0);
  });

  it("refuses a token that is not a JWT, and nothing reaches the connector", async () => {
    const conversation = `conv-${randomUUID()}`;
    const response = await post(running, activity(connector, conversation, { text: "hello" }), {
      authorization: "Bearer not-a-token",
    });
    expect(response.status).toBe(401);
    expect(connector.calls).toHaveLength(0);
  });
});
