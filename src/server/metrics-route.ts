import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { RahnamaError } from "../errors.js";
import type { Metrics } from "../metrics.js";

export const metricsPath = "/metrics";

/**
 * Prometheus text at /metrics, only with METRICS_TOKEN set and only for a request carrying it as
 * `Authorization: Bearer <token>` (Prometheus: `authorization: { credentials_file: … }`). Without the
 * token there is no route (404): the counters tell anyone how many people wrote, from which channel,
 * how many were in danger and how long the queue is, which is the MRC's business alone.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    if (!token) return;
    const expected = digest(token);
    app.get(metricsPath, async (request, reply) => {
      void reply.header("cache-control", "no-store");
      // One scheme and one value: a right token followed by more is not the token.
      const given = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        void reply.header("www-authenticate", 'Bearer realm="metrics"');
        throw new RahnamaError("AUTH_MISSING", "Send METRICS_TOKEN as `Authorization: Bearer <token>`");
      }
      return reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  };
}

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
