import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type RawServerDefault } from "fastify";
import type { Config } from "../config.js";
import { RahnamaError, isRahnamaError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { parseJsonBody } from "./json-body.js";
import { metricsRoute } from "./metrics-route.js";

export interface ServerOptions {
  readonly config: Pick<Config, "TRUST_PROXY" | "corsOrigins" | "RATE_LIMIT_PER_MINUTE" | "METRICS_TOKEN">;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Ready means: knowledge index loaded and the store answers. */
  readonly readiness: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  /** HTTP plugins of the channels, handed over by main.ts. */
  readonly plugins: readonly ((app: FastifyInstance) => Promise<void>)[];
}

const corsHeaders = "authorization, content-type, x-ms-bot-agent, x-requested-with";

/** The one HTTP server: health, metrics, and whatever the channels mount (Direct Line, webhooks, pages). */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { config, log, metrics } = options;
  // An explicit type argument stops TypeScript inferring pino's wider Logger type, which would make this
  // instance incompatible with the plain FastifyInstance that channel plugins receive.
  const app = Fastify<RawServerDefault>({
    loggerInstance: log,
    // Only the proxies TRUST_PROXY names may say who the client is (the login limits and rate limit key on it).
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 256 * 1024,
    // Chat ids and tokens ride in URLs; keep their length bounded.
    routerOptions: { maxParamLength: 256 },
    // A URL that cannot be decoded ("/a/%C0%AF") is refused before any hook runs, so @fastify/websocket
    // never learns of a WebSocket upgrade sent to one: its socket stayed open for good, and enough of them
    // exhaust the server's file descriptors and stop a graceful shutdown. Such an upgrade is closed here.
    frameworkErrors: (_error, request, reply) => {
      if (request.headers.upgrade) reply.raw.once("finish", () => request.raw.socket.destroy());
      // The option's type is generic over route schemas that a router-level error never has.
      void (reply as unknown as FastifyReply)
        .code(400)
        .send({ error: { code: "RAHNAMA_ERR_INPUT_INVALID", message: "The URL is not valid (bad percent-encoding)" } });
    },
  });

  app.setErrorHandler((error: FastifyError | RahnamaError, request, reply) => {
    const rahnama = toRahnamaError(error);
    // Expected while the index loads after a (re)start, and the caller is told to come back: no stack.
    if (rahnama.is("INDEX_NOT_READY")) request.log.info({ code: rahnama.code }, "request refused: still starting");
    else if (rahnama.status >= 500) request.log.error({ code: rahnama.code, err: error }, "request failed");
    else request.log.info({ code: rahnama.code }, "request refused");
    void reply.code(rahnama.status).send({ error: { code: rahnama.code, message: rahnama.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: { code: "RAHNAMA_ERR_NOT_FOUND", message: `No route ${request.method} ${request.url.split("?")[0]}` },
    });
  });

  // Direct Line clients post `application/json` with an empty body to start a conversation.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as RahnamaError, undefined);
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", "ws:", "wss:"],
        imgSrc: ["'self'", "data:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // MRCs often serve the bot over plain HTTP on a local network; upgrading would break it.
        upgradeInsecureRequests: null,
      },
    },
    // Widgets are embedded in MRC websites.
    crossOriginResourcePolicy: { policy: "cross-origin" },
  });
  await app.register(rateLimit, { global: false });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // Direct Line clients (the official Web Chat on an MRC's own site) call us cross-origin.
  app.addHook("onRequest", async (request, reply) => {
    if (!request.url.startsWith("/v3/directline")) return;
    const origin = request.headers.origin;
    const allowed = config.corsOrigins === "*" ? "*" : origin && config.corsOrigins.includes(origin) ? origin : null;
    if (allowed) {
      void reply.header("access-control-allow-origin", allowed);
      void reply.header("access-control-allow-headers", corsHeaders);
      void reply.header("access-control-allow-methods", "GET, POST, OPTIONS");
      void reply.header("vary", "origin");
    }
    if (request.method === "OPTIONS") await reply.code(204).send();
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const { ready, checks } = await options.readiness();
    // Says why it is not ready, so an operator looking at a 503 knows whether to wait or to fix the store.
    const status = ready
      ? "ready"
      : checks.store === false
        ? "store-unavailable"
        : checks.failed
          ? "failed"
          : "starting";
    return reply.code(ready ? 200 : 503).send({ status, checks });
  });
  await app.register(metricsRoute(metrics, config.METRICS_TOKEN));

  for (const plugin of options.plugins) await app.register(plugin);
  return app;
}

function toRahnamaError(error: FastifyError | RahnamaError): RahnamaError {
  if (isRahnamaError(error)) return error;
  const status = error.statusCode ?? 500;
  if (status === 413 || error.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return new RahnamaError("INPUT_TOO_LARGE", "The request body is too large");
  if (status === 429) return new RahnamaError("RATE_LIMITED", "Too many requests; wait a minute and try again");
  if (status === 415) return new RahnamaError("INPUT_INVALID", "Send JSON with content-type application/json");
  if (status >= 400 && status < 500) return new RahnamaError("INPUT_INVALID", error.message);
  return new RahnamaError("TURN_FAILED", "Internal error", { cause: error });
}
