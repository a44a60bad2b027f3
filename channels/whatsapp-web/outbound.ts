import type { Outbound, QuickReply } from "../../src/core/message.js";
import { numberedOptions, renderReplyText, whatsappStyle } from "../shared/render-text.js";
import { splitText } from "../shared/split-text.js";

/** WhatsApp's limit for one text message. */
export const whatsAppTextLimit = 4096;

export interface RenderedReplies {
  /** The texts to send, in order, each within the limit. */
  readonly texts: string[];
  /** The options offered, numbered from 1 in this order; remember them to read "2" back. */
  readonly options: QuickReply[];
}

/**
 * Replies as WhatsApp texts. WhatsApp Web has no buttons: the quick replies of the whole batch are
 * shown once, as one numbered list after the last reply, so each number means one thing.
 */
export function renderReplies(messages: readonly Outbound[]): RenderedReplies {
  const options: QuickReply[] = [];
  for (const message of messages) {
    for (const reply of message.quickReplies) {
      if (!options.some((known) => known.action === reply.action)) options.push(reply);
    }
  }
  const bodies = messages.map((message) => renderReplyText(message, whatsappStyle)).filter((body) => body.trim());
  if (options.length > 0) {
    const list = numberedOptions(options, whatsappStyle);
    const last = bodies.pop();
    bodies.push(last ? `${last}\n\n${list}` : list);
  }
  return { texts: bodies.flatMap((body) => splitText(body, whatsAppTextLimit)), options };
}
