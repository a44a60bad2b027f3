import { createHash } from "node:crypto";
import type { Outbound, QuickReply } from "../../src/core/message.js";
import { renderReplyText, type TextStyle } from "../shared/render-text.js";
import { splitText } from "../shared/split-text.js";

/** Telegram's limit on one message's text (after entities are parsed). */
export const telegramMessageLimit = 4096;

/** One Telegram message ready for sendMessage with parse_mode HTML. */
export interface TelegramPiece {
  readonly html: string;
  /** Rows of buttons; each button's callback_data is a short handle "o:<choice>" (Telegram allows 64 bytes). */
  readonly keyboard?: readonly (readonly InlineButton[])[];
}

export interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

// Tags and entities are swapped for this private-use character while splitting, so a cut never falls
// inside `<a href="…">` or `&amp;`; user text never carries it (escapeHtml removes it).
const placeholder = "\uE000";
const markupToken = /<[^>]*>|&(?:[a-z]+|#\d+);/g;

function escapeHtml(text: string): string {
  return text.replaceAll(placeholder, "").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const attribute = (value: string) => escapeHtml(value).replaceAll('"', "&quot;");

/** Telegram's HTML subset: <b>, <a href>, and &amp; &lt; &gt; escapes. */
export const telegramHtmlStyle: TextStyle = {
  bold: (text) => `<b>${text}</b>`,
  escape: escapeHtml,
  link: (title, url) =>
    /^https?:\/\//i.test(url) ? `<a href="${attribute(url)}">${title}</a>` : `${title}: ${escapeHtml(url)}`,
  // Telegram's own link check (TDLib's LinkManager::check_link) knows only http(s), tg: and ton: links, and
  // its HTML parser drops a link it does not know while keeping the words: today the number arrives as plain
  // text (the apps still mark numbers in international format as phone numbers), and works the day Telegram
  // accepts tel: links. Should Telegram refuse the message instead, TelegramSender resends it without links.
  phone: (number, uri) => `<a href="${attribute(uri)}">${number}</a>`,
};

/**
 * The callback_data of option number `choice` (1-based): "o:<choice>:<check>", where the check is a
 * short hash of the action, so a button on an older message (whose number now means another option)
 * is recognised as stale instead of running the wrong action.
 */
export function optionHandle(choice: number, action: string): string {
  return `o:${String(choice)}:${actionCheck(action)}`;
}

export function actionCheck(action: string): string {
  return createHash("sha256").update(action).digest("base64url").slice(0, 6);
}

/** The option number and check inside a callback_data handle, or null when it is not one of ours. */
export function parseOptionHandle(data: string): { choice: number; check: string | null } | null {
  const match = /^o:(\d{1,2})(?::([\w-]{6}))?$/.exec(data);
  return match ? { choice: Number(match[1]), check: match[2] ?? null } : null;
}

// Two buttons share a row only when both titles fit half a phone screen. Counted in graphemes, so a
// Bengali or Arabic title is measured as it looks, not by its code points.
const shortTitle = 16;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function isShort(title: string): boolean {
  return Array.from(graphemes.segment(title.slice(0, shortTitle * 4))).length <= shortTitle;
}

/** Quick replies as an inline keyboard: one per row, or two short ones side by side. */
export function inlineKeyboard(quickReplies: readonly QuickReply[], firstChoice = 1): InlineButton[][] {
  const buttons = quickReplies.map((reply, index) => ({
    text: reply.title,
    callback_data: optionHandle(firstChoice + index, reply.action),
  }));
  const rows: InlineButton[][] = [];
  for (let i = 0; i < buttons.length; i += 1) {
    const current = buttons[i];
    const next = buttons[i + 1];
    if (!current) break;
    if (next && isShort(current.text) && isShort(next.text)) {
      rows.push([current, next]);
      i += 1;
    } else {
      rows.push([current]);
    }
  }
  return rows;
}

/**
 * Splits Telegram HTML into pieces of at most `limit` visible characters at clean breaks (splitText),
 * closing the tags still open at each cut and opening them again at the start of the next piece.
 */
export function splitHtml(html: string, limit = telegramMessageLimit): string[] {
  const tokens = html.match(markupToken) ?? [];
  const flattened = html.replace(markupToken, placeholder);
  let next = 0;
  const open: string[] = [];
  const pieces: string[] = [];
  for (const flat of splitText(flattened, limit)) {
    const reopened = open.join("");
    const restored = flat.replace(new RegExp(placeholder, "g"), () => tokens[next++] ?? "");
    for (const tag of restored.match(/<\/?[a-z]+[^>]*>/gi) ?? []) {
      if (tag.startsWith("</")) open.pop();
      else open.push(tag);
    }
    const closers = [...open]
      .reverse()
      .map((tag) => `</${/^<([a-z]+)/i.exec(tag)?.[1] ?? ""}>`)
      .join("");
    const piece = `${reopened}${restored}${closers}`;
    if (piece.replace(/<[^>]*>/g, "").trim()) pieces.push(piece);
  }
  return pieces;
}

/** One reply as Telegram messages: HTML text in pieces, the keyboard on the last piece. */
export function renderForTelegram(outbound: Outbound, firstChoice = 1): TelegramPiece[] {
  const pieces = splitHtml(renderReplyText(outbound, telegramHtmlStyle));
  if (pieces.length === 0) return [];
  const keyboard = outbound.quickReplies.length > 0 ? inlineKeyboard(outbound.quickReplies, firstChoice) : undefined;
  return pieces.map((html, index) => (index === pieces.length - 1 && keyboard ? { html, keyboard } : { html }));
}

/**
 * Several replies as Telegram messages. Their options are numbered through (the second reply's first
 * button is option 4 when the first had 3), so all of them are remembered together and every button
 * still maps to its own action.
 */
export function renderReplies(outbounds: readonly Outbound[]): { pieces: TelegramPiece[]; options: QuickReply[] } {
  const pieces: TelegramPiece[] = [];
  const options: QuickReply[] = [];
  for (const outbound of outbounds) {
    pieces.push(...renderForTelegram(outbound, options.length + 1));
    options.push(...outbound.quickReplies);
  }
  return { pieces, options };
}

/** The text of a piece without markup, for a resend when Telegram refuses the HTML. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
}
