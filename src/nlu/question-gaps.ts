import { cueList, normaliseForMatching, words } from "./normalise-text.js";

/**
 * Questions of a kind no leaflet can answer, however good the search: today's exchange rate, job
 * vacancies, whether one named agency is licensed. They get an honest "I can't tell you that" with
 * where to look, instead of the nearest leaflet passage.
 *
 * Each kind is recognised by the ideas it combines (a currency and a rate, a job and "is there", a
 * licence and a name), with each idea's words in every language, not by whole sentences: migrants
 * phrase the same question in endless ways, but they use the same few words for a rate or a vacancy.
 */
export type QuestionGap = "exchange-rate" | "vacancy" | "named-agency" | "airfare";

const foreignCurrency = cueList(`
  dollar | dolar | doller | usd | riyal | rial | riyel | sar | dirham | dirhom | aed | ringgit |
  ringit | rouble | ruble | rubl | rub | euro | eur | yevro | won | lira | dinar | iqd | pound | yen |
  yuan | ডলার | রিয়াল | রিয়েল | দিরহাম | রিংগিত | রিঙ্গিত | ইউরো | দিনার | ڈالر | ریال | درہم | رنگٹ |
  روبل | یورو | دینار | لیرا | دالر | دلار | درهم | لیره | تومان | ډالر | ډالرو | دولار | ريال | دينار |
  يورو | ليره | ليرة | доллар | рубл | евро | риял | дирхам | лир | тенге | вон | рубли | dollari |
  rubli
`);

const homeCurrency = cueList(`
  taka | tk | rupee | rupees | rupai | rupay | rs | pkr | afghani | afn | somoni | som | sum | tenge | kaldar | টাকা |
  টাকায় | রুপি | روپے | روپیہ | روپیے | ٹکہ | ٹکے | افغانی | افغانۍ | کلدار | روپۍ | روپیه | сомони |
  сомонӣ | сум | сўм | тенге | сом
`);

const rateWords = cueList(`
  rate | rates | ret | reyt | nerkh | nirkh | narkh | exchange | conversion | convert | রেট | দর | ریٹ | نرخ | بیه | سعر |
  اسعار | صرف | курс | kurs | kursi | қурб | курби | si3r | se3r | sa3r | s3r | sa3er | sarf
`);

const nowWords = cueList(`
  today | todays | now | tonight | current | currently | aj | aaj | aje | ajke | ajker | ekhon | abhi |
  আজ | আজকে | আজকের | এখন | آج | ابھی | امروز | اکنون | حالا | فعلا | نن | ننی | اوس | اليوم | هسه |
  حاليا | الان | сегодня | сейчас | текущ | имрӯз | ҳоло | ҳозир | bugun | bugungi | hozir | hozirgi |
  yom | elyom | alyom | alyoum | lyom | hessa | hassa | hasa
`);

const priceAsked = cueList(`
  how much | how many | kitne | kitna | koto | কত | کتنے | کتنا | چند | څو | څومره | بکم | شکد | شقد | شگد |
  sumra | somra | tsomra | chand | shgad | сколько | почем | чанд | qancha | necha
`);

const vacancyWords = cueList(`
  vacanc | ваканс | vakans | شاغر | hiring | есть работа | есть ли работа | работа есть | работу найти
`);

const jobWords = cueList(`
  job | jobs | work | kaj | kaaj | chakri | chakuri | naukri | nokri | kaam | কাজ | চাকরি | চাকুরি |
  نوکری | ملازمت | کام | کار | وظیفه | شغل | وظیفه | شغله | работа | работу | работы | кор | ish
`);

const availableWords = cueList(`
  available | vacant | open | opening | khali | ache | ase | milegi | milega | mil jayegi | mil jaegi |
  খালি | আছে | ملے گی | ملے گا | ملتی | خالی | شته | هست | موجود | اکو | فیه | متوفر | имеется | ҳаст |
  ёфт | bormi | bor | mavjud | topsa
`);

const anyWords = cueList(`
  any | koi | কোনো | کوئی | کوم | هیچ | ای | ягон | biror | какая нибудь | любая
`);

/** What else a question may price in a foreign currency: then it is not asking for the rate. */
const pricedThings = cueList(`
  salary | wage | tankhwa | tankha | beton | বেতন | তনখা | تنخواہ | معاش | حقوق | راتب | зарплат |
  маош | oylik | maosh | fee | fees | ফি | فیس | رسوم | пошлин | patent | патент | visa | ভিসা | ویزا |
  ویزه | تاشیره | فیزا | виза | ticket | টিকিট | ٹکٹ | بلیط | تذکره | билет | chipta | cost | খরচ |
  خرچ | هزینه | لګښت | تکلفه | стоимость | нарх | narx | xarajat
`);

