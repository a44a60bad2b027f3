import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import { textUpdate } from "../channels/telegram/fake-telegram.js";
import { webhookPayload } from "../channels/whatsapp-cloud/fake-graph.js";
import { startPublicRoutesApp, type PublicRoutesApp } from "./public-routes-app.js";

const maxChars = 2_000;

/** A message far over the limit, whose end (someone else's details pasted in) must not be kept. */
function wallOfText(start: string): { text: string; tail: string } {
  const tail = "TAIL: Karim Uddin, passport BX0987654, phone +8801711000000";
  return {
    text: `${start} ${"I would like to know which documents the visa office wants. ".repeat(120)}${tail}`,
    tail,
  };
}

/**
 * Issue 13 (Low): a message longer than MAX_MESSAGE_CHARS on Telegram or WhatsApp was stored whole in the
 * transcript (kept for the retention period, shown in the console) before the bot refused it as too long.
 */
describe("a message over MAX_MESSAGE_CHARS, on every channel", { timeout: 120_000 }, () => {
  let app: PublicRoutesApp;
  let rahnama: Rahnama;

  const userEntries = async (key: string) =>
    (await rahnama.services.transcripts.read(key)).filter((entry) => entry.from === "user");

  beforeAll(async () => {
    app = await startPublicRoutesApp({ MAX_MESSAGE_CHARS: String(maxChars) });
    rahnama = await app.running.ready;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("on Telegram is kept only up to the limit, marked as cut, and answered with 'please write less'", async () => {
    const { text, tail } = wallOfText("I paid the agent 4 lakh taka for a visa to Malaysia");
    expect(text.length).toBeGreaterThan(maxChars * 2);
    const response = await app.postTelegram(JSON.stringify({ update_id: 1, ...textUpdate(7101, text) }));
    expect(response.status).toBe(200);
    const [entry] = await userEntries("telegram:7101");
    expect(entry?.text.startsWith(text.slice(0, maxChars))).toBe(true);
    expect(entry?.text).not.toContain(tail);
    expect(entry?.text).toMatch(/\[…cut: \d+ characters in all\]$/);
    expect(entry?.text.length).toBeLessThan(maxChars + 50);
    const reply = await app.telegram.waitFor(() => app.telegram.sentTo(7101)[0]);
    expect(reply.text).toContain(String(maxChars));
  });

  it("on WhatsApp is kept only up to the limit too", async () => {
    const { text, tail } = wallOfText("I paid the agent 4 lakh taka for a visa to Malaysia");
    const response = await app.postWhatsApp(
      JSON.stringify(webhookPayload("8801711000001", { type: "text", text: { body: text } })),
    );
    expect(response.status).toBe(200);
    const [entry] = await userEntries("whatsapp:8801711000001");
    expect(entry?.text.startsWith(text.slice(0, maxChars))).toBe(true);
    expect(entry?.text).not.toContain(tail);
    expect(entry?.text.length).toBeLessThan(maxChars + 50);
  });

  it("still reaches the safety check first: a long cry for help is not answered 'please write less'", async () => {
    const { text, tail } = wallOfText(
      "Please help me, my employer took my passport, beats me and locks me in the house.",
    );
    const response = await app.postTelegram(JSON.stringify({ update_id: 2, ...textUpdate(7102, text) }));
    expect(response.status).toBe(200);
    const entries = await userEntries("telegram:7102");
    expect(entries[0]?.text).not.toContain(tail);
    const reply = await app.telegram.waitFor(() => app.telegram.sentTo(7102)[0]);
    expect(reply.text).not.toContain("very long");
    const conversation = await rahnama.services.conversations.load(
      { channel: "telegram", user: "", conversation: "7102" },
      new Date(),
    );
    // Escalated, or (in the grey zone) asked whether someone is in danger now.
    expect(conversation.safety || conversation.safetyQuestion !== null).toBe(true);
  });

  it("keeps a message of exactly the limit whole", async () => {
    const text = "x".repeat(maxChars - 5) + " end.";
    await app.postTelegram(JSON.stringify({ update_id: 3, ...textUpdate(7103, text) }));
    expect((await userEntries("telegram:7103"))[0]?.text).toBe(text);
  });

  it("in web chat is refused before anything is stored, as before", async () => {
    const conversation = await app.directLine.start();
    const { text } = wallOfText("I paid the agent");
    const response = await app.directLine.post(conversation, { type: "message", from: { id: "u" }, text });
    expect(response.status).toBe(413);
    expect(await userEntries(`webchat:${conversation.conversationId}`)).toEqual([]);
  });
});
