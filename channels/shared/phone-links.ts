/**
 * Numbers to call, found where the bot presents them: at the start of a contact line, after 🚨 or ☎ and
 * before " — " ("🚨 999 — National Emergency Service…", "☎ 0304 1112123 — Migrant Resource Centre…", as
 * src/directory/format-contacts.ts writes them). Only those become tap-to-call links, so fees, years and
 * numbers inside sentences stay text, and a number with letters ("800 Save") is never one.
 *
 * This module is the reference. The web chat widget (channels/webchat/public/widget.js) and the official
 * Web Chat page (channels/webchat/official/public/page.js) are plain browser scripts and keep a copy of
 * the pattern; test/e2e/webchat-widget.test.ts checks that the widget links exactly what this finds.
 */
const contactNumberPattern = /^([🚨☎]\uFE0F? )(\+?\(?\d[\d ().-]*\d)(?= — )/gmu;

export interface ContactNumber {
  /** Where the number starts and ends in the text (UTF-16 offsets, as `slice` takes them). */
  readonly start: number;
  readonly end: number;
  /** The number as written ("+7 (966) 031-22-22"). */
  readonly number: string;
  /** Its `tel:` URI ("tel:+79660312222"). */
  readonly uri: string;
}

/** The `tel:` URI of a written number: a leading + kept, digits only otherwise; null when it has letters or no digits. */
export function telUri(number: string): string | null {
  const written = number.trim();
  if (/\p{L}/u.test(written)) return null;
  const digits = written.replace(/\D/g, "");
  if (digits.length === 0) return null;
  return `tel:${written.startsWith("+") ? "+" : ""}${digits}`;
}

/** The numbers to call in a reply's text, in order. */
export function contactNumbers(text: string): ContactNumber[] {
  const found: ContactNumber[] = [];
  for (const match of text.matchAll(contactNumberPattern)) {
    const [, icon = "", number = ""] = match;
    const uri = telUri(number);
    if (!uri) continue;
    const start = match.index + icon.length;
    found.push({ start, end: start + number.length, number, uri });
  }
  return found;
}
