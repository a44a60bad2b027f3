import { isMostlyLatin, latinToCyrillicText } from "./transliterate.js";

/**
 * Folds the spelling variation of chat text so that lexical matching works across keyboards:
 * Arabic, Persian and Urdu letter forms, diacritics, tatweel, zero-width joiners, case, punctuation,
 * and the extra Cyrillic letters of Tajik, Uzbek, Kazakh and Kyrgyz, which people on a Russian
 * keyboard type as their plain neighbours ("санчам" for "санҷам").
 */
const letterFolds: Readonly<Record<string, string>> = {
  ك: "ک",
  ي: "ی",
  ى: "ی",
  أ: "ا",
  إ: "ا",
  آ: "ا",
  ٱ: "ا",
  ۀ: "ه",
  ة: "ه",
  ہ: "ه",
  ۃ: "ه",
  ؤ: "و",
  // Iraqi and Gulf typing drops the hamza's seat: "الوظايف" for "الوظائف"; Urdu writes "لئے" and "لیے".
  ئ: "ی",
  ё: "е",
  ҷ: "ч",
  ҳ: "х",
  һ: "х",
  ӣ: "и",
  і: "и",
  ӯ: "у",
  ў: "у",
  ү: "у",
  ұ: "у",
  қ: "к",
  ғ: "г",
  ң: "н",
  ө: "о",
  ә: "а",
};
const foldable = new RegExp(`[${Object.keys(letterFolds).join("")}]`, "gu");

export function normaliseForMatching(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(foldable, (letter) => letterFolds[letter] ?? letter)
    .replace(/[\u064B-\u065F\u0670\u0640]/gu, "") // harakat, superscript alef, tatweel
    .replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/gu, " ") // zero-width and direction marks
    .replace(/[ʻʼ'`’‘]/gu, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim();
}

/** Cues written "a | b | c" (across lines if need be), folded like chat text, for `hasCue`. */
export function cueList(entries: string): string[] {
  return entries
    .split("|")
    .map((entry) => normaliseForMatching(entry))
    .filter(Boolean);
}

/**
 * Whether a folded text, padded with a space at each end, holds one of the cues (folded): cues of three
 * letters or fewer as whole words ("кам" is not "камера"), longer ones as word starts, to catch inflections.
 */
export function hasCue(paddedText: string, cues: readonly string[]): boolean {
  return cues.some((cue) =>
    Array.from(cue).length <= 3 ? paddedText.includes(` ${cue} `) : paddedText.includes(` ${cue}`),
  );
}

export function words(text: string): string[] {
  const normalised = normaliseForMatching(text);
  return normalised ? normalised.split(" ") : [];
}

/** Arabic attaches "and", "with", "the", "for" to the next word: "بالعقد" is "with the contract". */
const arabicPrefixes = ["وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ف", "ل", "ك"];

/**
 * A light stemmer where one matters for matching chat text to leaflets: Arabic prefixes come off so
 * "بالعقد" meets "العقد" and "عقد". Other languages are left alone (word starts already catch most
 * of their inflection).
 */
export function lightStem(word: string, lang: string): string {
  if (lang !== "ara") return word;
  for (const prefix of arabicPrefixes) {
    if (word.startsWith(prefix) && Array.from(word).length - prefix.length >= 3) return word.slice(prefix.length);
  }
  return word;
}

/** Arabic's attached words, folded as normaliseForMatching folds them ("لوزارة" → "وزاره", "الخط" → "خط"). */
const foldedArabicPrefixes = arabicPrefixes.map(normaliseForMatching);
const arabicLetters = /[\u0600-\u06FF]/u;

const foldedConjunctions = ["و", "ف"];
const foldedArticles = ["بال", "لل", "ال", "ب", "ل"];

/**
 * A folded word without Arabic's attached words: an article with its preposition ("بالعقد"), "and" before
 * one ("وللخدامه" is "and" + "for the" + "housemaid"), or one letter ("لوزاره" is "for" + "ministry").
 */
export function withoutArabicPrefix(word: string): string {
  const longEnough = (rest: string) => Array.from(rest).length >= 3;
  for (const conjunction of foldedConjunctions) {
    if (!word.startsWith(conjunction)) continue;
    const rest = word.slice(conjunction.length);
    const article = foldedArticles.find(
      (candidate) => rest.startsWith(candidate) && longEnough(rest.slice(candidate.length)),
    );
    if (article) return rest.slice(article.length);
  }
  const prefix = foldedArabicPrefixes.find(
    (candidate) => word.startsWith(candidate) && longEnough(word.slice(candidate.length)),
  );
  return prefix ? word.slice(prefix.length) : word;
}

/**
 * A message folded for cue matching (padded for `hasCue`), and the readings that catch more of its words:
 * without Arabic's attached article and prepositions ("الخط الساخن لوزارة العمل" → "خط ساخن وزاره عمل"), and
 * Russian or Tajik typed in Latin letters read in Cyrillic ("nomer skoroy" → "номер скорой").
 */
export function cueTexts(text: string, lang?: string): string[] {
  const folded = normaliseForMatching(text);
  const texts = [` ${folded} `];
  if (arabicLetters.test(folded)) {
    const stripped = folded.split(" ").map(withoutArabicPrefix).join(" ");
    if (stripped !== folded) texts.push(` ${stripped} `);
  }
  if ((lang === "rus" || lang === "tgk") && isMostlyLatin(text)) {
    texts.push(` ${normaliseForMatching(latinToCyrillicText(text))} `);
  }
  return texts;
}
