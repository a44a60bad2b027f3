/**
 * Reads an amount of money from chat text: "350000 taka", "Tk 1,65,000", "3.5 lakh", "৩ লাখ টাকা",
 * "Rs 2 lac", "۳۵۰ هزار", "200 тысяч рублей". Digits in Bengali, Arabic-Indic and Persian script are
 * read too. Returns null when no number is there.
 */
export interface Amount {
  readonly value: number;
  /** ISO 4217, when the text names a currency. */
  readonly currency: string | null;
}

const digitBlocks = [0x09e6, 0x0660, 0x06f0, 0x0966];

/** Bengali, Arabic-Indic, Persian and Devanagari digits as ASCII digits, Arabic separators as "." and ",". */
export function asciiDigits(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const block = digitBlocks.find((start) => code >= start && code <= start + 9);
    out += block === undefined ? char : String(code - block);
  }
  // Arabic decimal and thousands separators.
  return out.replace(/\u066B/g, ".").replace(/\u066C/g, ",");
}

const multipliers: ReadonlyArray<[RegExp, number]> = [
  [/^(crore|crores|cr|কোটি|کروڑ|کرور)/u, 10_000_000],
  [/^(lakh|lakhs|lac|lacs|lak|লাখ|লক্ষ|لاکھ|لک|لکه)/u, 100_000],
  [/^(million|mln|mio|মিলিয়ন|ملین|میلیون|миллион|млн|مليون)/u, 1_000_000],
  [/^(thousand|k|hazar|hajar|হাজার|ہزار|هزار|زره|ألف|الف|тысяч|тыс|ҳазор|хазор|ming)/u, 1_000],
];

// Latin and Cyrillic names must stand as words ("rm" is in "permit", "rs" in "workers"); names in
// Bengali and Arabic script may carry case endings ("টাকার"), so only their start is matched.
const before = "(?<![\\p{L}\\p{M}])";
const after = "(?![\\p{L}])";
const currencies: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(`${before}(taka|tk|bdt)${after}|৳|টাকা|ٹکا|تاکا`, "iu"), "BDT"],
  [new RegExp(`${before}(rs\\.?|rupees?|pkr)${after}|روپے|روپیه|روپیو`, "iu"), "PKR"],
  [new RegExp(`${before}(riyals?|sar)${after}|ریال|ريال`, "iu"), "SAR"],
  [new RegExp(`${before}(dirhams?|aed)${after}|درهم`, "iu"), "AED"],
  [new RegExp(`${before}(usd|dollars?|доллар\\p{L}*)${after}|\\$|ডলার|ڈالر|دالر|دولار`, "iu"), "USD"],
  [new RegExp(`${before}(eur|euros?|евро)${after}|€|یورو|يورو`, "iu"), "EUR"],
  [new RegExp(`${before}(rub|roubles?|rubl\\p{L}*|руб\\p{L}*)${after}`, "iu"), "RUB"],
  [new RegExp(`${before}(somoni|сомон\\p{L}*)${after}`, "iu"), "TJS"],
  [new RegExp(`${before}(soum|so['ʻ’‘]m|сум|сўм)${after}`, "iu"), "UZS"],
  [new RegExp(`${before}(afghanis?|afn)${after}|افغانی`, "iu"), "AFN"],
  [new RegExp(`${before}(dinars?|iqd)${after}|دينار|دینار`, "iu"), "IQD"],
  [new RegExp(`${before}(ringgit|rm|myr)${after}`, "iu"), "MYR"],
];

export function parseAmount(input: string): Amount | null {
  const text = asciiDigits(input).toLowerCase();
  const match = /(\d[\d,.\s]*\d|\d)\s*([\p{L}\p{M}৳$€]*)/u.exec(text);
  if (!match) return null;
  let digits = (match[1] ?? "").replace(/\s/g, "");
  // "1,65,000" and "165,000" are thousands groups; "3.5" is a decimal.
  if (/,\d{2,3}(,|$)/.test(digits)) digits = digits.replace(/,/g, "");
  digits = digits.replace(/,/g, ".");
  const parts = digits.split(".");
  if (parts.length > 2) digits = parts.join("");
  let value = Number(digits);
  if (!Number.isFinite(value)) return null;
  const after = match[2] ?? "";
  const multiplier = multipliers.find(([pattern]) => pattern.test(after));
  if (multiplier) value *= multiplier[1];
  // Uzbek "sum" is an English word too: take it only right after the number ("1 200 000 sum").
  const currency = currencies.find(([pattern]) => pattern.test(text))?.[1] ?? (after.startsWith("sum") ? "UZS" : null);
  return { value: Math.round(value), currency };
}

/** "Tk 1,65,000"-style display in the currency's usual grouping (South Asian lakh grouping for BDT/PKR). */
export function formatAmount(value: number, currency: string): string {
  const symbol: Readonly<Record<string, string>> = {
    BDT: "Tk",
    PKR: "Rs",
    SAR: "SAR",
    USD: "USD",
    EUR: "EUR",
    RUB: "RUB",
  };
  const grouped =
    currency === "BDT" || currency === "PKR" ? value.toLocaleString("en-IN") : value.toLocaleString("en-US");
  return `${symbol[currency] ?? currency} ${grouped}`;
}