// Today's price of a plane ticket: a ticket word with a price or "cheap", and nothing of who must pay it
// (a contract's return ticket, the employer's duty, an agent's charge, an insurance: the leaflets answer
// those). Not "تذکره": in Dari it is the tazkira, the identity card.
const ticketWords = cueList(`
  ticket | tiket | airfare | air fare | plane fare | টিকিট | টিকেট | ٹکٹ | بلیط | تکت | ټکټ | تذاکر |
  билет | bilet | chipta | чипта
`);
const cheapWords = cueList(`
  cheap | cheapest | sasta | sasti | shosta | সস্তা | سستا | ارزان | ارزون | رخیص | ارخص | дешев | арзон |
  arzon | ticket price | fare | ভাড়া | vara | bhara | کرایه | کرایہ | سعر | اسعار | цена | стоит | нарх | narx
`);
const ticketDuty = cueList(`
  employer | company | kafeel | kafil | malik | sponsor | contract | pays | paid | free | return | years | saal |
  bochor | agent | dalal | fee | charge | legal | refund | کفیل | مالک | کمپنی | قرارداد | شرکت | کفیل | کمپنی |
  شرکه | العقد | وکیل | работодател | компани | договор | контракт | агент | корфармо | ширкат | ish beruvchi |
  shartnoma | মালিক | কোম্পানি | চুক্তি | বছর | দালাল | ساله | سال | qaytish | обратн | возврат | бозгашт |
  بازگشت | واپسی | عوده | ফেরত | ফেরার | insurance | sugurta | страхов | بیمه | بیمہ | বীমা
`);

function asksAirfare(folded: string): boolean {
  return has(folded, ticketWords) && (has(folded, cheapWords) || has(folded, priceAsked)) && !has(folded, ticketDuty);
}

/** A job offer someone already has, to be checked: the leaflets on fake offers answer that. */
const checkingAnOffer = cueList(`
  fake | scam | fraud | real | check | dhoka | dhoka | ভুয়া | প্রতারণা | ধোঁকা | চেক | دھوکہ | فراڈ |
  جعلی | چیک | دوکه | درغل | فریب | تقلب | احتیال | نصب | اشیک | обман | мошен | провер | фейк | фиреб |
  қаллоб | firib | aldov | tekshir | fake
`);

const asksWhereToLook = cueList(`
  where | which site | which website | which platform | which portal | how to check | how can i check |
  how to find | how can i find | qayer | qaysi | platforma | কোথায় | کہاں | کجا | چیرته | وين | من اين اتحقق |
  اين اتحقق | اين افحص | где | куда | куҷо
`);
// Not "أين" alone: folded, it is the Persian "این" ("this company…").

const licenceWords = cueList(`
  licen | license | genuine | real or fake | fake or real | fake | asli | nakli | legit | registered |
  লাইসেন্স | জেনুইন | ভুয়া | ভুয়া | لائسنس | لایسنس | لیسانس | اصلی | جعلی | نقلی | مجوز | جواز لري |
  جواز لره | جواز دارد | جواز داره | جواز داری | دارای جواز | مرخص | ترخیص | رسمی | лиценз | литсенз |
  litsenz | ruxsatnoma
`);

/** Words that name an agency when they follow a proper name: "Gulf Star Overseas", "Al Madina Manpower". */
const agencyNameEnd =
  /\b[A-Z][\w&'-]*(?: [A-Z][\w&'-]*)* (?:Overseas|Manpower|Travels?|Agency|Recruiting|Recruitment|Employment|Group|Company|Ltd|International|Services|Tours?)\b/u;

/** A particular agency: its name in quotes, a licence number such as "2345/RWP", "the company named …". */
const namedAgency: readonly RegExp[] = [
  /['"«“‘„][^'"»”’“]{3,}['"»”’“]/u,
  /\b\d{2,5} ?\/ ?[A-Za-z]{2,4}\b/u,
  /\b(?:called|named) [A-Za-z]+/u,
  agencyNameEnd,
  // Arabic company names begin with "al": شركة النور, مكتب الأمل.
  /(?:شر[كک][ةه]|شرکت|م[كک]تب|دفتر) (?!(?:التوظی|التشغی|العمل|السفر|الهجر|الاستقدام))(?:لل|ال)\S+/u,
  // Persian, Pashto and Urdu names end like the English ones: شرکت آریانا سفر, فلاں اوورسیز.
  /\S{3,} (?:سفر|ترول|تراول|ٹریول|ټراول|اوورسیز|اورسیز|اوورسیس|منپاور|مین پاور|ٹریولز)(?:\s|$|[?؟،,.])/u,
  /(?:агентств\p{L}*|компани\p{L}*|фирм\p{L}*|ширкат\p{L}*|агенти\p{L}*|agentlig\p{L}*|kompaniya\p{L}*) \p{Lu}/u,
  /\p{Lu}\p{L}+ (?:agentligi|kompaniyasi)\b/u,
];

