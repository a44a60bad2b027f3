import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { RunningApp } from "../../../src/run.js";
import { projectRoot } from "../../../src/paths.js";
import { DirectLineClient, startTestApp, type ActivityJson } from "../../helpers/app.js";

const message = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "message",
  from: { id: "user-1" },
  text,
  ...extra,
});

function openStream(url: string): Promise<{
  socket: WebSocket;
  frames: { activities: ActivityJson[]; watermark?: string }[];
  next: (predicate: (a: ActivityJson) => boolean) => Promise<ActivityJson>;
}> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const frames: { activities: ActivityJson[]; watermark?: string }[] = [];
    const waiters: { predicate: (a: ActivityJson) => boolean; resolve: (a: ActivityJson) => void }[] = [];
    socket.on("message", (data) => {
      const text = (data as Buffer).toString("utf8");
      if (!text) return;
      const frame = JSON.parse(text) as { activities: ActivityJson[]; watermark?: string };
      frames.push(frame);
      for (const activity of frame.activities) {
        for (const waiter of [...waiters]) {
          if (waiter.predicate(activity)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(activity);
          }
        }
      }
    });
    socket.once("open", () =>
      resolve({
        socket,
        frames,
        next: (predicate) =>
          new Promise((done) => {
            const seen = frames.flatMap((f) => f.activities).find(predicate);
            if (seen) done(seen);
            else waiters.push({ predicate, resolve: done });
          }),
      }),
    );
    socket.once("error", reject);
  });
}

