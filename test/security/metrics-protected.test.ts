import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/metrics.js";
import { buildServer } from "../../src/server/app.js";
import { silentLog, testConfig } from "../helpers/rahnama.js";

const token = "prometheus-scrapes-with-this-0123456789";

/** The server as run.ts builds it, with a message counted so that there is something to leak. */
async function server(env: Record<string, string>): Promise<FastifyInstance> {
  const metrics = createMetrics();
  metrics.messagesIn.inc({ channel: "webchat" });
  metrics.safetyHits.inc({ category: "trafficking" });
  return buildServer({
    config: testConfig(env),
    log: silentLog,
    metrics,
    plugins: [],
    readiness: async () => ({ ready: true, checks: {} }),
  });
}

/**
 * Issue 13 (Low): /metrics was public. It tells anyone how many people wrote on which channel, how
 * many were in danger and how long the counsellors' queue is. Now it needs METRICS_TOKEN.
 */
describe("/metrics, for Prometheus only", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("does not exist without METRICS_TOKEN", async () => {
    app = await server({ METRICS_TOKEN: "" });
    const response = await app.inject({ url: "/metrics" });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain("rahnama_");
  });

  it("refuses a request without the token, with a wrong one, or with more than the token", async () => {
    app = await server({ METRICS_TOKEN: token });
    const refusals = [
      {},
      { authorization: "Bearer not-the-token-not-the-token" },
      { authorization: `Bearer ${token}x` },
      { authorization: `Bearer ${token} ${token}` },
      { authorization: `Basic ${Buffer.from(`prometheus:${token}`).toString("base64")}` },
      { authorization: token },
    ];
    for (const headers of refusals) {
      const response = await app.inject({ url: "/metrics", headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(response.body).not.toContain("rahnama_");
    }
  });

  it("answers Prometheus with the token, as before", async () => {
    app = await server({ METRICS_TOKEN: token });
    const response = await app.inject({ url: "/metrics", headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain('rahnama_messages_in_total{channel="webchat"} 1');
    expect(response.body).toContain('rahnama_safety_escalations_total{category="trafficking"} 1');
  });

  it("refuses a token shorter than 24 characters at start-up", () => {
    expect(() => testConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 24 characters/);
  });
});