function has(text: string, entries: readonly string[]): boolean {
  return entries.some((entry) => findEntry(text, entry) >= 0);
}

/** Where (in words) an entry starts in the text, or -1. */
function findEntry(text: string, entry: string): number {
  const tokens = text.split(" ");
  const parts = entry.split(" ");
  for (let index = 0; index + parts.length <= tokens.length; index += 1) {
    const fits = parts.every((part, offset) => wordFits(tokens[index + offset] ?? "", part));
    if (fits) return index;
  }
  return -1;
}

/** Arabic glues "and", "the", "with" to the front of a word: "بالدولار" is "with the dollar". */
const arabicPrefix = /^(?:وبال|وال|بال|فال|ال|لل|و|ب)(?=\p{L}{3})/u;

function wordFits(token: string, entry: string): boolean {
  const fits = (word: string) => (Array.from(entry).length <= 3 ? word === entry : word.startsWith(entry));
  return fits(token) || fits(token.replace(arabicPrefix, ""));
}

/** Two ideas within a few words of each other ("kaj ache", "есть работа", "کار خالی"). */
function near(text: string, first: readonly string[], second: readonly string[], distance = 3): boolean {
  const tokens = text.split(" ");
  const at = (entries: readonly string[]) =>
    tokens.flatMap((_, index) => {
      const rest = tokens.slice(index).join(" ");
      return entries.some((entry) => findEntry(rest, entry) === 0) ? [index] : [];
    });
  const firstAt = at(first);
  const secondAt = at(second);
  return firstAt.some((a) => secondAt.some((b) => Math.abs(a - b) <= distance));
}

// A share ("what percent incentive", "কত শতাংশ") is not the rate of a currency.
const shareWords = cueList(`percent | incentive | bonus | % | প্রণোদনা | শতাংশ | পার্সেন্ট | فیصد | پرسنٹ | درصد |
  نسبه | حافز | процент | бонус | фоиз | foiz`);

function asksExchangeRate(folded: string): boolean {
  if (has(folded, shareWords)) return false;
  const foreign = has(folded, foreignCurrency);
  const rate = has(folded, rateWords);
  if (rate && (foreign || has(folded, homeCurrency))) return true;
  if (!foreign || has(folded, pricedThings) || words(folded).length > 16) return false;
  // "1 riyal koto taka?", "сколько сегодня стоит доллар?", "الدولار بكم اليوم؟": the price of a currency.
  const priced = has(folded, priceAsked) || /\d/.test(folded);
  return priced && (has(folded, homeCurrency) || has(folded, nowWords));
}

// Forced labour, trafficking and their signs are no job search: "is there a list of signs of forced work?"
const notAJobSearch = cueList(`
  forced | bonded | slave | traffick | sign | indicator | اجباری | بیگاری | نشانه | جبری | علامت | قسری |
  принудит | рабств | признак | majburiy | belgi | мачбурӣ | аломат | জোরপূর্বক | লক্ষণ
`);

function asksVacancy(folded: string): boolean {
  if (has(folded, asksWhereToLook) || has(folded, checkingAnOffer) || has(folded, notAJobSearch)) return false;
  // "kaj ache", "есть работа", "کار خالی": the two words side by side. Further apart they are another
  // question ("ish ruxsatnomam bor" is "I have a work permit", "ҳаст, ки кор бояд қатъ шавад" asks about heat).
  if (has(folded, vacancyWords) || near(folded, jobWords, availableWords, 1)) return true;
  // "any driver jobs in dubai right now?"
  return near(folded, anyWords, jobWords, 2) && has(folded, nowWords);
}

/** The kind of unanswerable question this is, or null for a question the leaflets may answer. */
export function questionGap(question: string): QuestionGap | null {
  const folded = normaliseForMatching(question);
  if (asksExchangeRate(folded)) return "exchange-rate";
  // "Where can I check vacancies?" is a question the leaflets answer (official portals); "any vacancies?" is not.
  if (asksVacancy(folded)) return "vacancy";
  if (asksAirfare(folded)) return "airfare";
  // Quotes, slashes and capitals are gone from the folded text: a named agency is looked for in the original.
  // Uzbek writes o', g' and the glottal stop with an apostrophe inside words ("Qozog'istonda … ko'pi"):
  // those are letters, not quotation marks around an agency's name.
  const original = question
    .replace(/(\p{L})['’‘`ʻʼ](?=\p{L})/gu, "$1")
    .replace(/[كي]/g, (letter) => (letter === "ك" ? "ک" : "ی"));
  // "Where do I check?" is answered by the leaflets on checking a licence, whichever agency it is.
  if (!has(folded, licenceWords) || has(folded, asksWhereToLook)) return null;
  return namedAgency.some((pattern) => pattern.test(original)) ? "named-agency" : null;
}
