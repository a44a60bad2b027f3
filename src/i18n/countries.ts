import type { LanguageCode } from "./languages.js";
import { lightStem, words } from "../nlu/normalise-text.js";
import { isMostlyLatin, latinToCyrillicText } from "../nlu/transliterate.js";
import { displayNames } from "./country-display-names.js";
import { otherDisplayNames } from "./other-country-display-names.js";
import { cityNames, countryNames, otherCountryNames } from "./place-names.js";

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
// cases ("Rossiyada", "Moskvaga") and plurals ("qirgizlar"), Banglish locatives ("saudite", "dubaite").
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
  // Uzbek "I am / we are in": "Almatidaman", "Qozondamiz".
  "daman",
  "damiz",
  "dagi",
  "ga",
  "dan",
  "ning",
  "ni",
  "ka",
  "qa",
  "te",
  "ta",
  // Uzbek plurals of nationality words ("qirgizlar", "ozbeklarga").
  "lar",
  "larga",
  "larda",
  "lardan",
  "larni",
  "larning",
];
const cyrillicVowels = /[аяоеиыуюйьӣӯ]{1,2}$/u;

interface NameWord {
  readonly forms: readonly string[];
  readonly script: Script;
}

// Pashto's own letters, which Pashto typed on a Persian or Urdu keyboard (and names in the lists) lack:
// "انګلستان" is "انگلستان".
const pashtoLetters: Readonly<Record<string, string>> = {
  ګ: "گ",
  ښ: "ش",
  ږ: "ژ",
  ټ: "ت",
  ډ: "د",
  ړ: "ر",
  ې: "ی",
  ۍ: "ی",
};
const pashtoLetter = new RegExp(`[${Object.keys(pashtoLetters).join("")}]`, "gu");

// A text's word is compared with many names: its forms are worked out once (bounded, as chat text is endless).
const formsCache = new Map<string, string[]>();
const maxCachedForms = 5_000;

/**
 * The forms a name's word is compared in: as written, with Pashto's letters as Persian writes them, and
 * without Arabic's attached article/prepositions.
 */
function wordForms(word: string): string[] {
  const cached = formsCache.get(word);
  if (cached) return cached;
  const forms = computeWordForms(word);
  if (formsCache.size >= maxCachedForms) formsCache.clear();
  formsCache.set(word, forms);
  return forms;
}

function computeWordForms(word: string): string[] {
  const persian = word.replace(pashtoLetter, (letter) => pashtoLetters[letter] ?? letter);
  // Arabic stacks a conjunction and a preposition: "وبإيطاليا" is "and in Italy".
  const once = lightStem(persian, "ara");
  const twice = lightStem(once, "ara");
  return [...new Set([word, persian, once, twice])];
}

/**
 * A name's own forms: an Arabic-script name loses only its article ("الأردن" is "أردن"), never a first
 * letter that only looks like a preposition: "لبنان" is not "بنان" (which Urdu's "بنانے", to make, starts).
 */
function nameForms(word: string): string[] {
  const persian = word.replace(pashtoLetter, (letter) => pashtoLetters[letter] ?? letter);
  return wordForms(word).filter(
    (form) => form === word || form === persian || persian.startsWith("ال") || form[0] === persian[0],
  );
}

// Endings Russian and Tajik give a name: vowels and the consonants of case endings ("Казахстаном",
// "Русияро", Uzbek "Кореяга", adjectives "киргизский", "кыргызстанка"): "Австралия" is no ending of
// "Австрия".
const cyrillicEnding = /^[аяоеёиыуюйьӣӯэмхврҳгднск]*$/u;

function compileWord(word: string): NameWord {
  const script = scriptOf(word);
  if (script !== "cyrillic" || Array.from(word).length < 5) return { forms: nameForms(word), script };
  // Russian and Tajik decline names: Москва, в Москве, Москву; Казахстан, из Казахстана.
  const stem = word.replace(cyrillicVowels, "");
  return { forms: [Array.from(stem).length >= 4 ? stem : word.slice(0, -1)], script };
}

