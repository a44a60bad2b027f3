import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { RahnamaError, isRahnamaError } from "../../src/errors.js";
import { handleTelegramUpdateWithReason, type UpdateHandlerDeps, type UpdateOutcome } from "./handle-update.js";

export const webhookPath = "/webhooks/telegram";
const secretHeader = "x-telegram-bot-api-secret-token";

export interface WebhookRouteOptions {
  readonly secret: string;
  readonly handlerDeps: UpdateHandlerDeps;
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /webhooks/telegram. Only Telegram knows the secret it was given in setWebhook; anything else
 * is refused before the body is read. An update is answered 200 once handled, and a malformed or
 * ignored one too (Telegram would otherwise retry it forever); 503 while the knowledge index loads
 * and when the bot's turn failed (the store unreachable, a timeout), so that Telegram keeps the
 * update and delivers it again: a cry for help must not be lost with an acknowledged update.
 */
export async function telegramWebhookRoutes(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { secret, handlerDeps } = options;
  app.post(
    webhookPath,
    {
      // Checked on arrival, before the body is parsed: an unknown caller gets nothing processed.
      onRequest: async (request, reply) => {
        if (sameSecret(request.headers[secretHeader], secret)) return;
        handlerDeps.log.warn({ channel: "telegram" }, "telegram webhook call without the right secret refused");
        await reply.code(401).send({ error: { code: "RAHNAMA_ERR_AUTH_MISSING", message: "Wrong or missing secret" } });
      },
    },
    async (request, reply) => {
      if (!handlerDeps.bot.ready) return reply.code(503).send({ ok: false });
      let handled: { outcome: UpdateOutcome; failure?: RahnamaError };
      try {
        handled = await handleTelegramUpdateWithReason(request.body, handlerDeps);
      } catch (error) {
        if (isRahnamaError(error, "INDEX_NOT_READY")) return reply.code(503).send({ ok: false });
        throw error;
      }
      // Always 503, whatever failed: Telegram delivers the update again only after a 5xx.
      if (handled.outcome === "failed") {
        const { code, message } = handled.failure ?? new RahnamaError("TURN_FAILED");
        return reply.code(503).send({ ok: false, error: { code, message } });
      }
      return reply.code(200).send({ ok: true });
    },
  );
}
