import { z } from "zod";
import { languageCodes, type LanguageCode, type TextDirection } from "../i18n/languages.js";

/**
 * The channel-agnostic message model. Adapters translate their native updates into `Inbound` at the
 * edge and render `Outbound` back; the core never sees a channel library's types.
 */
export const channelNames = ["webchat", "telegram", "whatsapp", "whatsapp-web", "botframework"] as const;
export type ChannelName = (typeof channelNames)[number];

export const addressSchema = z.object({
  channel: z.enum(channelNames),
  /** The channel's id for the person (a Telegram user id, a WhatsApp number, a Direct Line user id). */
  user: z.string().min(1).max(256),
  /** The channel's id for the conversation; equal to `user` on channels without threads. */
  conversation: z.string().min(1).max(256),
});
export type Address = z.infer<typeof addressSchema>;

export const attachmentSchema = z.object({
  kind: z.enum(["image", "audio", "video", "document", "location", "sticker", "other"]),
  /** Where the channel keeps it; never fetched by the bot core. */
  reference: z.string().max(2048).optional(),
  mimeType: z.string().max(255).optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const inboundSchema = z.object({
  /** Unique per channel; webhook retries carry the same id, which is how duplicates are caught. */
  id: z.string().min(1).max(256),
  address: addressSchema,
  /**
   * Who sent it when the channel knows better than `address.user`: web chat's client names its own user id,
   * so it gives a keyed hash of the client's network address. Repeated safety cases are grouped by it.
   */
  sender: z.string().min(1).max(128).optional(),
  text: z.string(),
  /** The payload of a tapped quick reply (e.g. `intent:counsellor`), when there was one. */
  action: z.string().max(256).optional(),
  attachments: z.array(attachmentSchema).max(10).default([]),
  /** Hints the channel knows (a web page's locale, a phone number's country). */
  hints: z
    .object({
      lang: z.enum(languageCodes).optional(),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .optional(),
    })
    .default({}),
  receivedAt: z.date(),
});
export type Inbound = z.infer<typeof inboundSchema>;
export type InboundInput = z.input<typeof inboundSchema>;

export interface QuickReply {
  /** What the button says, in the user's language. */
  readonly title: string;
  /** What comes back in `Inbound.action` when it is tapped. */
  readonly action: string;
}

export interface SourceRef {
  readonly title: string;
  /** Null for an MRC's own document that has no public address. */
  readonly url: string | null;
  readonly date: string | null;
}

export interface Citation {
  readonly leafletId: string;
  readonly title: string;
  /** The date a person last checked the leaflet's facts, or false for an unreviewed text. */
  readonly reviewed: string | false;
  readonly lang: LanguageCode;
  readonly sources: readonly SourceRef[];
}

export type HandoffSummary = { readonly status: "pending" | "open" | "snoozed" | "resolved" } | null;

/** What a reply says about how it was made; Direct Line exposes it as `channelData.rahnama`. */
export interface ReplyMeta {
  readonly intent: string | null;
  readonly confidence: number | null;
  readonly lang: LanguageCode;
  readonly handoff: HandoffSummary;
  readonly safety: boolean;
  /** The turn asked, or answered, "is someone in danger right now?" (the grey zone of the safety check). */
  readonly triage?: boolean;
  /** For a passage found by search: how well it covers the question, against the language's threshold. */
  readonly retrieval?: RetrievalScore;
  /**
   * The turn erased the conversation ("delete my data"): the channel delivers these replies without
   * writing anything of the conversation back (no history, marks or windows kept for it).
   */
  readonly erased?: true;
}

export interface RetrievalScore {
  readonly coverage: number;
  readonly threshold: number;
  /** A search alone was sure of its best passage (then coverage need not reach the threshold). */
  readonly searchConfident: boolean;
}

export interface Outbound {
  /** Plain text with light Markdown (paragraphs, `- ` lists, `**bold**`); adapters render it. */
  readonly text: string;
  readonly lang: LanguageCode;
  readonly direction: TextDirection;
  readonly quickReplies: readonly QuickReply[];
  readonly citations: readonly Citation[];
  readonly meta: ReplyMeta;
}
