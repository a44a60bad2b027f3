import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxJsonDepth } from "../../src/server/json-body.js";
import { textUpdate } from "../channels/telegram/fake-telegram.js";
import { startPublicRoutesApp, type PublicRoutesApp } from "./public-routes-app.js";

const levels = 10_000;
const deepObject = `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const deepArray = `${"[".repeat(levels)}${"]".repeat(levels)}`;

async function refusedAsInvalid(response: Response): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("RAHNAMA_ERR_INPUT_INVALID");
  expect(body.error.message).toMatch(/nests deeper than 64 levels/);
}

/**
 * Issue 13 (Low): a JSON body 10,000 levels deep was parsed, then overflowed the stack where it was
 * stored (JSON.stringify is recursive), and the client got a 500. Every JSON route now refuses it as
 * invalid input before building it.
 */
describe("a JSON body nested 10,000 levels deep", { timeout: 120_000 }, () => {
  let app: PublicRoutesApp;

  beforeAll(async () => {
    app = await startPublicRoutesApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("is refused with 400 by Direct Line, whether it is the whole activity or hidden in channelData", async () => {
    const conversation = await app.directLine.start();
    const path = `/v3/directline/conversations/${conversation.conversationId}/activities`;
    const auth = { authorization: `Bearer ${conversation.token}` };
    await refusedAsInvalid(await app.post(path, deepArray, auth));
    const hidden = `{"type":"message","from":{"id":"u"},"text":"hello","channelData":{"x":${deepObject}}}`;
    await refusedAsInvalid(await app.post(path, hidden, auth));
    await refusedAsInvalid(await app.post("/v3/directline/conversations", deepObject));
    await refusedAsInvalid(await app.post("/v3/directline/tokens/generate", deepArray));
  });

  it("is refused with 400 by the console API, the Telegram webhook and the (signed) WhatsApp webhook", async () => {
    await refusedAsInvalid(await app.post("/console/api/login", `{"id":"amina","password":${deepArray}}`));
    const session = await app.console.login("amina");
    await refusedAsInvalid(
      await app.post("/console/api/logout", deepObject, { cookie: session.cookie, "x-csrf-token": session.csrf }),
    );
    await refusedAsInvalid(await app.postTelegram(`{"update_id":1,"message":${deepObject}}`));
    await refusedAsInvalid(await app.postWhatsApp(`{"object":"whatsapp_business_account","entry":${deepArray}}`));
  });

  it("does not count brackets inside strings, and reads ordinary nesting as before", async () => {
    const conversation = await app.directLine.start();
    const response = await app.directLine.post(conversation, {
      type: "message",
      from: { id: "u" },
      text: `hello ${"[{".repeat(200)}`,
      channelData: { nested: JSON.parse(`${"[".repeat(maxJsonDepth - 3)}${"]".repeat(maxJsonDepth - 3)}`) as unknown },
    });
    expect(response.status).toBe(200);
    const telegram = await app.postTelegram(JSON.stringify({ update_id: 5, ...textUpdate(7201, "hello") }));
    expect(telegram.status).toBe(200);
    await app.telegram.waitFor(() => app.telegram.sentTo(7201)[0]);
  });
});
