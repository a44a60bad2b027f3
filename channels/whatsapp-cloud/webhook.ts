import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Attachment } from "../../src/core/message.js";

/**
 * The webhook payload of the Cloud API, as far as we read it. Fields we do not use are dropped; the
 * message types we do not handle (reactions, unsupported, system, order, …) pass validation and are
 * ignored on purpose, so a new message type from Meta never turns into a 400 and a retry storm.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */
const mediaSchema = z.object({
  id: z.string().min(1).max(256),
  mime_type: z.string().max(255).optional(),
  caption: z.string().optional(),
});

const messageSchema = z.object({
  from: z.string().regex(/^\d{5,20}$/),
  id: z.string().min(1).max(256),
  timestamp: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  /** A tapped quick-reply button of a template message. */
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
});
export type CloudMessage = z.infer<typeof messageSchema>;

export const webhookSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }).optional(),
            messages: z.array(messageSchema).optional(),
            // Delivery and read statuses of what we sent: validated loosely and ignored.
            statuses: z.array(z.unknown()).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type CloudWebhook = z.infer<typeof webhookSchema>;

/** True when `header` is `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. */
export function validSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  // Buffer.from(…, "hex") stops at the first character that is not hex: without the exact shape, a right
  // signature followed by anything would pass.
  if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time string comparison (the verify token). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The messages for our phone number in a webhook call, in order; other numbers of the same account are skipped. */
export function messagesFor(payload: CloudWebhook, phoneNumberId: string): CloudMessage[] {
  return payload.entry.flatMap((entry) =>
    entry.changes
      .filter((change) => change.field === "messages")
      .filter((change) => !change.value.metadata || change.value.metadata.phone_number_id === phoneNumberId)
      .flatMap((change) => change.value.messages ?? []),
  );
}

/** What a message says, before quick-reply ids are resolved; null for types ignored on purpose. */
export interface ReadMessage {
  readonly text: string;
  /** The id of a tapped interactive button or list row (ours are `o:<n>`). */
  readonly replyId: string | null;
  readonly attachments: Attachment[];
}

const mediaKinds = ["image", "audio", "video", "document", "sticker"] as const;

export function readMessage(message: CloudMessage): ReadMessage | null {
  switch (message.type) {
    case "text":
      return message.text ? { text: message.text.body, replyId: null, attachments: [] } : null;
    case "interactive": {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return reply ? { text: reply.title, replyId: reply.id, attachments: [] } : null;
    }
    case "button":
      return message.button ? { text: message.button.text, replyId: null, attachments: [] } : null;
    case "location":
      return message.location
        ? {
            text: "",
            replyId: null,
            attachments: [
              {
                kind: "location",
                reference: `${String(message.location.latitude)},${String(message.location.longitude)}`,
              },
            ],
          }
        : null;
    default: {
      const kind = mediaKinds.find((name) => name === message.type);
      const media = kind ? message[kind] : undefined;
      if (!kind || !media) return null; // reactions, "unsupported", system messages, orders: not for the bot
      return {
        text: media.caption ?? "",
        replyId: null,
        attachments: [
          {
            kind,
            reference: `whatsapp:media:${media.id}`,
            ...(media.mime_type ? { mimeType: media.mime_type } : {}),
          },
        ],
      };
    }
  }
}

/**
 * Calling codes of the countries our leaflets cover. +7 is left out: Russia and Kazakhstan share it.
 * Longest prefix first, so 992 is not read as 99x of another country.
 */
const callingCodes: readonly [string, string][] = [
  ["880", "BD"],
  ["964", "IQ"],
  ["992", "TJ"],
  ["993", "TM"],
  ["996", "KG"],
  ["998", "UZ"],
  ["92", "PK"],
  ["93", "AF"],
];

/** The country of a WhatsApp number (wa_id: digits with the country code, no +), when it is one of ours. */
export function countryOfNumber(waId: string): string | undefined {
  return callingCodes.find(([prefix]) => waId.startsWith(prefix))?.[1];
}

/** The option number of a reply id we gave (`o:3` → 3), or null. */
export function optionNumber(replyId: string): number | null {
  const match = /^o:(\d{1,2})$/.exec(replyId);
  return match ? Number(match[1]) : null;
}
