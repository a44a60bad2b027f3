import type { LanguageCode } from "./languages.js";

/**
 * Countries Rahnama talks about, and the words people use for them. Used to learn a user's country
 * from what they write ("I am from Pakistan", "ami bangladesh theke") and to filter leaflets.
 */
export const originCountries = ["BD", "PK", "AF", "IQ", "TJ", "UZ", "KZ", "KG", "TM", "IR"] as const;

export type CountryCode = string;

export const countryCodePattern = /^[A-Z]{2}$/;

/** Lower-case names and demonyms in the scripts our users write. Order does not matter. */
const countryNames: Readonly<Record<string, readonly string[]>> = {
  BD: ["bangladesh", "bangladeshi", "bangla desh", "বাংলাদেশ", "бангладеш", "بنگلہ دیش", "بنغلاديش"],
  PK: ["pakistan", "pakistani", "পাকিস্তান", "پاکستان", "пакистан", "باكستان"],
  AF: ["afghanistan", "afghan", "افغانستان", "афганистан", "আফগানিস্তান"],
  IQ: ["iraq", "iraqi", "العراق", "عراق", "ирак"],
  TJ: ["tajikistan", "tajik", "тоҷикистон", "таджикистан", "تاجیکستان"],
  UZ: ["uzbekistan", "uzbek", "oʻzbekiston", "o'zbekiston", "ozbekiston", "узбекистан", "ўзбекистон"],
  KZ: ["kazakhstan", "kazakh", "қазақстан", "казахстан"],
  KG: ["kyrgyzstan", "kyrgyz", "кыргызстан", "киргизия", "кыргызстан"],
  TM: ["turkmenistan", "turkmen", "türkmenistan", "туркменистан"],
  IR: ["iran", "iranian", "ایران", "иран"],
  SA: ["saudi", "saudi arabia", "ksa", "সৌদি", "سعودی", "السعودية", "саудовская"],
  AE: ["uae", "dubai", "emirates", "abu dhabi", "দুবাই", "دبئی", "الإمارات", "дубай", "оаэ"],
  QA: ["qatar", "কাতার", "قطر", "катар"],
  KW: ["kuwait", "কুয়েত", "کویت", "الكويت", "кувейт"],
  OM: ["oman", "ওমান", "عمان", "оман"],
  BH: ["bahrain", "বাহরাইন", "بحرین", "البحرين", "бахрейн"],
  MY: ["malaysia", "মালয়েশিয়া", "ملائیشیا", "ماليزيا", "малайзия"],
  RU: ["russia", "russian federation", "রাশিয়া", "روس", "россия", "русия", "руссия", "rossiya"],
  JO: ["jordan", "জর্ডান", "اردن", "الأردن", "иордания"],
  LB: ["lebanon", "লেবানন", "لبنان", "ливан"],
  SG: ["singapore", "সিঙ্গাপুর", "سنگاپور", "сингапур"],
  DE: ["germany", "german", "জার্মানি", "جرمنی", "آلمان", "германия", "олмон"],
  KR: ["korea", "south korea", "কোরিয়া", "کوریا", "корея"],
  TR: [
    "turkey",
    "türkiye",
    "turkiye",
    "istanbul",
    "ankara",
    "তুরস্ক",
    "ترکیه",
    "ترکی",
    "ترکیې",
    "تركيا",
    "турция",
    "туркия",
  ],
  LY: ["libya", "libyan", "tripoli", "benghazi", "লিবিয়া", "لیبیا", "ليبيا", "ливия", "ливии"],
};

const originSet = new Set<string>(originCountries);

function escapeForRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// \b does not work for Bengali, Arabic or Cyrillic letters, so look for non-letters around the name.
const countryMatchers = Object.entries(countryNames).map(([code, names]) => ({
  code,
  pattern: new RegExp(`(?<![\\p{L}\\p{M}])(?:${names.map(escapeForRegExp).join("|")})(?![\\p{L}\\p{M}])`, "iu"),
}));

/** Every country named in the text with where its name starts, in the order written. */
export function countryMentions(text: string): { code: string; index: number }[] {
  const lower = text.toLowerCase();
  const mentions: { code: string; index: number }[] = [];
  for (const matcher of countryMatchers) {
    for (const match of lower.matchAll(new RegExp(matcher.pattern.source, "giu"))) {
      mentions.push({ code: matcher.code, index: match.index });
    }
  }
  return mentions.sort((a, b) => a.index - b.index);
}

/** Every country named in the text, in no particular order. */
export function countriesMentioned(text: string): string[] {
  const lower = text.toLowerCase();
  return countryMatchers.filter((matcher) => matcher.pattern.test(lower)).map((matcher) => matcher.code);
}

export function isOriginCountry(code: string): boolean {
  return originSet.has(code);
}

