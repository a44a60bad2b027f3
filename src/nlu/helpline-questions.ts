import type { HotlineKind } from "../directory/mrc-directory.js";
import type { LanguageCode } from "../i18n/languages.js";
import { cueList, cueTexts, hasCue, normaliseForMatching } from "./normalise-text.js";
import { questionKinds } from "./question-kind.js";

/**
 * "Which number do I call in Qatar to complain about my employer?", "Koreyada … markazi raqami
 * qanday?": a number asked for about a subject the directory's helplines are kept by. The words of each
 * subject are word starts in folded text (normaliseForMatching), in every reply language.
 */
const subjects: readonly { readonly kinds: readonly HotlineKind[]; readonly words: string }[] = [
  {
    kinds: ["labour-complaints"],
    words: `labour | labor | complain | employer | salary | wage | unpaid | manpower | mohre | mhrsd | lmra |
      শ্রম | অভিযোগ | বেতন | মালিক | লেবার | shikayat | tankhwa | beton | malik | شکایت | تنخواہ | لیبر | مزدور |
      کارفرما | معاش | وزارت کار | کارګر | تنخوا | شكوى | شکوی | راتب | الراتب | وزاره العمل | الکفیل | кафил | жалоб |
      зарплат | работодател | трудов | шикоят | маош | корфармо | shikoyat | oylik | ish haqi | ish beruvchi | mehnat | وزاره عمل | вазорати мехнат |
      министерство труда | минтруд | мехнат вазирлиги | کار وزارت | wizarat | wazarat | ministry of labour |
      اشتک | یشتک | نشتک | пожалов | کارگر | коргар | korgar`,
  },
  {
    // Domestic workers and their recruitment offices: Kuwait's department for them takes complaints.
    kinds: ["labour-complaints", "migrant-helpline"],
    words: `domestic worker | housemaid | house maid | recruitment office | العماله المنزلیه | عماله منزلیه |
      خدامه | عامله منزلیه | استقدام | مکتب استقدام | گھریلو ملازم | ghar ki naukrani | گৃহকর্মী | griho kormi |
      کارگر خانگی | خدمتکار خانه | کور کارګر | کورنی کارګر | домработниц | домашн работниц | хизматгор |
      uy ishchi | uy xizmatchi`,
  },
  {
    kinds: ["trafficking"],
    words: `traffick | pachar | পাচার | اسمگلنگ | ٹریفکنگ | قاچاق | اتجار | торговл людьми | торговли людьми |
      савдои одамон | odam savdo`,
  },
  {
    kinds: ["women", "child"],
    words: `women | woman | child | children | নারী | মহিলা | শিশু | خواتین | عورت | بچے | زنان | کودک | ښځ | ماشوم |
      نساء | المراه | طفل | اطفال | женщин | детей | ребен | занон | кӯдак | ayol | bolalar`,
  },
  {
    kinds: ["mental-health"],
    words: `mental | stress | depress | suicid | মানসিক | ذہنی | روانی | رواني | نفسي | نفسی | психолог | депресс |
      руҳӣ | ruhiy`,
  },
  {
    // The interior ministry's appeals line is a police number in the directory (Uzbekistan's 1102).
    kinds: ["police"],
    words: `interior ministry | ministry of internal affairs | ministry of interior | ички ишлар | ichki ishlar | иив |
      iiv | вазорати корхои дохили | умури дохили | وزارت داخله | وزارت امور داخله | وزاره الداخلیه | الداخلیه |
      داخله وزارت | министерство внутренних дел | мвд | mvd | вкд | линия доверия | liniya doveriya |
      liniyu doveriya | линию доверия`,
  },
  {
    kinds: ["migrant-helpline"],
    words: `migrant | expatriate | overseas | probash | প্রবাস | workers centre | workers center | counseling center |
      counselling centre | مشورې مرکز | د مشورې | مرکز مشاوره | مركز استشارات | маслиҳат | maslahat markazi |
      اوورسیز | تارکین | مهاجر | کډوال | المغتربین | мигрант | муҳоҷир | muhojir | chet ellik ishchi | xorijiy ishchi |
      representative | намоянда | представител | vakil`,
  },
];

// The number to ring is asked with a phone word, or with "number" and "which" or "call".
const phoneWords = cueList(`phone | hotline | helpline | hot line | help line | call centre | call center | whatsapp |
  ফোন | হটলাইন | হেল্পলাইন | فون | ہاٹ لائن | ہیلپ لائن | واٹس ایپ | هات لاین | هاټ لاین | هیلپ لاین |
  هلپ لاین | واتساپ | واتس اپ | واتس اب | تلفون | تلیفون | ټیلیفون | ټلیفون | ټیلفون | هاتف | خط ساخن | خط مساعده | телефон | горячая линия |
  горячей линии | горячую линию | колл центр | кол центр | call центр | позвонить | звонить | ватсап | вотсап |
  хати бовари | хатти бовари | телефони бовари | ishonch telefon | ишонч телефон | telefon | vatsap | watsap`);

