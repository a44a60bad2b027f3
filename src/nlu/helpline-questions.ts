import type { HotlineKind } from "../directory/mrc-directory.js";
import { cueList, hasCue, normaliseForMatching } from "./normalise-text.js";

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
      зарплат | работодател | трудов | шикоят | маош | корфармо | shikoyat | oylik | ish haqi | ish beruvchi | mehnat`,
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
      اوورسیز | تارکین | مهاجر | کډوال | المغتربین | мигрант | муҳоҷир | muhojir | chet ellik ishchi | xorijiy ishchi`,
  },
];

// The number to ring is asked with a phone word, or with "number" and "which" or "call".
const phoneWords = [
  "phone",
  "hotline",
  "helpline",
  "whatsapp",
  "ফোন",
  "হটলাইন",
  "فون",
  "ہاٹ لائن",
  "ہیلپ لائن",
  "تلفون",
  "تلیفون",
  "هاتف",
  "خط ساخن",
  "телефон",
  "горячая линия",
  "горячей линии",
  "позвонить",
  "звонить",
  "telefon",
].map(normaliseForMatching);

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

/** The question asks for a number to ring (a phone word, or "number" with "which" or "call"). */
export function asksForPhoneNumber(question: string): boolean {
  const text = ` ${normaliseForMatching(question)} `;
  if (hasCue(text, phoneWords)) return true;
  return hasCue(text, numberWords) && hasCue(text, callWords) && !numberIsOther(text);
}

const compiled = subjects.map((subject) => ({
  kinds: subject.kinds,
  cues: cueList(subject.words),
}));

/** The kinds of helpline a question asks the number of, or null when it asks for none. */
export function helplineKindsAsked(question: string): HotlineKind[] | null {
  if (!asksForPhoneNumber(question)) return null;
  const text = ` ${normaliseForMatching(question)} `;
  const kinds = compiled.filter((subject) => hasCue(text, subject.cues)).flatMap((subject) => subject.kinds);
  return kinds.length > 0 ? [...new Set(kinds)] : null;
}
