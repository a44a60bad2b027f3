import { z } from "zod";
import { RahnamaError } from "../errors.js";
import { conversationKey } from "./conversation.js";
import type { Outbound } from "./message.js";
import { turnOutbound } from "./outbound.js";
import type { Stage } from "./pipeline.js";
import type { TurnContext } from "./turn.js";

/** How long a channel message id is remembered once answered (webhook retries come within hours). */
const dedupeSeconds = 48 * 3600;
const answeredMark = "1";
/** What a process that predates owned claims writes; nobody can tell whether its owner lives. */
const ownerlessClaim = "claimed";

/** A message being answered: by which instance, and when it first came (its transcript line's time). */
const claimSchema = z.object({ owner: z.string().min(1), at: z.string().min(1) });
/** A message answered, with the answer kept for a channel that may have lost it (see `keepsAnswer`). */
const keptAnswerSchema = z.object({ answered: z.literal(true), replies: z.array(z.looseObject({})) });

type Mark =
  | { readonly kind: "answered"; readonly replies: Outbound[] | null }
  | { readonly kind: "claimed"; readonly owner: string | null; readonly at: string };

function readMark(raw: string): Mark {
  if (raw === answeredMark) return { kind: "answered", replies: null };
  if (raw === ownerlessClaim) return { kind: "claimed", owner: null, at: "" };
  try {
    const value: unknown = JSON.parse(raw);
    const claim = claimSchema.safeParse(value);
    if (claim.success) return { kind: "claimed", ...claim.data };
    const kept = keptAnswerSchema.safeParse(value);
    // The replies were written by this code from the turn's own Outbound[].
    if (kept.success) return { kind: "answered", replies: kept.data.replies as unknown as Outbound[] };
  } catch {
    // Not ours to read: treated as answered below, which drops a message rather than answering twice.
  }
  return { kind: "answered", replies: null };
}

/**
 * How long a message is claimed while its turn runs: longer than any turn (TURN_TIMEOUT_MS, and the
 * store's own command timeouts bound what runs on after it). A claim left by a dead process is taken
 * over as soon as its owner's liveness key has gone; the expiry only still matters for a claim whose
 * owner lives but could not release it (the store went away), and for claims written before claims
 * named their owner.
 */
function claimSeconds(turnTimeoutMs: number): number {
  return Math.max(60, Math.ceil((2 * turnTimeoutMs) / 1000));
}

/**
 * Claims the message for this instance. Resolves with the claim's first arrival time (kept across
 * take-overs) and whether the claim was taken over from an instance that died mid-turn; or with the
 * answered mark. Throws TURN_IN_PROGRESS while a live instance holds it.
 */
async function claimMessage(
  ctx: TurnContext,
  key: string,
): Promise<{ readonly answered: Mark & { kind: "answered" } } | { readonly at: string; readonly retried: boolean }> {
  const { store, instance, config, log } = ctx.services;
  const ttlSeconds = claimSeconds(config.TURN_TIMEOUT_MS);
  const at = ctx.inbound.receivedAt.toISOString();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (await store.setIfAbsent(key, JSON.stringify({ owner: instance.id, at }), { ttlSeconds })) {
      return { at, retried: false };
    }
    const raw = await store.get(key);
    if (raw === null) continue;
    const mark = readMark(raw);
    if (mark.kind === "answered") return { answered: mark };
    if (mark.owner === null) throw new RahnamaError("TURN_IN_PROGRESS");
    // This instance runs a conversation's turns one at a time (Bot's keyed lock), so a claim of its own
    // met here was left by a turn that ended without releasing it (the store failed at that moment).
    if (mark.owner !== instance.id && (await instance.isAlive(mark.owner))) throw new RahnamaError("TURN_IN_PROGRESS");
    const takeover = JSON.stringify({ owner: instance.id, at: mark.at });
    // Compare-and-set: of two processes taking over the same claim at once, one wins.
    const written = await store.update(key, (current) => (current === raw ? takeover : current), { ttlSeconds });
    if (written === takeover) {
      log.info({ channel: ctx.inbound.address.channel }, "claim of a message left mid-turn taken over");
      return { at: mark.at, retried: true };
    }
  }
  throw new RahnamaError("TURN_IN_PROGRESS");
}

export const dedupe: Stage<TurnContext> = {
  name: "dedupe",
  description: "Drops a message whose channel id was already answered (webhook retries, double taps)",
  async run(ctx, next) {
    const { inbound, services } = ctx;
    // Named after the conversation so that "delete my data" can find and remove the marks too.
    const key = `seen:${conversationKey(inbound.address)}:${inbound.id}`;
    // Claimed before the turn, so that two deliveries at once (two processes; one process runs a
    // conversation's turns one at a time) give one answer; marked answered only once the turn
    // succeeded, so that the redelivery of a failed turn is answered, not dropped as a duplicate.
    const claim = await claimMessage(ctx, key);
    if ("answered" in claim) {
      ctx.path = "duplicate";
      services.metrics.duplicates.inc({ channel: inbound.address.channel });
      if (ctx.keepsAnswer && claim.answered.replies) ctx.answeredBefore = claim.answered.replies;
      return;
    }
    ctx.firstReceivedAt = claim.at;
    ctx.retried = claim.retried;
    try {
      await next();
    } catch (error) {
      await services.store.delete([key]).catch((release: unknown) => {
        services.log.warn(
          { err: release, code: "RAHNAMA_ERR_STORE_UNAVAILABLE" },
          "claim of a failed message not released; its redeliveries wait until it expires",
        );
      });
      throw error;
    }
    // "Delete my data" removed the marks with the rest; none is written back.
    if (ctx.erased) return;
    // The answer exists and goes out whatever happens here: a mark not written only shortens how long
    // the message counts as answered, to the claim's expiry.
    const mark = ctx.keepsAnswer ? JSON.stringify({ answered: true, replies: turnOutbound(ctx) }) : answeredMark;
    await services.store.set(key, mark, { ttlSeconds: dedupeSeconds }).catch((error: unknown) => {
      services.log.warn({ err: error, code: "RAHNAMA_ERR_STORE_UNAVAILABLE" }, "answered message not marked");
    });
  },
};
