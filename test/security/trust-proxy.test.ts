import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginLimits } from "../../src/console/login-guard.js";
import type { RunningApp } from "../../src/run.js";
import { login, password, redisUrl, startOnRedis, statuses } from "./console-login.js";

const webChatLimit = 10;

function startConversation(running: RunningApp, headers: Record<string, string>): Promise<Response> {
  return fetch(`${running.url}/v3/directline/conversations`, { method: "POST", headers });
}

function secureCookie(response: Response): boolean {
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith("rahnama_console="));
  return /;\s*Secure/i.test(session ?? "");
}

/**
 * X-Forwarded-For is whatever the client wrote, unless a proxy we trust wrote it. The tests reach the
 * app from 127.0.0.1: first as a client in front of a proxy address that is not theirs, then as the proxy.
 */
describe.runIf(redisUrl)("TRUST_PROXY names a proxy that is not the client", { timeout: 120_000 }, () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startOnRedis({ TRUST_PROXY: "10.9.8.7", RATE_LIMIT_PER_MINUTE: String(webChatLimit) }, ["amina"]);
  });
  afterAll(async () => {
    await running.close();
  });

  it("a new X-Forwarded-For on every guess does not reset the login lockout", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login(running, "amina", `guess ${i}`, { "x-forwarded-for": `198.51.100.${i + 1}` }),
      ),
    );
    expect(statuses(answers)[401]).toBe(loginLimits.perAddress.failures);
    expect(statuses(answers)[429]).toBe(40 - loginLimits.perAddress.failures);
  });

  it("a new X-Forwarded-For on every request does not escape the web chat rate limit", async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 3 * webChatLimit; i += 1) {
      answers.push(await startConversation(running, { "x-forwarded-for": `203.0.113.${i + 1}` }));
    }
    expect(statuses(answers)[201]).toBe(webChatLimit);
    expect(statuses(answers)[429]).toBe(2 * webChatLimit);
  });

  it("an X-Forwarded-Proto the client wrote does not make the session cookie Secure", async () => {
    const response = await login(running, "amina", password, { "x-forwarded-proto": "https" });
    // Locked out by the test above, or in: either way no cookie claims a TLS the server never saw.
    expect(secureCookie(response)).toBe(false);
  });
});

describe.runIf(redisUrl)("TRUST_PROXY names the proxy the requests come through", { timeout: 120_000 }, () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startOnRedis({ TRUST_PROXY: "127.0.0.1", RATE_LIMIT_PER_MINUTE: String(webChatLimit) }, ["amina"]);
  });
  afterAll(async () => {
    await running.close();
  });

  it("takes the client to be the address the proxy saw (the last X-Forwarded-For entry)", async () => {
    const attacker = "203.0.113.50";
    for (let i = 0; i < loginLimits.perAddress.failures; i += 1) {
      expect((await login(running, "amina", `guess ${i}`, { "x-forwarded-for": attacker })).status).toBe(401);
    }
    expect((await login(running, "amina", "guess", { "x-forwarded-for": attacker })).status).toBe(429);
    // Entries the client wrote itself come first in the header; they change nothing.
    expect((await login(running, "amina", "guess", { "x-forwarded-for": `198.51.100.9, ${attacker}` })).status).toBe(
      429,
    );
    // Another client, through the same proxy, is its own.
    expect((await login(running, "amina", "guess", { "x-forwarded-for": "198.51.100.9" })).status).toBe(401);
    const counsellor = await login(running, "amina", password, {
      "x-forwarded-for": "198.51.100.10",
      "x-forwarded-proto": "https",
    });
    expect(counsellor.status).toBe(200);
    // The proxy terminated TLS, so the session cookie is Secure.
    expect(secureCookie(counsellor)).toBe(true);
  });

  it("limits web chat per client behind the proxy, not for the proxy as a whole", async () => {
    const first: Response[] = [];
    for (let i = 0; i < webChatLimit + 2; i += 1) {
      first.push(await startConversation(running, { "x-forwarded-for": "203.0.113.60" }));
    }
    expect(statuses(first)[201]).toBe(webChatLimit);
    expect(statuses(first)[429]).toBe(2);
    expect((await startConversation(running, { "x-forwarded-for": "203.0.113.61" })).status).toBe(201);
  });
});
