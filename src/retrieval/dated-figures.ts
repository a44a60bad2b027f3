/**
 * Finds the figures in leaflet text that can go out of date (amounts of money, periods of days, hours,
 * weeks or months, phone numbers) and the year each one is "as of": a year in its own sentence, else in
 * the sentence that introduces its list, else in its section's heading. `npm run knowledge:check`
 * requires that year; the bot uses it to warn that an old figure may have changed.
 */

export type FigureKind = "money" | "duration" | "phone";

export interface Figure {
  readonly kind: FigureKind;
  /** As written, e.g. "Tk 1,65,000", "7 working days", "+880 9610 102030". */
  readonly text: string;
  /** Money: the amount (a range as "350000-400000"); phone: its digits; duration: the number and unit. */
  readonly value: string;
  /** ISO 4217 for money. */
  readonly currency: string | null;
  readonly index: number;
}

export interface DatedFigure extends Figure {
  /** 1-based line of the text the figure is on (offset by `firstLine`). */
  readonly line: number;
  readonly sentence: string;
  /**
   * Where else the as-of year was looked for: the last earlier sentence of the paragraph that names a
   * year, the list's intro, then the heading.
   */
  readonly context: string;
  readonly heading: string;
  /** The newest year the figure is as of, or null when nothing near it names one. */
  readonly asOf: number | null;
}

// Currencies as written next to a figure in leaflets, in every leaflet language. Only adjacency counts:
// "won" or "som" alone are ordinary words.
const currencyWords: ReadonlyArray<[string, string]> = [
  ["taka|tk\\.?|bdt|৳|টাকা\\p{L}*|ٹکا|تاکا|تکه", "BDT"],
  ["rs\\.?|rupees?|pkr|روپے|روپیہ|روپیه|روپۍ|रुपये", "PKR"],
  ["riyals?|sar|ریال|ريال\\p{L}*|риял\\p{L}*", "SAR"],
  ["dirhams?|aed|درهم|дирхам\\p{L}*", "AED"],
  ["qar|qr|qatari riyals?", "QAR"],
  ["kwd|kuwaiti dinars?", "KWD"],
  ["omr|omani rials?", "OMR"],
  ["bhd|bahraini dinars?", "BHD"],
  ["jod|jordanian dinars?", "JOD"],
  ["usd|us\\$|dollars?|\\$|ডলার|ڈالر|دالر|دولار\\p{L}*|доллар\\p{L}*", "USD"],
  ["eur|euros?|€|ইউরো|یورو|يورو|евро", "EUR"],
  ["rub|roubles?|rubles?|₽|руб\\p{L}*|рубл\\p{L}*|روبل", "RUB"],
  ["somoni|tjs|сомон\\p{L}*|сомонӣ", "TJS"],
  ["soum|so['ʻ’‘]m|uzs|сум|сўм", "UZS"],
  ["afghanis?|afn|افغانی", "AFN"],
  ["iqd|iraqi dinars?|dinars?|دينار|دینار|динар\\p{L}*", "IQD"],
  ["ringgit|rm|myr|রিঙ্গিত", "MYR"],
  ["sgd|s\\$", "SGD"],
  ["won|krw|₩|ওন|وون|вон\\p{L}*", "KRW"],
  ["tenge|kzt|₸|тенге", "KZT"],
  ["kgs|kyrgyz som|сом", "KGS"],
  ["lira|₺|لیر", "TRY"],
];
const multiplierWords: ReadonlyArray<[string, number]> = [
  ["crores?|কোটি|کروڑ", 10_000_000],
  ["lakhs?|lacs?|লাখ|লক্ষ|لاکھ|لکه", 100_000],
  ["millions?|mln|মিলিয়ন|ملین|میلیون|مليون|миллион\\p{L}*|млн", 1_000_000],
  ["billions?|bn", 1_000_000_000],
  ["thousand|হাজার|ہزار|هزار|زره|ألف|тысяч\\p{L}*|тыс\\.?|ҳазор", 1_000],
];
const durationWords =
  "(?:working |calendar |consecutive |full )?(?:days?|hours?|weeks?|months?)" +
  "|দিন\\p{L}*|ঘণ্টা\\p{L}*|সপ্তাহ\\p{L}*|মাস\\p{L}*" +
  "|دن|دنوں|گھنٹ\\p{L}*|ہفت\\p{L}*|مہین\\p{L}*|ماہ" +
  "|روز\\p{L}*|ساعت\\p{L}*|هفته\\p{L}*|ماه\\p{L}*|ورځ\\p{L}*|میاشت\\p{L}*|اونۍ" +
  "|يوم\\p{L}*|أيام|ساع\\p{L}*|أسبوع\\p{L}*|أسابيع|شهر\\p{L}*|أشهر" +
  "|дн\\p{L}*|день|час\\p{L}*|недел\\p{L}*|месяц\\p{L}*|рӯз\\p{L}*|соат\\p{L}*|ҳафта\\p{L}*|моҳ\\p{L}*" +
  "|kun\\p{L}*|soat\\p{L}*|hafta\\p{L}*|oy\\p{L}*";