/** Country names to show, in each reply language (machine-made except English: reviewed false). */
const displayNames: Readonly<Record<string, Readonly<Partial<Record<LanguageCode, string>>>>> = {
  BD: {
    eng: "Bangladesh",
    ben: "বাংলাদেশ",
    urd: "بنگلہ دیش",
    fas: "بنگلادش",
    pus: "بنګله دېش",
    ara: "بنغلاديش",
    rus: "Бангладеш",
    tgk: "Бангладеш",
    uzb: "Bangladesh",
  },
  PK: {
    eng: "Pakistan",
    ben: "পাকিস্তান",
    urd: "پاکستان",
    fas: "پاکستان",
    pus: "پاکستان",
    ara: "باكستان",
    rus: "Пакистан",
    tgk: "Покистон",
    uzb: "Pokiston",
  },
  AF: {
    eng: "Afghanistan",
    ben: "আফগানিস্তান",
    urd: "افغانستان",
    fas: "افغانستان",
    pus: "افغانستان",
    ara: "أفغانستان",
    rus: "Афганистан",
    tgk: "Афғонистон",
    uzb: "Afgʻoniston",
  },
  IQ: {
    eng: "Iraq",
    ben: "ইরাক",
    urd: "عراق",
    fas: "عراق",
    pus: "عراق",
    ara: "العراق",
    rus: "Ирак",
    tgk: "Ироқ",
    uzb: "Iroq",
  },
  TJ: {
    eng: "Tajikistan",
    ben: "তাজিকিস্তান",
    urd: "تاجکستان",
    fas: "تاجیکستان",
    pus: "تاجکستان",
    ara: "طاجيكستان",
    rus: "Таджикистан",
    tgk: "Тоҷикистон",
    uzb: "Tojikiston",
  },
  UZ: {
    eng: "Uzbekistan",
    ben: "উজবেকিস্তান",
    urd: "ازبکستان",
    fas: "ازبکستان",
    pus: "ازبکستان",
    ara: "أوزبكستان",
    rus: "Узбекистан",
    tgk: "Ӯзбекистон",
    uzb: "Oʻzbekiston",
  },
  KG: { eng: "Kyrgyzstan", rus: "Кыргызстан", tgk: "Қирғизистон", uzb: "Qirgʻiziston" },
  KZ: { eng: "Kazakhstan", rus: "Казахстан", tgk: "Қазоқистон", uzb: "Qozogʻiston" },
  RU: {
    eng: "Russia",
    ben: "রাশিয়া",
    urd: "روس",
    fas: "روسیه",
    pus: "روسیه",
    ara: "روسيا",
    rus: "Россия",
    tgk: "Русия",
    uzb: "Rossiya",
  },
  SA: {
    eng: "Saudi Arabia",
    ben: "সৌদি আরব",
    urd: "سعودی عرب",
    fas: "عربستان سعودی",
    pus: "سعودي عربستان",
    ara: "السعودية",
    rus: "Саудовская Аравия",
    tgk: "Арабистони Саудӣ",
    uzb: "Saudiya Arabistoni",
  },
  AE: {
    eng: "United Arab Emirates",
    ben: "সংযুক্ত আরব আমিরাত",
    urd: "متحدہ عرب امارات",
    fas: "امارات متحده عربی",
    pus: "متحده عربي امارات",
    ara: "الإمارات",
    rus: "ОАЭ",
    tgk: "АМА",
    uzb: "BAA",
  },
  MY: {
    eng: "Malaysia",
    ben: "মালয়েশিয়া",
    urd: "ملائیشیا",
    fas: "مالزی",
    pus: "مالیزیا",
    ara: "ماليزيا",
    rus: "Малайзия",
    tgk: "Малайзия",
    uzb: "Malayziya",
  },
  TR: {
    eng: "Turkey",
    ben: "তুরস্ক",
    urd: "ترکی",
    fas: "ترکیه",
    pus: "ترکیه",
    ara: "تركيا",
    rus: "Турция",
    tgk: "Туркия",
    uzb: "Turkiya",
  },
  LY: {
    eng: "Libya",
    ben: "লিবিয়া",
    urd: "لیبیا",
    fas: "لیبی",
    pus: "لیبیا",
    ara: "ليبيا",
    rus: "Ливия",
    tgk: "Либия",
    uzb: "Liviya",
  },
};

/** The country's name in `lang`, else in English, else its code. */
export function countryName(code: string, lang: LanguageCode): string {
  const names = displayNames[code];
  return names?.[lang] ?? names?.eng ?? code;
}

/** Countries to filter leaflets by: the user's own, and any named in what they wrote. */
export function searchCountries(userCountry: string | null, text: string): string[] {
  const all = new Set(countriesMentioned(text));
  if (userCountry) all.add(userCountry);
  return [...all];
}
