import type { MrcDirectory } from "./mrc-directory.js";

const contactIcons = { hotline: "☎", phone: "☎", whatsapp: "💬", email: "✉", website: "🌐", address: "📍" } as const;

/**
 * One line per contact, e.g. "☎ 333 — Migrant Resource Centre Bangladesh, Dhaka". Numbers and names
 * are shown as the source gives them, in any language.
 */
export function contactLines(directory: MrcDirectory, country: string | null): string[] {
  return directory
    .emergencyContacts(country)
    .map(
      ({ name, contact }) =>
        `${contactIcons[contact.kind]} ${contact.value} — ${name}${contact.label ? ` (${contact.label})` : ""}`,
    );
}
