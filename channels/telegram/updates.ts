import { z } from "zod";
import type { Address, Attachment, InboundInput } from "../../src/core/message.js";
import { normaliseLanguage, type LanguageCode } from "../../src/i18n/languages.js";
import type { OptionMemory } from "../shared/option-memory.js";
import type { UserIdHasher } from "../shared/user-ids.js";
import { actionCheck, parseOptionHandle } from "./render.js";

// Only the fields we read are declared; zod drops the rest, so Telegram adding fields breaks nothing.
const userSchema = z.object({ id: z.number().int(), language_code: z.string().optional() });
const chatSchema = z.object({ id: z.number().int(), type: z.string() });
const fileSchema = z.object({ file_id: z.string().min(1), mime_type: z.string().max(255).optional() });

const messageSchema = z.object({
  message_id: z.number().int(),
  from: userSchema.optional(),
  chat: chatSchema,
  date: z.number(),
  text: z.string().optional(),
  caption: z.string().optional(),
  voice: fileSchema.optional(),
  audio: fileSchema.optional(),
  photo: z.array(fileSchema).optional(),
  video: fileSchema.optional(),
  video_note: fileSchema.optional(),
  animation: fileSchema.optional(),
  document: fileSchema.optional(),
  sticker: fileSchema.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  contact: z.object({}).optional(),
  poll: z.object({}).optional(),
  dice: z.object({}).optional(),
});

const buttonSchema = z.object({ text: z.string(), callback_data: z.string().optional() });

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  data: z.string().optional(),
  message: z
    .object({
      message_id: z.number().int(),
      chat: chatSchema,
      reply_markup: z.object({ inline_keyboard: z.array(z.array(buttonSchema)) }).optional(),
    })
    .optional(),
});

/** The part of a Telegram Update the channel reads; anything else is ignored on purpose. */
export const updateSchema = z.object({
  update_id: z.number().int(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});
export type TelegramUpdate = z.infer<typeof updateSchema>;
type TelegramMessage = z.infer<typeof messageSchema>;

/** The language a Telegram user set in their app ("bn", "uz-UZ"), when it is one we know. */
export function languageHint(languageCode: string | undefined): LanguageCode | undefined {
  return normaliseLanguage(languageCode) ?? undefined;
}

export type Translation =
  | { readonly kind: "inbound"; readonly chatId: number; readonly input: InboundInput; readonly callbackId?: string }
  | { readonly kind: "ignored"; readonly reason: string };

export interface TranslateDeps {
  readonly userIds: UserIdHasher;
  readonly options: OptionMemory;
  readonly now?: () => Date;
}

const ignored = (reason: string): Translation => ({ kind: "ignored", reason });

/**
 * A validated update as the core's Inbound, or the reason it is ignored: only private chats are
 * served (a group would expose one person's questions to others); edits, channel posts and service
 * messages get no answer.
 */
export async function translateUpdate(update: TelegramUpdate, deps: TranslateDeps): Promise<Translation> {
  const receivedAt = deps.now?.() ?? new Date();
  if (update.message) return translateMessage(update.message, deps, receivedAt);
  const query = update.callback_query;
  if (!query) return ignored("unsupported update type");
  if (!query.message) return ignored("callback without a message");
  if (query.message.chat.type !== "private") return ignored("not a private chat");
  const chatId = query.message.chat.id;
  const address = addressOf(deps, query.from.id, chatId);
  const data = query.data ?? "";
  const handle = parseOptionHandle(data);
  const title =
    query.message.reply_markup?.inline_keyboard.flat().find((button) => button.callback_data === data)?.text ?? "";
  const remembered = handle ? await deps.options.action(address, handle.choice) : null;
  // A stale button (its number now names another option) must not run that other option.
  const action =
    remembered && handle && (handle.check === null || handle.check === actionCheck(remembered)) ? remembered : null;
  if (!action && !title) return ignored("callback with an unknown handle");
  const lang = languageHint(query.from.language_code);
  return {
    kind: "inbound",
    chatId,
    callbackId: query.id,
    input: {
      id: `${String(chatId)}:cb:${query.id}`,
      address,
      // Options forgotten (expired or erased): the title still reads as what the person chose.
      text: title,
      ...(action ? { action } : {}),
      hints: lang ? { lang } : {},
      receivedAt,
    },
  };
}

function translateMessage(message: TelegramMessage, deps: TranslateDeps, receivedAt: Date): Translation {
  if (message.chat.type !== "private") return ignored("not a private chat");
  if (!message.from) return ignored("message without a sender");
  const attachments = attachmentsOf(message);
  const text = message.text ?? message.caption ?? "";
  if (!text.trim() && attachments.length === 0) return ignored("service or empty message");
  const lang = languageHint(message.from.language_code);
  // Every chat with a bot begins with /start (a deep link may add a payload): greet.
  const isStart = /^\/start(?:@\w+)?(?:\s|$)/.test(text);
  return {
    kind: "inbound",
    chatId: message.chat.id,
    input: {
      id: `${String(message.chat.id)}:${String(message.message_id)}`,
      address: addressOf(deps, message.from.id, message.chat.id),
      text: isStart ? "" : text,
      ...(isStart ? { action: "intent:greeting" } : {}),
      attachments,
      hints: lang ? { lang } : {},
      receivedAt,
    },
  };
}

function addressOf(deps: TranslateDeps, userId: number, chatId: number): Address {
  return {
    channel: "telegram",
    user: deps.userIds.hash("telegram", String(userId)),
    conversation: String(chatId),
  };
}

function fileAttachment(
  kind: Attachment["kind"],
  file: { file_id: string; mime_type?: string | undefined },
): Attachment {
  return { kind, reference: `telegram:file:${file.file_id}`, ...(file.mime_type ? { mimeType: file.mime_type } : {}) };
}

function attachmentsOf(message: TelegramMessage): Attachment[] {
  const found: Attachment[] = [];
  if (message.voice) found.push(fileAttachment("audio", { mime_type: "audio/ogg", ...message.voice }));
  if (message.audio) found.push(fileAttachment("audio", message.audio));
  // Telegram sends one photo in several sizes, smallest first: keep the largest.
  const photo = message.photo?.at(-1);
  if (photo) found.push(fileAttachment("image", { mime_type: "image/jpeg", ...photo }));
  const video = message.video ?? message.video_note ?? message.animation;
  if (video) found.push(fileAttachment("video", video));
  // An animation also arrives as a document; count it once.
  if (message.document && !message.animation) found.push(fileAttachment("document", message.document));
  if (message.sticker) found.push(fileAttachment("sticker", message.sticker));
  if (message.location) {
    found.push({
      kind: "location",
      reference: `${String(message.location.latitude)},${String(message.location.longitude)}`,
    });
  }
  if (message.contact || message.poll || message.dice) found.push({ kind: "other" });
  return found;
}