const number = "\\d[\\d,.]*\\d|\\d";
const range = `(${number})(?:\\s?(?:[–-]|to|or)\\s?(${number}))?`;
const multiplier = `(?:\\s?(${multiplierWords.map(([words]) => words).join("|")}))?`;
const letterBefore = "(?<![\\p{L}\\p{M}\\d])";
const letterAfter = "(?![\\p{L}\\p{M}\\d])";
const currencyGroup = currencyWords.map(([words]) => `(?:${words})`).join("|");

const moneyAfterNumber = new RegExp(`${letterBefore}${range}${multiplier}\\s?(${currencyGroup})${letterAfter}`, "giu");
const moneyBeforeNumber = new RegExp(`${letterBefore}(${currencyGroup})\\s?${range}${multiplier}${letterAfter}`, "giu");
// "24 hours a day, 7 days a week" says when a line answers, not a rule that can change.
const durationPattern = new RegExp(
  `${letterBefore}(?!24 hours a day|7 days a week)(\\d{1,3})(?:\\s?[–-]\\s?\\d{1,3})?\\s?(${durationWords})${letterAfter}`,
  "giu",
);
const phonePatterns: readonly RegExp[] = [
  /(?<![\w+])\+\d[\d\s().-]{6,}\d(?!\d)/g,
  /(?<![\w,.])0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,5}(?!\d|,\d)/g,
  /(?<![\w,.+])\d{3,4}[- ]\d{3,4}[- ]\d{3,4}(?!\d|,\d)/g,
  /(?<![\w,.+])\d{3}-\d{5}(?!\d|,\d)/g,
];
// A short code (3 to 6 digits) counts as a phone number only right after words that say so.
const shortCodeAfterWord =
  /(?:call(?:ing)?|dial(?:ling)?|hotline|helpline|help line|line|number|numbers|phone|sms|text|whatsapp|toll-free|call cent(?:re|er))(?: (?:is|on|at|the|number|free|toll-free|hotline|helpline|of))*[\s:]+(\d{3,11})(?![\d,.]\d|\s?(?:%|per|workers|people|days|hours))/gi;

const currencyExact = currencyWords.map(([words, code]) => [new RegExp(`^(?:${words})$`, "iu"), code] as const);
const multiplierExact = multiplierWords.map(([words, factor]) => [new RegExp(`^(?:${words})$`, "iu"), factor] as const);

function currencyCode(word: string): string | null {
  return currencyExact.find(([pattern]) => pattern.test(word))?.[1] ?? null;
}

function multiplierValue(word: string | undefined): number {
  if (!word) return 1;
  return multiplierExact.find(([pattern]) => pattern.test(word))?.[1] ?? 1;
}

