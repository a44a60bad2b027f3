import { hasCue, normaliseForMatching } from "./normalise-text.js";

/**
 * Who is asking, from the national offices they name: a Pashto speaker asking about the OEP, the
 * Protector or State Life insurance is from Pakistan, not Afghanistan; a question about BMET or BOESL is
 * a Bangladeshi's. Used only when the person has not said where they are from.
 */
const officesByOrigin: readonly { readonly origin: string; readonly cues: readonly string[] }[] = [
  {
    origin: "PK",
    cues: [
      "oep",
      "beoe",
      "be&oe",
      "protector",
      "protecter",
      "opf",
      "nadra",
      "cnic",
      "state life",
      "او ای پی",
      "پروٹیکٹر",
      "پروټیکټر",
      "پروتکتور",
      "نادرا",
      "اسٹیٹ لائف",
      // Pashto spells the offices out: "Overseas Pakistanis Foundation", "Overseas Employment Promoter".
      "oec",
      "اوورسیز پاکستانیز",
      "اوورسیز پاکستانی",
      "اوورسیز ایمپلائمنټ",
      "اوورسیز ایمپلایمنټ",
      "سټیټ لایف",
      "سټېټ لایف",
    ],
  },
  {
    origin: "BD",
    cues: ["bmet", "boesl", "wewb", "probashi kallyan", "বিএমইটি", "বোয়েসেল", "প্রবাসী কল্যাণ", "ami probashi"],
  },
].map(({ origin, cues }) => ({ origin, cues: cues.map(normaliseForMatching) }));

/** The one origin whose national offices the text names, or null (none, or more than one country's). */
export function originFromOffices(text: string): string | null {
  const folded = ` ${normaliseForMatching(text)} `;
  const origins = officesByOrigin.filter(({ cues }) => hasCue(folded, cues)).map(({ origin }) => origin);
  return origins.length === 1 ? (origins[0] ?? null) : null;
}