describe("Direct Line 3.0 web chat endpoint", () => {
  let running: RunningApp;
  let client: DirectLineClient;
  beforeAll(async () => {
    running = await startTestApp();
    client = new DirectLineClient(running.url);
  });
  afterAll(async () => {
    await running.close();
  });

  it("holds a conversation over HTTP: post, then read by watermark", async () => {
    const conversation = await client.start();
    expect(conversation.streamUrl).toMatch(/^ws:\/\/.+\/stream\?t=/);
    const posted = await client.post(
      conversation,
      message("what papers do I need to work abroad from bangladesh?", { channelData: { clientActivityID: "c-1" } }),
    );
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };

    const page = await client.activities(conversation);
    expect(page.activities[0]).toMatchObject({
      id,
      from: { role: "user" },
      text: "what papers do I need to work abroad from bangladesh?",
    });
    const answer = page.activities.find((a) => a.from.role === "bot");
    expect(answer?.replyToId).toBe(id);
    expect(answer?.channelData?.rahnama).toMatchObject({ lang: "eng", safety: false, handoff: null });
    expect(["fallback", "documents", "visas-permits"]).toContain(answer?.channelData?.rahnama?.intent);
    // The citation carries the date the leaflet was last checked, as the leaflet's front matter says.
    const reviewed = /^reviewed: (\S+)$/m.exec(
      readFileSync(path.join(projectRoot, "knowledge", "leaflets", "eng", "bd-documents-to-work-abroad.md"), "utf8"),
    )?.[1];
    expect(reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(answer?.channelData?.rahnama?.citations[0]).toMatchObject({
      leafletId: "bd-documents-to-work-abroad",
      reviewed,
    });
    expect(answer?.suggestedActions?.actions.map((a) => a.value.action)).toContain("intent:counsellor");

    const later = await client.activities(conversation, Number(page.watermark));
    expect(later.activities).toEqual([]);
    expect(later.watermark).toBe(page.watermark);
  });

  it("starts a conversation when a client sends an empty JSON body, as Direct Line clients do", async () => {
    const response = await fetch(`${running.url}/v3/directline/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(201);
    const started = (await response.json()) as { conversationId: string; token: string; expires_in: number };
    expect(started.expires_in).toBe(3600);
    const resumed = await fetch(`${running.url}/v3/directline/conversations/${started.conversationId}`, {
      headers: { authorization: `Bearer ${started.token}` },
    });
    expect(resumed.status).toBe(200);
  });

  it("streams activities over the WebSocket, and replays what was missed from a watermark", async () => {
    const conversation = await client.start();
    const stream = await openStream(conversation.streamUrl);
    await client.post(conversation, message("hello"));
    const greeting = await stream.next((a) => a.from.role === "bot" && a.channelData?.rahnama?.intent === "greeting");
    expect(greeting.text).toContain("Rahnama");
    stream.socket.close();

    const replay = await openStream(`${conversation.streamUrl}&watermark=0`);
    const first = await replay.next(() => true);
    expect(first.text).toBe("hello");
    replay.socket.close();

    // Reconnecting as Web Chat does: ask for the conversation again with the last watermark seen.
    const resumed = await fetch(
      `${running.url}/v3/directline/conversations/${conversation.conversationId}?watermark=1`,
      { headers: { authorization: `Bearer ${conversation.token}` } },
    );
    const { streamUrl } = (await resumed.json()) as { streamUrl: string };
    expect(streamUrl).toContain("&watermark=1");
    const rest = await openStream(streamUrl);
    const next = await rest.next(() => true);
    expect(next.from.role).toBe("bot");
    rest.socket.close();
  });

  it("answers a duplicate activity id only once", async () => {
    const conversation = await client.start();
    const activity = message("thank you", { channelData: { clientActivityID: "same-id" } });
    const first = (await (await client.post(conversation, activity)).json()) as { id: string };
    const second = (await (await client.post(conversation, activity)).json()) as { id: string };
    expect(second.id).toBe(first.id);
    const { activities } = await client.activities(conversation);
    expect(activities.filter((a) => a.from.role === "user")).toHaveLength(1);
    expect(activities.filter((a) => a.from.role === "bot")).toHaveLength(1);
  });

  it("turns a quick reply's value into the action it names", async () => {
    const conversation = await client.start();
    await client.post(conversation, message("Talk to a counsellor", { value: { action: "intent:counsellor" } }));
    const bot = (await client.activities(conversation)).activities.find((a) => a.from.role === "bot");
    expect(bot?.channelData?.rahnama).toMatchObject({ intent: "counsellor", handoff: { status: "pending" } });
  });

  it("refuses malformed JSON, oversized messages and bodies with a 4xx, and keeps serving", async () => {
    const conversation = await client.start();
    const url = `${running.url}/v3/directline/conversations/${conversation.conversationId}/activities`;
    const headers = { authorization: `Bearer ${conversation.token}`, "content-type": "application/json" };

    const malformed = await fetch(url, { method: "POST", headers, body: '{"type":"message",' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "RAHNAMA_ERR_INPUT_INVALID" } });

    const missingFrom = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ type: "message", text: "hi" }),
    });
    expect(missingFrom.status).toBe(400);
    expect(((await missingFrom.json()) as { error: { message: string } }).error.message).toContain("from");

    const tooLong = await client.post(conversation, message("a".repeat(2_001)));
    expect(tooLong.status).toBe(413);
    expect(await tooLong.json()).toMatchObject({ error: { code: "RAHNAMA_ERR_INPUT_TOO_LARGE" } });

    const hugeBody = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(message("hi", { padding: "x".repeat(100_000) })),
    });
    expect(hugeBody.status).toBe(413);

    const stillServing = await client.post(conversation, message("hello"));
    expect(stillServing.status).toBe(200);
    const { activities } = await client.activities(conversation);
    expect(activities.filter((a) => a.from.role === "user").map((a) => a.text)).toEqual(["hello"]);
  });

  it("keeps conversations private: no token is 401, another conversation's token is 403", async () => {
    const mine = await client.start();
    const theirs = await client.start();
    const noToken = await fetch(`${running.url}/v3/directline/conversations/${mine.conversationId}/activities`);
    expect(noToken.status).toBe(401);
    const wrongToken = await client.post(mine, message("hi"), theirs.token);
    expect(wrongToken.status).toBe(403);
    const forged = await client.post(mine, message("hi"), `${mine.token}x`);
    expect(forged.status).toBe(403);

    const refused = new WebSocket(theirs.streamUrl.replace(theirs.conversationId, mine.conversationId));
    const code = await new Promise<number>((resolve) => refused.once("close", (closeCode) => resolve(closeCode)));
    expect(code).toBe(4401);
  });

  it("answers CORS preflights with the headers Web Chat needs", async () => {
    const response = await fetch(`${running.url}/v3/directline/conversations`, {
      method: "OPTIONS",
      headers: { origin: "https://mrc.example.org", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toBe(
      "authorization, content-type, x-ms-bot-agent, x-requested-with",
    );
  });

  it("serves the widget at / small enough for 2G", async () => {
    const html = await fetch(`${running.url}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");
    const page = await html.text();
    const assets = await Promise.all(
      ["/widget.js", "/widget.css"].map(async (asset) => (await fetch(`${running.url}${asset}`)).text()),
    );
    const total = Buffer.byteLength(page) + assets.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(total).toBeLessThan(50 * 1024);
    expect(page).not.toMatch(/https?:\/\//);
  });
});
