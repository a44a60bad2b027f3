import { z } from "zod";
import type { Address, Attachment, InboundInput } from "../../src/core/message.js";
import { OptionMemory } from "../shared/option-memory.js";
import type { UserIdHasher } from "../shared/user-ids.js";

/**
 * The fields of a whatsapp-web.js `Message` this channel reads (the library fills them from WhatsApp
 * Web's own message model). Parsed rather than trusted: a message the library could not fill in is
 * dropped, not allowed to throw.
 */
const messageSchema = z.object({
  id: z.object({ _serialized: z.string().min(1).max(256) }),
  from: z.string().min(1).max(256),
  body: z.string().catch(""),
  type: z.string(),
  hasMedia: z.boolean().catch(false),
  fromMe: z.unknown(),
  isStatus: z.unknown(),
  timestamp: z.number().optional().catch(undefined),
  location: z.object({ latitude: z.coerce.number(), longitude: z.coerce.number() }).optional().catch(undefined),
  _data: z
    .object({ mimetype: z.string().max(255).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});
export type WhatsAppWebMessage = z.infer<typeof messageSchema>;

/** Message types that carry something a person sent, and what kind of attachment they become. */
const attachmentKinds: Readonly<Record<string, Attachment["kind"]>> = {
  image: "image",
  video: "video",
  ptt: "audio",
  audio: "audio",
  document: "document",
  sticker: "sticker",
  location: "location",
  vcard: "other",
  multi_vcard: "other",
};

export type IgnoreReason = "malformed" | "own" | "status" | "group" | "channel" | "broadcast" | "unsupported-type";

export type Parsed =
  { readonly message: WhatsAppWebMessage } | { readonly ignored: IgnoreReason; readonly type?: string };

/** Who a message is not from: groups, status updates, broadcast lists and channels are not ours to answer. */
function ignoredChat(message: WhatsAppWebMessage): IgnoreReason | null {
  if (message.fromMe) return "own";
  if (message.isStatus || message.from === "status@broadcast") return "status";
  if (message.from.endsWith("@g.us")) return "group";
  if (message.from.endsWith("@newsletter")) return "channel";
  if (message.from.endsWith("@broadcast")) return "broadcast";
  return null;
}

export function whatsAppWebAddress(chatId: string, userIds: UserIdHasher): Address {
  // The chat id is the conversation, because replies go to it; the person is known by a keyed hash.
  return { channel: "whatsapp-web", user: userIds.hash("whatsapp-web", chatId), conversation: chatId };
}

/**
 * Reads a whatsapp-web.js 'message' event and sorts out what is not one person writing to the MRC:
 * our own messages, status updates, groups, broadcast lists, channels, and types that carry nothing a
 * person wrote (notifications, revoked messages, reactions…). Never throws.
 */
export function parseMessage(raw: unknown): Parsed {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { ignored: "malformed" };
  const message = parsed.data;
  const ignored = ignoredChat(message);
  if (ignored) return { ignored };
  if (message.type !== "chat" && !attachmentKinds[message.type])
    return { ignored: "unsupported-type", type: message.type };
  return { message };
}

/**
 * The bot's Inbound for a message `parseMessage` accepted. Text is the message; a bare number that
 * matches the options last offered in the chat becomes that option's action; media become attachments
 * the bot core never fetches, with the caption as text.
 */
export async function toInbound(
  message: WhatsAppWebMessage,
  deps: { readonly userIds: UserIdHasher; readonly options: OptionMemory },
  now: () => Date = () => new Date(),
): Promise<InboundInput> {
  const address = whatsAppWebAddress(message.from, deps.userIds);
  const id = message.id._serialized;
  const receivedAt = message.timestamp && message.timestamp > 0 ? new Date(message.timestamp * 1000) : now();

  const kind = attachmentKinds[message.type];
  if (message.type === "chat" || !kind) {
    const choice = OptionMemory.choiceNumber(message.body);
    const action = choice === null ? null : await deps.options.action(address, choice);
    return { id, address, text: message.body, ...(action ? { action } : {}), receivedAt };
  }

  const mimeType = message._data?.mimetype;
  const attachment: Attachment =
    kind === "location" && message.location
      ? { kind, reference: `${String(message.location.latitude)},${String(message.location.longitude)}` }
      : { kind, reference: `whatsapp-web:${id}`, ...(mimeType ? { mimeType } : {}) };
  // With media the library puts the caption in `body`; without (a location), `body` is a thumbnail.
  const text = message.hasMedia ? message.body : "";
  return { id, address, text, attachments: [attachment], receivedAt };
}