const numberWords = [
  "number",
  "nomber",
  "nambar",
  "নম্বর",
  "নাম্বার",
  "نمبر",
  "شماره",
  "شمېره",
  "شمیره",
  "رقم",
  "номер",
  "nomer",
  "рақам",
  "raqam",
].map(normaliseForMatching);

// "Which number", "call", "contact": the number is one to ring, not a count or a licence number
// ("how many" words stay out: "چند رقمی" asks how many digits).
const callWords = [
  "call",
  "dial",
  "contact",
  "which",
  "what",
  "kon",
  "kun",
  "কোন",
  "কল",
  "کونسا",
  "کون سا",
  "کال",
  "رابطه",
  "زنگ",
  "کدام",
  "کوم",
  "شنو",
  "شو",
  "ما هو",
  "اتصل",
  "اتصال",
  "какой",
  "звон",
  "позвон",
  "кадом",
  "занг",
  "zang",
  "qaysi",
  "qanday",
  "کیا",
  "kya",
  "কী",
  "কি",
  "qongiroq",
  "aloqa",
].map(normaliseForMatching);

// Numbers that are not for ringing: "licence number", "passport number", "reference number".
const otherNumbers = [
  "licen",
  "registration",
  "reference",
  "passport",
  "visa",
  "account",
  "case",
  "file",
  "serial",
  "tracking",
  "ریفرنس",
  "لائسنس",
  "پاسپورٹ",
  "پاسپورت",
  "ویزا",
  "ویزه",
  "جواز",
  "паспорт",
  "лиценз",
  "виз",
].map(normaliseForMatching);

function numberIsOther(text: string): boolean {
  const tokens = text.trim().split(" ");
  return tokens.some((token, index) => {
    if (!numberWords.some((word) => token.startsWith(word))) return false;
    const around = [tokens[index - 1], tokens[index + 1]].filter((word): word is string => word !== undefined);
    return around.some((word) => otherNumbers.some((other) => word.startsWith(other)));
  });
}

const compiled = subjects.map((subject) => ({
  kinds: subject.kinds,
  cues: cueList(subject.words),
}));

/** The subjects' kinds a message names (in any of its cue readings). */
function kindsNamed(texts: readonly string[]): HotlineKind[] {
  const named = compiled.filter((subject) => texts.some((text) => hasCue(text, subject.cues)));
  return [...new Set(named.flatMap((subject) => subject.kinds))];
}

/**
 * The question asks for a number to ring: a phone word; or "number" with "which" or "call", or with a
 * helpline's subject ("اكو رقم بوزارة العمل اللبنانية؟"), unless the number is a licence's or a passport's.
 */
export function asksForPhoneNumber(question: string, lang?: LanguageCode): boolean {
  return asksInReadings(cueTexts(question, lang));
}

function asksInReadings(texts: readonly string[]): boolean {
  if (texts.some((text) => hasCue(text, phoneWords))) return true;
  const numbered = texts.find((text) => hasCue(text, numberWords) && !numberIsOther(text));
  return numbered !== undefined && (hasCue(numbered, callWords) || kindsNamed(texts).length > 0);
}

// "How many of them answered?": a question about the lines (a test of them a leaflet reports), not for one.
const answeredWords = cueList(`
  answered | picked up | answer the phone | ответил | ответили | отвечают | отвечает | берут трубку | взяли трубку |
  ҷавоб дод | ҷавоб доданд | ҷавоб медиҳ | чавоб дод | javob berdi | javob beradi | javob berishdi | jawab diya |
  jawab dete | jawab dia | جواب دیا | جواب دیتے | جواب داد | جواب دادند | ځواب ورکړ | رد علي | ردوا | يردون |
  উত্তর দিয়েছে | উত্তর দেয় | ধরেছে | ফোন ধরে
`);

/** The question asks how many lines answered (a count with "answered"), not for a number to call. */
export function asksHowManyLinesAnswered(question: string, kinds: readonly string[], lang?: LanguageCode): boolean {
  return kinds.includes("count") && cueTexts(question, lang).some((text) => hasCue(text, answeredWords));
}

/**
 * Contacts asked for without a phone word: "MRC Pakistan's free number?" (a number word), "MRC Тоҷикистон
 * сайт дорад?" (a website word).
 */
export function asksForContactWithoutPhoneWord(question: string, lang?: LanguageCode): boolean {
  return mentionsNumber(question, lang) || questionKinds(question).includes("website");
}

/** The message has a word for a number to call ("number", "نمبر", "рақам"), not a licence's or a passport's. */
export function mentionsNumber(question: string, lang?: LanguageCode): boolean {
  return cueTexts(question, lang).some((text) => hasCue(text, numberWords) && !numberIsOther(text));
}

/** The kinds of helpline a question asks the number of, or null when it asks for none. */
export function helplineKindsAsked(question: string, lang?: LanguageCode): HotlineKind[] | null {
  const texts = cueTexts(question, lang);
  if (!asksInReadings(texts)) return null;
  const kinds = kindsNamed(texts);
  return kinds.length > 0 ? kinds : null;
}
