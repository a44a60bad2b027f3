import type { Outbound, QuickReply } from "../../src/core/message.js";

export interface TextStyle {
  /** `**bold**` in the core's light Markdown, rendered for the channel (or left plain). */
  bold(text: string): string;
  /** Escapes characters the channel would read as markup. */
  escape(text: string): string;
  /** A link with a title; channels without links show "title: url". */
  link(title: string, url: string): string;
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
  const body = outbound.text
    .split(/(\*\*[^*]+\*\*)/g)
    .map((part) =>
      part.startsWith("**") && part.endsWith("**") && part.length > 4
        ? style.bold(style.escape(part.slice(2, -2)))
        : style.escape(part),
    )
    .join("");
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

/**
 * Quick replies as a numbered list, for channels without buttons (WhatsApp Web) or with too many
 * options for buttons. The user answers with the number; `OptionMemory` maps it back.
 */
export function numberedOptions(quickReplies: readonly QuickReply[], style: TextStyle = plainStyle): string {
  return quickReplies.map((reply, index) => `${String(index + 1)}. ${style.escape(reply.title)}`).join("\n");
}
