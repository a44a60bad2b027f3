import { z } from "zod";
import type { Outbound } from "../../src/core/message.js";
import { bcp47Of, normaliseLanguage, type LanguageCode } from "../../src/i18n/languages.js";

/** What a Direct Line client may post. Unknown fields are ignored, as the protocol expects. */
export const incomingActivitySchema = z.object({
  type: z.string().min(1).max(64),
  id: z.string().max(256).optional(),
  from: z.object({ id: z.string().min(1).max(256), name: z.string().max(256).optional() }),
  text: z.string().optional(),
  locale: z.string().max(32).optional(),
  /** Quick replies come back as messageBack activities carrying `{ action }`; nothing else of it is kept. */
  value: z
    .object({ action: z.string().max(256) })
    .partial()
    .optional()
    .catch(undefined),
  /**
   * Only what the bot or a client reads is kept, and it is stored for as long as the conversation (90
   * days by default): the client's own id for its message (both widgets match their echo by it), Web
   * Chat's postBack and messageBack marks (it hides or relabels such messages when it replays them), and
   * the page's hint of the person's country. Anything else a client sends is dropped here, so nobody can
   * park 60 KB per message in the store.
   */
  channelData: z
    .object({
      clientActivityID: z.string().max(256).optional(),
      postBack: z.boolean().optional().catch(undefined),
      messageBack: z
        .object({ displayText: z.string().max(256).optional().catch(undefined) })
        .optional()
        .catch(undefined),
      rahnama: z
        .object({
          country: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .optional(),
        })
        .partial()
        .optional(),
    })
    .optional(),
  attachments: z
    .array(
      z.object({ contentType: z.string().max(255).optional(), contentUrl: z.string().max(2048).optional() }).loose(),
    )
    .max(10)
    .optional(),
});
export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

/** An activity as stored and served; `id` and `timestamp` are set by the server. */
export interface Activity {
  type: "message" | "typing" | "event";
  id: string;
  timestamp: string;
  channelId: "directline";
  conversation: { id: string };
  from: { id: string; name?: string; role: "bot" | "user" };
  text?: string;
  textFormat?: "markdown" | "plain";
  locale?: string;
  replyToId?: string;
  value?: unknown;
  attachments?: unknown[];
  suggestedActions?: {
    actions: { type: "messageBack"; title: string; text: string; displayText: string; value: { action: string } }[];
  };
  channelData?: Record<string, unknown>;
}

export const botAccount = { id: "rahnama", name: "Rahnama", role: "bot" as const };

/** One bot reply as a Direct Line message; `channelData.rahnama` says how it was made. */
export function toBotActivity(
  reply: Outbound,
  ids: { id: string; conversationId: string; replyToId?: string },
): Activity {
  return {
    type: "message",
    id: ids.id,
    timestamp: new Date().toISOString(),
    channelId: "directline",
    conversation: { id: ids.conversationId },
    from: botAccount,
    text: reply.text,
    textFormat: "markdown",
    locale: bcp47Of(reply.lang),
    ...(ids.replyToId ? { replyToId: ids.replyToId } : {}),
    ...(reply.quickReplies.length > 0
      ? {
          suggestedActions: {
            actions: reply.quickReplies.map((quick) => ({
              type: "messageBack" as const,
              title: quick.title,
              text: quick.title,
              displayText: quick.title,
              value: { action: quick.action },
            })),
          },
        }
      : {}),
    channelData: {
      rahnama: {
        intent: reply.meta.intent,
        confidence: reply.meta.confidence,
        lang: reply.meta.lang,
        direction: reply.direction,
        citations: reply.citations.map((citation) => ({
          leafletId: citation.leafletId,
          title: citation.title,
          reviewed: citation.reviewed,
          sources: citation.sources,
        })),
        handoff: reply.meta.handoff,
        safety: reply.meta.safety,
        ...(reply.meta.triage ? { triage: true } : {}),
      },
    },
  };
}

/** The language a Direct Line locale names ("ur-PK" → urd), when it is one of ours. */
export function languageOfLocale(locale: string | undefined): LanguageCode | undefined {
  return normaliseLanguage(locale) ?? undefined;
}
