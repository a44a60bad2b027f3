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

/** Every country named in the text, in no particular order. */
export function countriesMentioned(text: string): string[] {
  const lower = text.toLowerCase();
  return countryMatchers.filter((matcher) => matcher.pattern.test(lower)).map((matcher) => matcher.code);
}

export function isOriginCountry(code: string): boolean {
  return originSet.has(code);
}
