import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../src/run.js";
import { startTestApp } from "../helpers/app.js";
import { testConfig } from "../helpers/rahnama.js";
import { FakeConnector } from "../channels/botframework/fake-connector.js";

/** A server on this machine that only records whatever reaches it: a port the bot must never post to. */
async function listener(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(`${request.method ?? ""} ${request.url ?? ""}`);
    response.writeHead(200, { "content-type": "application/json" }).end('{"id":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function activity(serviceUrl: string, text = "hello") {
  return {
    type: "message",
    id: randomUUID(),
    channelId: "emulator",
    serviceUrl,
    from: { id: "user-1", role: "user" },
    recipient: { id: "rahnama-bot", role: "bot" },
    conversation: { id: `conv-${randomUUID()}` },
    locale: "en-US",
    text,
  };
}

function post(running: RunningApp, body: unknown): Promise<Response> {
  return fetch(`${running.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/**
 * Issue 13, item 9: /api/messages was open by default and posted its replies to whatever serviceUrl a
 * request named on the server's loopback (any port, any path). It is now off unless configured, and
 * emulator mode posts only to the one connector configured.
 */
describe("Bot Framework's /api/messages, off unless configured", { timeout: 90_000 }, () => {
  let target: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    target = await listener();
  });
  afterAll(async () => {
    await target?.close();
  });

  it("does not exist without MICROSOFT_APP_ID or emulator mode, and posts nowhere", async () => {
    const running = await startTestApp();
    try {
      const response = await post(running, activity(target.url));
      expect(response.status).toBe(404);
      expect(running.channels.map((channel) => channel.name)).not.toContain("botframework");
      // A local service at any path, e.g. an admin endpoint on the loopback interface.
      const sneaky = await post(running, activity(`${target.url}/admin/shutdown?`));
      expect(sneaky.status).toBe(404);
      expect(target.hits).toEqual([]);
    } finally {
      await running.close();
    }
  });

  describe("in emulator mode", () => {
    let connector: FakeConnector;
    let running: RunningApp;
    beforeAll(async () => {
      connector = await FakeConnector.start();
      running = await startTestApp({ env: { BOTFRAMEWORK_EMULATOR_URL: connector.url } });
    });
    afterAll(async () => {
      await running?.close();
      await connector?.close();
    });

    it("answers the configured Emulator's connector", async () => {
      const hello = activity(connector.url);
      expect((await post(running, hello)).status).toBe(200);
      expect(connector.to(hello.conversation.id).length).toBeGreaterThan(0);
    });

    it("refuses any other serviceUrl, even another port or path on this machine, and posts nothing there", async () => {
      const otherPort = await post(running, activity(target.url));
      expect(otherPort.status).toBe(401);
      expect(((await otherPort.json()) as { error: { code: string } }).error.code).toBe("RAHNAMA_ERR_AUTH_MISSING");
      const others = [
        `${target.url}/`,
        `${target.url}/internal/api`,
        target.url.replace("127.0.0.1", "localhost"),
        `${connector.url}/elsewhere`,
        `${connector.url}?next=${encodeURIComponent(target.url)}`,
        connector.url.replace("http://", "http://user:pw@"),
        "http://10.0.0.7:8080",
      ];
      for (const serviceUrl of others) {
        const conversation = activity(serviceUrl);
        expect((await post(running, conversation)).status, serviceUrl).toBe(401);
        expect(connector.to(conversation.conversation.id), serviceUrl).toEqual([]);
      }
      expect(target.hits).toEqual([]);
    });
  });

  it("refuses emulator mode together with an app id, naming both settings", () => {
    expect(() =>
      testConfig({
        BOTFRAMEWORK_EMULATOR_URL: "http://localhost:52885",
        MICROSOFT_APP_ID: "00000000-0000-4000-8000-000000000001",
        MICROSOFT_APP_PASSWORD: "not-a-real-secret",
      }),
    ).toThrow(/BOTFRAMEWORK_EMULATOR_URL.*MICROSOFT_APP_ID/);
    expect(() => testConfig({ BOTFRAMEWORK_EMULATOR_URL: "localhost:52885" })).toThrow(/BOTFRAMEWORK_EMULATOR_URL/);
  });
});
