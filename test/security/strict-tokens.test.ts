import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminPagePlugin } from "../../channels/whatsapp-web/admin-page.js";
import { sign, webhookPayload } from "../channels/whatsapp-cloud/fake-graph.js";
import { consolePassword } from "../helpers/console-client.js";
import { startPublicRoutesApp, type PublicRoutesApp } from "./public-routes-app.js";

/**
 * Issue 13 (Low): a Direct Line token with extra segments was accepted (only the first two were read),
 * and so was a WhatsApp signature with anything after its 64 hex digits, or an admin token followed by
 * more. Every token and signature is now read exactly as it was written, or refused.
 */
describe("tokens with extra segments or trailing data", { timeout: 120_000 }, () => {
  let app: PublicRoutesApp;

  beforeAll(async () => {
    app = await startPublicRoutesApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("a Direct Line token opens its conversation only exactly as issued", async () => {
    const conversation = await app.directLine.start();
    const read = (token: string) =>
      fetch(`${app.running.url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await read(conversation.token)).status).toBe(200);
    for (const altered of [
      `${conversation.token}.`,
      `${conversation.token}.extra`,
      `${conversation.token}.${conversation.token}`,
      `${conversation.token} trailing`,
      `${conversation.token}=`,
      `x.${conversation.token}`,
    ]) {
      expect([401, 403], altered).toContain((await read(altered)).status);
    }
    const refreshed = await fetch(`${app.running.url}/v3/directline/tokens/refresh`, {
      method: "POST",
      headers: { authorization: `Bearer ${conversation.token}.extra` },
    });
    expect(refreshed.status).toBe(403);
  });

  it("a WhatsApp webhook signature is the 64 hex digits and nothing more", async () => {
    const body = JSON.stringify(webhookPayload("8801711000002", { type: "text", text: { body: "hello" } }));
    const post = (signature: string) => app.post("/webhooks/whatsapp", body, { "x-hub-signature-256": signature });
    for (const altered of [`${sign(body)}00`, `${sign(body)}zz`, `${sign(body)}.0`, `${sign(body)},sha256=00`]) {
      expect((await post(altered)).status, altered).toBe(401);
    }
    expect(app.graph.received).toEqual([]);
    expect((await post(sign(body))).status).toBe(200);
  });

  it("the console's session and device cookies are read only in the shape they were given", async () => {
    const login = await app.post("/console/api/login", JSON.stringify({ id: "amina", password: consolePassword }));
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie().map((cookie) => cookie.split(";")[0] ?? "");
    const session = cookies.find((cookie) => cookie.startsWith("rahnama_console=")) ?? "";
    const device = cookies.find((cookie) => cookie.startsWith("rahnama_console_device=")) ?? "";
    const who = (cookie: string) => fetch(`${app.running.url}/console/api/session`, { headers: { cookie } });
    expect((await who(session)).status).toBe(200);
    for (const altered of [`${session}.extra`, `${session}=`, `${session}x`, `${session} x`]) {
      expect((await who(altered)).status, altered).toBe(401);
    }

    // Five wrong passwords lock the address for a browser the account never used: only a device cookie
    // exactly as set still lets her in.
    for (let i = 0; i < 6; i += 1) {
      await app.post("/console/api/login", JSON.stringify({ id: "amina", password: `guess ${String(i)}` }));
    }
    const withDevice = (cookie: string) =>
      app.post("/console/api/login", JSON.stringify({ id: "amina", password: consolePassword }), { cookie });
    expect((await withDevice(`${device}.extra`)).status).toBe(429);
    expect((await withDevice(`${device}=`)).status).toBe(429);
    expect((await withDevice(device)).status).toBe(200);
  });

  it("the WhatsApp Web admin page takes its token alone, not followed by anything", async () => {
    const adminToken = "admin-token-admin-token-123456";
    const server = Fastify();
    await server.register(
      adminPagePlugin({
        adminToken,
        status: () => ({ state: "connected", qr: null, since: new Date(), nextAttemptAt: null, lastProblem: null }),
      }),
    );
    const page = async (authorization: string) =>
      (await server.inject({ method: "GET", url: "/admin/whatsapp-web", headers: { authorization } })).statusCode;
    const basic = (secret: string) => `Basic ${Buffer.from(`admin:${secret}`).toString("base64")}`;
    expect(await page(`Bearer ${adminToken}`)).toBe(200);
    expect(await page(basic(adminToken))).toBe(200);
    expect(await page(`Bearer ${adminToken} trailing`)).toBe(401);
    expect(await page(`Bearer ${adminToken} ${adminToken}`)).toBe(401);
    expect(await page(`${basic(adminToken)} trailing`)).toBe(401);
    expect(await page(`${basic(adminToken)}*`)).toBe(401);
    await server.close();
  });
});