/** "1,65,000" and "10,320" are digit groups, "3.5" a decimal, "91.000" a European thousands group. */
export function numberValue(text: string): number {
  let digits = text;
  if (/,\d{2,3}(,|$)/.test(digits)) digits = digits.replace(/,/g, "");
  if (/^\d{1,3}(\.\d{3})+$/.test(digits)) digits = digits.replace(/\./g, "");
  return Number(digits.replace(/,/g, "."));
}

function amountValue(low: string, high: string | undefined, multiplierWord: string | undefined): string {
  const factor = multiplierValue(multiplierWord);
  const scale = (text: string) => String(Math.round(numberValue(text) * factor));
  return high ? `${scale(low)}-${scale(high)}` : scale(low);
}

export function phoneDigits(text: string): string {
  return text.replace(/\D/g, "");
}

function overlaps(figures: readonly Figure[], index: number, length: number): boolean {
  return figures.some((figure) => index < figure.index + figure.text.length && figure.index < index + length);
}

/** Every figure in `text`, in the order written. Text inside URLs is ignored. */
export function findFigures(text: string): Figure[] {
  const plain = text.replace(/https?:\/\/\S+/g, (url) => " ".repeat(url.length));
  const figures: Figure[] = [];
  const add = (figure: Figure) => {
    if (!overlaps(figures, figure.index, figure.text.length)) figures.push(figure);
  };
  for (const pattern of phonePatterns) {
    for (const match of plain.matchAll(pattern)) {
      add({ kind: "phone", text: match[0], value: phoneDigits(match[0]), currency: null, index: match.index });
    }
  }
  const money = (match: RegExpMatchArray, currency: string, low: string, high?: string, scale?: string) =>
    add({
      kind: "money",
      text: match[0],
      value: amountValue(low, high, scale),
      currency: currencyCode(currency),
      index: match.index ?? 0,
    });
  for (const match of plain.matchAll(moneyBeforeNumber))
    money(match, match[1] ?? "", match[2] ?? "", match[3], match[4]);
  for (const match of plain.matchAll(moneyAfterNumber))
    money(match, match[4] ?? "", match[1] ?? "", match[2], match[3]);
  for (const match of plain.matchAll(durationPattern)) {
    const [whole, amount = "", unit = ""] = match;
    add({
      kind: "duration",
      text: whole,
      value: `${amount} ${unit.toLowerCase()}`,
      currency: null,
      index: match.index,
    });
  }
  for (const match of plain.matchAll(shortCodeAfterWord)) {
    const code = match[1] ?? "";
    const index = match.index + match[0].lastIndexOf(code);
    if (!isYear(Number(code))) add({ kind: "phone", text: code, value: code, currency: null, index });
  }
  return figures.sort((a, b) => a.index - b.index);
}

/** A number that reads as a year of this or the last century's second half ("in 2022"). */
export function isYear(value: number): boolean {
  return value >= 1950 && value <= 2099;
}

// The year in a law's name ("Emigration Rules 1979", "Decree-Law No. 33 of 2021", "Directive 2008/115/EC")
// says when the law was made, not how old a figure is.
const lawYear =
  /(?:\b(?:Act|Rules|Ordinance|Convention|Protocol|Directive|Regulations?|Decree|Law|Code)\b,?\s(?:No\.?\s?\d+\s)?(?:of\s)?(\d{4})\b|\b(\d{4})\/\d+\/E[UC]\b|\b(?:Convention|Protocol),\s(\d{4}))/g;

/** Years named in the text (Latin digits), except those in law names and inside figures. */
export function yearsIn(text: string): number[] {
  const blanked = text.replace(/https?:\/\/\S+/g, " ").replace(lawYear, (match) => " ".repeat(match.length));
  const figures = findFigures(blanked).filter((figure) => figure.kind !== "duration");
  const years: number[] = [];
  // "In November 2021, …" names a year; "2,021" and "2021.5" do not.
  for (const match of blanked.matchAll(/(?<![\d,.])(\d{4})(?!\d|[,.]\d)/g)) {
    const value = Number(match[1]);
    if (isYear(value) && !overlaps(figures, match.index, 4)) years.push(value);
  }
  return years;
}