// Arabic and Persian make adjectives of names with -ی/-یه ("وزارة العمل القطرية", "کارگران قطری"): short
// names such as قطر take only these endings, where longer ones take any short ending.
const nisbaEndings: ReadonlySet<string> = new Set(["ی", "یه", "یین", "یون", "یان"]);

// Tajik words that decline like a name's stem: "коре" (a job), "кореро" (the job) are not Korea ("Корея").
const notNames: ReadonlySet<string> = new Set(["коре", "кореро"]);

function wordMatches(text: string, name: NameWord): boolean {
  if (name.script === "cyrillic" && notNames.has(text)) return false;
  for (const form of name.forms) {
    for (const candidate of wordForms(text)) {
      if (candidate === form) return true;
      if (!candidate.startsWith(form)) continue;
      const ending = candidate.slice(form.length);
      if (name.script === "other" && nisbaEndings.has(ending)) return true;
      if (Array.from(form).length < 4) continue;
      if (name.script === "latin") {
        if (latinEndings.includes(ending)) return true;
      } else if (Array.from(ending).length <= 4 && (name.script !== "cyrillic" || cyrillicEnding.test(ending)))
        return true;
    }
  }
  return false;
}

interface CompiledName {
  readonly code: string;
  readonly words: readonly NameWord[];
  readonly kind: "country" | "city";
  /** For a city, its name in English whatever the spelling matched ("moscow" for "в Москве"). */
  readonly city: string | null;
}

const compiledNames: readonly CompiledName[] = [
  ...Object.entries({ ...countryNames, ...otherCountryNames }).flatMap(([code, names]) =>
    names.map((name) => ({ code, name, kind: "country" as const })),
  ),
  ...Object.entries(cityNames).flatMap(([code, cities]) =>
    cities.flatMap((spellings) => {
      const city = spellings.split("|")[0] ?? spellings;
      return spellings.split("|").map((name) => ({ code, name, kind: "city" as const, city }));
    }),
  ),
].map((entry) => ({
  code: entry.code,
  kind: entry.kind,
  city: "city" in entry ? entry.city : null,
  words: words(entry.name).map(compileWord),
}));

/** A country or city named in a text: the country's code, where the name starts (in words), and what was named. */
export interface PlaceMention {
  readonly code: string;
  /** Index of the name's first word among the text's (folded) words. */
  readonly index: number;
  /** How many words the name takes ("abu dhabi": 2). */
  readonly words: number;
  /** For a city, its English name ("moscow" for "в Москве"); null for a country. */
  readonly city: string | null;
  readonly kind: "country" | "city";
}

/**
 * Every country and city named in the text, in every script and inflection ("в Екатеринбурге",
 * "সৌদিতে", "بالرياض", "Rossiyada"), in the order written. A city stands for its country.
 */
export function placeMentions(text: string): PlaceMention[] {
  const textWords = words(text);
  const mentions = mentionsIn(textWords);
  if (!isMostlyLatin(text) || !looksLikeRussian(textWords)) return mentions;
  // Russian typed in Latin letters ("v rossii", "v moskve"): its names are found in Cyrillic.
  const cyrillic = words(latinToCyrillicText(text));
  if (cyrillic.length !== textWords.length) return mentions;
  const more = mentionsIn(cyrillic).filter(
    (found) =>
      !mentions.some(
        (mention) => found.index < mention.index + mention.words && mention.index < found.index + found.words,
      ),
  );
  return more.length === 0 ? mentions : [...mentions, ...more].sort((a, b) => a.index - b.index);
}

// Small Russian words that English, Uzbek and Roman Urdu do not use: two of them mark Russian in Latin letters.
const russianMarkers = new Set(
  "v vo ya esli skolko mozhno chto shto kak gde ne dlya menya mne est nado nuzhno kogda pochemu eto uzhe zdes tam iz".split(
    " ",
  ),
);

function looksLikeRussian(textWords: readonly string[]): boolean {
  return new Set(textWords.filter((word) => russianMarkers.has(word))).size >= 2;
}

