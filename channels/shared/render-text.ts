import type { Outbound, QuickReply } from "../../src/core/message.js";
import { contactNumbers, type ContactNumber } from "./phone-links.js";

export interface TextStyle {
  /** `**bold**` in the core's light Markdown, rendered for the channel (or left plain). */
  bold(text: string): string;
  /** Escapes characters the channel would read as markup. */
  escape(text: string): string;
  /** A link with a title; channels without links show "title: url". */
  link(title: string, url: string): string;
  /**
   * A number to call (already escaped) as a tap-to-call link to `uri` (`tel:…`). Channels without such
   * links leave it out, and the number stays text (WhatsApp's apps detect numbers themselves).
   */
  phone?(number: string, uri: string): string;
}

export const plainStyle: TextStyle = {
  bold: (text) => text,
  escape: (text) => text,
  link: (title, url) => `${title}: ${url}`,
};

/** WhatsApp's own markup: *bold*; links are shown as text and made clickable by the app. */
export const whatsappStyle: TextStyle = {
  bold: (text) => `*${text}*`,
  escape: (text) => text,
  link: (title, url) => `${title}: ${url}`,
};

/**
 * A reply as text for channels that cannot show the web chat's source cards: the core's light
 * Markdown rendered in the channel's style, then one line per cited source with its link and date, so
 * the answer carries its source on every channel.
 */
export function renderReplyText(outbound: Outbound, style: TextStyle): string {
  const body = renderBody(outbound.text, style);
  const sourceLines: string[] = [];
  const seen = new Set<string>();
  for (const citation of outbound.citations) {
    for (const source of citation.sources) {
      if (!source.url || seen.has(source.url)) continue;
      seen.add(source.url);
      const title = source.date ? `${source.title} (${source.date})` : source.title;
      sourceLines.push(`• ${style.link(style.escape(title), source.url)}`);
    }
  }
  return sourceLines.length > 0 ? `${body}\n\n${sourceLines.join("\n")}` : body;
}

/** The core's light Markdown in the channel's style, with numbers to call as links where the style has them. */
function renderBody(text: string, style: TextStyle): string {
  const numbers = style.phone ? contactNumbers(text) : [];
  let offset = 0;
  return text
    .split(/(\*\*[^*]+\*\*)/g)
    .map((part) => {
      const at = offset;
      offset += part.length;
      return part.startsWith("**") && part.endsWith("**") && part.length > 4
        ? style.bold(renderRun(part.slice(2, -2), at + 2, numbers, style))
        : renderRun(part, at, numbers, style);
    })
    .join("");
}

/** One run of text that starts at `at` in the reply: escaped, with the numbers that lie inside it as links. */
function renderRun(text: string, at: number, numbers: readonly ContactNumber[], style: TextStyle): string {
  let rendered = "";
  let cursor = 0;
  for (const found of numbers) {
    if (!style.phone || found.start < at + cursor || found.end > at + text.length) continue;
    rendered += style.escape(text.slice(cursor, found.start - at));
    rendered += style.phone(style.escape(found.number), found.uri);
    cursor = found.end - at;
  }
  return rendered + style.escape(text.slice(cursor));
}

/**
 * Quick replies as a numbered list, for channels without buttons (WhatsApp Web) or with too many
 * options for buttons. The user answers with the number; `OptionMemory` maps it back.
 */
export function numberedOptions(quickReplies: readonly QuickReply[], style: TextStyle = plainStyle): string {
  return quickReplies.map((reply, index) => `${String(index + 1)}. ${style.escape(reply.title)}`).join("\n");
}
