import { createHash } from "node:crypto";
import { ActionTypes, ActivityTypes, type Activity, type Attachment as BotAttachment } from "botbuilder";
import type { Attachment, InboundInput, Outbound } from "../../src/core/message.js";
import { bcp47Of } from "../../src/i18n/languages.js";
import { renderReplyText, type TextStyle } from "../shared/render-text.js";
import type { UserIdHasher } from "../shared/user-ids.js";

/** Bot Framework channels render Markdown: bold stays bold and sources become links. */
export const markdownStyle: TextStyle = {
  bold: (text) => `**${text}**`,
  // Square brackets would turn a title into a broken link; nothing else in our texts is markup.
  escape: (text) => text.replace(/([[\]])/g, "\\$1"),
  link: (title, url) => `[${title}](${url})`,
};

/** The `value` a tapped suggested action carries back, as we send it in `toReplyActivity`. */
function actionOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("action" in value)) return undefined;
  const action = value.action;
  return typeof action === "string" && action.length > 0 && action.length <= 256 ? action : undefined;
}

function attachmentKind(contentType: string): Attachment["kind"] | null {
  if (contentType.startsWith("image/")) return "image";
  if (contentType.startsWith("audio/")) return "audio";
  if (contentType.startsWith("video/")) return "video";
  // Teams sends every message's HTML rendition as an attachment too; it is the text, not a file.
  if (contentType === "text/html") return null;
  // Cards (Adaptive, Hero, …) are the client's own UI, not something the person sent us.
  if (contentType.startsWith("application/vnd.microsoft.card.")) return null;
  return "document";
}

function attachmentsOf(activity: Partial<Activity>): Attachment[] {
  // The activity's types promise what a client may not send (an attachment without contentType, a string
  // for a list): read each field as the unknown JSON it is, so a malformed one is a file of unknown kind.
  const attachments: unknown[] = Array.isArray(activity.attachments) ? activity.attachments : [];
  const files = attachments.flatMap((raw): Attachment[] => {
    const attachment = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<
      Record<keyof BotAttachment, unknown>
    >;
    const contentType = typeof attachment.contentType === "string" ? attachment.contentType : null;
    const kind = contentType === null ? "other" : attachmentKind(contentType.toLowerCase());
    if (!kind) return [];
    const reference = typeof attachment.contentUrl === "string" ? attachment.contentUrl.slice(0, 2048) : undefined;
    return [
      {
        kind,
        ...(reference ? { reference } : {}),
        ...(contentType ? { mimeType: contentType.slice(0, 255) } : {}),
      },
    ];
  });
  // A shared location arrives as a schema.org entity, not as an attachment.
  const entities: unknown[] = Array.isArray(activity.entities) ? activity.entities : [];
  const places = entities.filter((entity) => {
    const type = typeof entity === "object" && entity !== null ? (entity as { type?: unknown }).type : undefined;
    return type === "GeoCoordinates" || type === "Place";
  });
  const locations = places.map((): Attachment => ({ kind: "location" }));
  return [...files, ...locations].slice(0, 10);
}

/**
 * A message activity as the core's `InboundInput`; null for anything that is not a person's message
 * (conversationUpdate, typing, invoke, …), which we ignore on purpose.
 */
export function toInbound(activity: Partial<Activity>, userIds: UserIdHasher, now: Date): InboundInput | null {
  if (activity.type !== ActivityTypes.Message) return null;
  const conversation = activity.conversation?.id;
  const from = activity.from?.id;
  if (!conversation || !from) return null;
  // Retries carry the same id; without one, the conversation and the sender's timestamp stand in.
  const id =
    activity.id ??
    createHash("sha256")
      .update(`${conversation}\u0000${String(activity.timestamp ?? now.toISOString())}`)
      .digest("base64url");
  const action = actionOf(activity.value);
  return {
    id: id.slice(0, 256),
    address: { channel: "botframework", user: userIds.hash("botframework", from), conversation },
    text: activity.text ?? "",
    ...(action ? { action } : {}),
    attachments: attachmentsOf(activity),
    hints: {},
    receivedAt: now,
  };
}

/** One reply as a Bot Framework message: Markdown text with its sources, quick replies as buttons. */
export function toReplyActivity(reply: Outbound): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    // The shared renderer marks source lines with "• "; as a Markdown list each stays on its own line.
    text: renderReplyText(reply, markdownStyle).replace(/^• /gm, "- "),
    textFormat: "markdown",
    locale: bcp47Of(reply.lang),
    ...(reply.quickReplies.length > 0
      ? {
          suggestedActions: {
            // Suggested actions are shown to everyone in the conversation; `to` may stay empty.
            to: [],
            actions: reply.quickReplies.map((quick) => ({
              type: ActionTypes.MessageBack,
              title: quick.title,
              text: quick.title,
              displayText: quick.title,
              value: { action: quick.action },
            })),
          },
        }
      : {}),
  };
}
