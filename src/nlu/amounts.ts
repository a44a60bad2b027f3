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

function asciiDigits(text: string): string {
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

const currencies: ReadonlyArray<[RegExp, string]> = [
  [/(taka|tk|bdt|৳|টাকা|ٹکا|تاکا)/iu, "BDT"],
  [/(rs\.?|rupee|rupees|pkr|روپے|روپیه|روپیو)/iu, "PKR"],
  [/(riyal|riyals|sar|ریال|ريال)/iu, "SAR"],
  [/(dirham|aed|درهم)/iu, "AED"],
  [/(usd|\$|dollar|dollars|ডলার|ڈالر|دالر|دولار|доллар)/iu, "USD"],
  [/(eur|euro|€|یورو|يورو|евро)/iu, "EUR"],
  [/(rub|rubl|руб|рубл)/iu, "RUB"],
  [/(somoni|сомон)/iu, "TJS"],
  [/(soum|sum|so'm|soʻm|сум)/iu, "UZS"],
  [/(afghani|afn|افغانی)/iu, "AFN"],
  [/(dinar|iqd|دينار|دینار)/iu, "IQD"],
  [/(ringgit|rm|myr)/iu, "MYR"],
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
  const currency = currencies.find(([pattern]) => pattern.test(text))?.[1] ?? null;
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
