import { normaliseForMatching } from "./normalise-text.js";

/**
 * Questions of a kind no leaflet can answer, however good the search: today's exchange rate, job
 * vacancies, whether one named agency is licensed. They get an honest "I can't tell you that" with
 * where to look, instead of the nearest leaflet passage.
 */
export type QuestionGap = "exchange-rate" | "vacancy" | "named-agency";

// Folded text (normaliseForMatching) is matched, so the patterns use folded letters (ی for ي, ک for ك).
const exchangeRate: readonly RegExp[] = [
  /\b(exchange|conversion) rate\b/,
  /\b(today|todays|aj|aaj|ajker|now) ?(s )?(\w+ )?rate\b/,
  /\brate (today|koto|kitna|kya|now)\b/,
  /\b(riyal|riyals|dirham|dirhams|ringgit|dollar|dollars|rouble|roubles|ruble|rubles|dinar|won)s? (to|in|=) (taka|tk|rupee|rupees|rs|afghani|somoni|sum|tenge)\b/,
  /\b\d+ (saudi )?(riyal|dirham|dollar|ruble|rouble)s? how many\b/,
  /\b(\w+ )?er rate\b/,
  /রেট কত/,
  /টাকার রেট/,
  /(آج|اج) کا ریٹ/,
  /ریٹ کیا/,
  /ریٹ کتن/,
  /نرخ (دالر|ریال|درهم|روبل|ارز|اسعار)/,
  /سعر (الصرف|الدولار|الریال|الدرهم|الدینار)/,
  /курс (валют|рубл|доллар|сомони|тенге|сум)/,
  /\bkurs (valyut|rubl|dollar)/,
  /\bvalyuta kursi\b/,
  /курби (рубл|доллар|сомони)/,
];

const vacancy: readonly RegExp[] = [
  /\bvacanc/,
  /\b(any|some) (job|jobs|work) (available|vacant|open|khali)\b/,
  /\bjobs? (available|vacant)\b/,
  /\bnokri khali\b/,
  /\bkaj (ache|khali)\b/,
  /চাকরি (খালি|আছে)/,
  /کوئی نوکری/,
  /نوکری خالی/,
  /(وظیفه|وظایف) شاغره/,
  /شغل متوفر/,
  /ваканс/,
  /\bvakansiya/,
  /\bbosh ish/,
];

const asksWhereToLook =
  /\b(where|which (site|website|platform|portal)|how (to|can i) (check|find))\b|\bqay(er|si)|\bplatforma|কোথায়|کہاں|کجا|أين|где|куҷо/;

const licenceCue =
  /\b(licen[cs]e|licen[cs]ed|genuine|real or fake|fake or real|asli|nakli|legit)\b|লাইসেন্স|জেনুইন|لائسنس|اصلی|مرخص|ترخیص|лиценз|litsenz/;
/** A particular agency: its name in quotes, a licence number such as "2345/RWP", or "the company named …". */
const namedAgency =
  /['"«“‘][^'"»”’]{4,}['"»”’]|\b\d{2,5} ?\/ ?[a-z]{2,4}\b|(شرک[ةه]|مکتب) [^\s]+ (لل|ال)|\bcalled [a-z]+ (overseas|travel|agency|manpower|employment)\b/i;

/** The kind of unanswerable question this is, or null for a question the leaflets may answer. */
export function questionGap(question: string): QuestionGap | null {
  const folded = normaliseForMatching(question);
  if (exchangeRate.some((pattern) => pattern.test(folded))) return "exchange-rate";
  // "Where can I check vacancies?" is a question the leaflets answer (official portals); "any vacancies?" is not.
  if (vacancy.some((pattern) => pattern.test(folded)) && !asksWhereToLook.test(folded)) return "vacancy";
  // Quotes and slashes are gone from the folded text: a named agency is looked for in the original.
  if (licenceCue.test(folded) && namedAgency.test(question.replace(/[كي]/g, (c) => (c === "ك" ? "ک" : "ی"))))
    return "named-agency";
  return null;
}