/** Sentence boundaries in every leaflet script; a full stop inside "3.5" or "a.m." is not one. */
export function sentencesOf(paragraph: string): { text: string; start: number }[] {
  const sentences: { text: string; start: number }[] = [];
  const boundary = /(?<=[.!?।۔؟])\s+(?=[^\s\da-z])|(?<=[।۔؟])\s*/gu;
  let start = 0;
  for (const match of paragraph.matchAll(boundary)) {
    const end = match.index;
    if (end > start) sentences.push({ text: paragraph.slice(start, end), start });
    start = end + match[0].length;
  }
  if (start < paragraph.length) sentences.push({ text: paragraph.slice(start), start });
  return sentences;
}

const listItem = /^\s*(?:[-*+]|\d+[.)])\s+/;

function newestYear(...texts: string[]): number | null {
  for (const text of texts) {
    const years = yearsIn(text);
    if (years.length > 0) return Math.max(...years);
  }
  return null;
}

/**
 * The figures of a Markdown text (a leaflet body, or one section's passage with its `heading`), each
 * with its line, its sentence and its as-of year.
 */
export function datedFigures(markdown: string, options: { heading?: string; firstLine?: number } = {}): DatedFigure[] {
  const firstLine = options.firstLine ?? 1;
  let heading = options.heading ?? "";
  let listIntro = "";
  let previousPlain = "";
  const dated: DatedFigure[] = [];
  markdown.split(/\r?\n/).forEach((rawLine, offset) => {
    const line = rawLine.replace(/<!--[\s\S]*?-->/g, "");
    const headingMatch = /^#{1,6}\s+(.+)$/.exec(line);
    if (headingMatch) {
      heading = headingMatch[1] ?? "";
      listIntro = "";
      previousPlain = "";
      return;
    }
    if (!line.trim()) return;
    const inList = listItem.test(line);
    if (inList && !listIntro) listIntro = lastSentence(previousPlain);
    if (!inList) {
      listIntro = "";
      previousPlain = line;
    }
    // A year said earlier in the same paragraph still holds ("In January 2018 the minister gave these
    // ceilings. Singapore Tk2,62,270. Russia Tk1,66,640.").
    let earlier = "";
    for (const sentence of sentencesOf(line)) {
      const previous = earlier;
      if (yearsIn(sentence.text).length > 0) earlier = sentence.text;
      for (const figure of findFigures(sentence.text)) {
        const context = [previous, inList ? listIntro : ""].filter(Boolean).join(" … ");
        dated.push({
          ...figure,
          line: firstLine + offset,
          sentence: sentence.text.trim(),
          context,
          heading,
          asOf: newestYear(sentence.text, previous, inList ? listIntro : "", heading),
        });
      }
    }
  });
  return dated;
}

function lastSentence(paragraph: string): string {
  const sentences = sentencesOf(paragraph);
  return sentences[sentences.length - 1]?.text ?? "";
}

/**
 * The years of the figures in a passage that are older than `staleAfterYears` on `today`, oldest first;
 * phone numbers are dated by the directory, not here.
 */
export function staleFigureYears(passage: string, heading: string, today: Date, staleAfterYears: number): number[] {
  const cutoff = today.getUTCFullYear() - staleAfterYears;
  const years = datedFigures(passage, { heading })
    .filter((figure) => figure.kind !== "phone" && figure.asOf !== null && figure.asOf < cutoff)
    .map((figure) => figure.asOf as number);
  return [...new Set(years)].sort((a, b) => a - b);
}

/** A passage's sentences, each line (a list item) apart. */
export function sentencesAndItems(text: string): string[] {
  return text.split(/\n+/u).flatMap((line) => sentencesOf(line).map((sentence) => sentence.text));
}