// Words that start like a country's name but name its language: Tajik "бо забони русӣ" (in Russian), "англисӣ" (English).
const notPlaces = new Set(["руси", "англиси"]);

function mentionsIn(textWords: readonly string[]): PlaceMention[] {
  const mentions: PlaceMention[] = [];
  for (let index = 0; index < textWords.length; index += 1) {
    const first = textWords[index] ?? "";
    if (notPlaces.has(first)) continue;
    for (const name of namesStartingLike(first)) {
      const fits = name.words.every((word, offset) => {
        const candidate = textWords[index + offset];
        return candidate !== undefined && wordMatches(candidate, word);
      });
      const known = mentions.find((mention) => mention.index === index && mention.code === name.code);
      if (fits && !known) {
        mentions.push({ code: name.code, index, kind: name.kind, words: name.words.length, city: name.city });
      } else if (fits && known && known.words < name.words.length) {
        mentions[mentions.indexOf(known)] = { ...known, words: name.words.length };
      }
    }
  }
  return mentions;
}

// Names by the first letter of their first word (in each of its forms), so a text's word is compared
// only with names that could start there: a leaflet section has hundreds of words and there are ~800 names.
const namesByInitial = new Map<string, CompiledName[]>();
for (const name of compiledNames) {
  for (const form of name.words[0]?.forms ?? []) {
    const initial = Array.from(form)[0] ?? "";
    const list = namesByInitial.get(initial) ?? [];
    if (!list.includes(name)) list.push(name);
    namesByInitial.set(initial, list);
  }
}

function namesStartingLike(word: string): CompiledName[] {
  const initials = new Set(wordForms(word).map((form) => Array.from(form)[0] ?? ""));
  if (initials.size === 1) return namesByInitial.get([...initials][0] ?? "") ?? [];
  return [...new Set([...initials].flatMap((initial) => namesByInitial.get(initial) ?? []))];
}

/** Every country named in the text with where its name starts (in words), in the order written. */
export function countryMentions(text: string): { code: string; index: number }[] {
  return placeMentions(text).map(({ code, index }) => ({ code, index }));
}

/** Every country named in the text (directly or by a city), each once, in the order written. */
export function countriesMentioned(text: string): string[] {
  return [...new Set(placeMentions(text).map((mention) => mention.code))];
}

/**
 * Where someone writing in a language most likely comes from, among the MRCs' countries: a Bengali
 * writer from Bangladesh, Urdu Pakistan, Dari or Pashto Afghanistan, Tajik Tajikistan, Uzbek Uzbekistan,
 * Arabic Iraq. English and Russian say nothing. What the person says overrides it.
 */
export function originFromLanguage(lang: LanguageCode): string | null {
  const origins: Partial<Record<LanguageCode, string>> = {
    ben: "BD",
    urd: "PK",
    fas: "AF",
    pus: "AF",
    tgk: "TJ",
    uzb: "UZ",
    ara: "IQ",
    kaz: "KZ",
    kir: "KG",
    tuk: "TM",
  };
  return origins[lang] ?? null;
}

export function isOriginCountry(code: string): boolean {
  return originSet.has(code);
}

/** "Japan" for JP: countries without a leaflet are named in English (their list starts with it). */
function otherCountryEnglishName(code: string): string | null {
  const first = otherCountryNames[code]?.[0];
  if (!first) return null;
  return first.length <= 3 ? first.toUpperCase() : first.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
}

/** The country's name in `lang`, else in English, else its code. */
export function countryName(code: string, lang: LanguageCode): string {
  const names = displayNames[code] ?? otherDisplayNames[code];
  return names?.[lang] ?? names?.eng ?? otherCountryEnglishName(code) ?? code;
}

/** Countries to filter leaflets by: the user's own, and any named in what they wrote. */
export function searchCountries(userCountry: string | null, text: string): string[] {
  const all = new Set(countriesMentioned(text));
  if (userCountry) all.add(userCountry);
  return [...all];
}

/** EU member states among the countries people ask about. */
export const euMembers: ReadonlySet<string> = new Set(
  [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
  ].concat(["MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]),
);
