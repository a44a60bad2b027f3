import type { LanguageCode } from "./languages.js";
import { lightStem, words } from "../nlu/normalise-text.js";
import { cityNames, countryNames } from "./place-names.js";

/**
 * Countries Rahnama talks about, and the words people use for them. Used to learn a user's country
 * from what they write ("I am from Pakistan", "ami bangladesh theke") and to filter leaflets.
 */
export const originCountries = ["BD", "PK", "AF", "IQ", "TJ", "UZ", "KZ", "KG", "TM", "IR"] as const;

export type CountryCode = string;

export const countryCodePattern = /^[A-Z]{2}$/;

const originSet = new Set<string>(originCountries);

type Script = "latin" | "cyrillic" | "other";

function scriptOf(word: string): Script {
  if (/^[a-z0-9]+$/.test(word)) return "latin";
  if (/\p{Script=Cyrillic}/u.test(word)) return "cyrillic";
  return "other";
}

// Endings a name takes in chat: English and Roman Urdu demonyms and plurals ("iraqi", "russian"), Uzbek
// cases ("Rossiyada", "Moskvaga"), Banglish locatives ("saudite", "dubaite").
const latinEndings = [
  "",
  "s",
  "i",
  "is",
  "n",
  "an",
  "ian",
  "ians",
  "a",
  "e",
  "da",
  "ga",
  "dan",
  "ning",
  "ni",
  "ka",
  "qa",
  "te",
  "ta",
];
const cyrillicVowels = /[аяоеиыуюйьӣӯ]{1,2}$/u;

interface NameWord {
  readonly forms: readonly string[];
  readonly script: Script;
}

/** The forms a name's word is compared in: as written, and without Arabic's attached article/prepositions. */
function wordForms(word: string): string[] {
  const stripped = lightStem(word, "ara");
  return stripped === word ? [word] : [word, stripped];
}

function compileWord(word: string): NameWord {
  const script = scriptOf(word);
  if (script !== "cyrillic" || Array.from(word).length < 5) return { forms: wordForms(word), script };
  // Russian and Tajik decline names: Москва, в Москве, Москву; Казахстан, из Казахстана.
  const stem = word.replace(cyrillicVowels, "");
  return { forms: [Array.from(stem).length >= 4 ? stem : word.slice(0, -1)], script };
}

function wordMatches(text: string, name: NameWord): boolean {
  for (const form of name.forms) {
    for (const candidate of wordForms(text)) {
      if (candidate === form) return true;
      if (!candidate.startsWith(form) || Array.from(form).length < 4) continue;
      const ending = candidate.slice(form.length);
      if (name.script === "latin" ? latinEndings.includes(ending) : Array.from(ending).length <= 4) return true;
    }
  }
  return false;
}

interface CompiledName {
  readonly code: string;
  readonly words: readonly NameWord[];
  readonly kind: "country" | "city";
}

const compiledNames: readonly CompiledName[] = [
  ...Object.entries(countryNames).flatMap(([code, names]) =>
    names.map((name) => ({ code, name, kind: "country" as const })),
  ),
  ...Object.entries(cityNames).flatMap(([code, names]) => names.map((name) => ({ code, name, kind: "city" as const }))),
].map(({ code, name, kind }) => ({ code, kind, words: words(name).map(compileWord) }));

/** A country or city named in a text: the country's code, where the name starts (in words), and what was named. */
export interface PlaceMention {
  readonly code: string;
  /** Index of the name's first word among the text's (folded) words. */
  readonly index: number;
  /** How many words the name takes ("abu dhabi": 2). */
  readonly words: number;
  readonly kind: "country" | "city";
}

/**
 * Every country and city named in the text, in every script and inflection ("в Екатеринбурге",
 * "সৌদিতে", "بالرياض", "Rossiyada"), in the order written. A city stands for its country.
 */
export function placeMentions(text: string): PlaceMention[] {
  const textWords = words(text);
  const mentions: PlaceMention[] = [];
  for (let index = 0; index < textWords.length; index += 1) {
    for (const name of compiledNames) {
      const fits = name.words.every((word, offset) => {
        const candidate = textWords[index + offset];
        return candidate !== undefined && wordMatches(candidate, word);
      });
      const known = mentions.find((mention) => mention.index === index && mention.code === name.code);
      if (fits && !known) mentions.push({ code: name.code, index, kind: name.kind, words: name.words.length });
      else if (fits && known && known.words < name.words.length) {
        mentions[mentions.indexOf(known)] = { ...known, words: name.words.length };
      }
    }
  }
  return mentions;
}

/** Every country named in the text with where its name starts (in words), in the order written. */
export function countryMentions(text: string): { code: string; index: number }[] {
  return placeMentions(text).map(({ code, index }) => ({ code, index }));
}

/** Every country named in the text (directly or by a city), each once, in the order written. */
export function countriesMentioned(text: string): string[] {
  return [...new Set(placeMentions(text).map((mention) => mention.code))];
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
