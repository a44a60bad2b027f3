/**
 * Folds the spelling variation of chat text so that lexical matching works across keyboards:
 * Arabic, Persian and Urdu letter forms, diacritics, tatweel, zero-width joiners, case, punctuation,
 * and the extra Cyrillic letters of Tajik, Uzbek, Kazakh and Kyrgyz, which people on a Russian
 * keyboard type as their plain neighbours ("санчам" for "санҷам").
 */
const letterFolds: ReadonlyArray<[RegExp, string]> = [
  [/[ك]/gu, "ک"],
  [/[يى]/gu, "ی"],
  [/[أإآٱ]/gu, "ا"],
  [/[ۀةہۃ]/gu, "ه"],
  [/[ؤ]/gu, "و"],
  [/ё/gu, "е"],
  [/ҷ/gu, "ч"],
  [/[ҳһ]/gu, "х"],
  [/[ӣі]/gu, "и"],
  [/[ӯўүұ]/gu, "у"],
  [/қ/gu, "к"],
  [/ғ/gu, "г"],
  [/ң/gu, "н"],
  [/ө/gu, "о"],
  [/ә/gu, "а"],
];

export function normaliseForMatching(text: string): string {
  let folded = text.normalize("NFKC").toLowerCase();
  for (const [pattern, replacement] of letterFolds) folded = folded.replace(pattern, replacement);
  return folded
    .replace(/[\u064B-\u065F\u0670\u0640]/gu, "") // harakat, superscript alef, tatweel
    .replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/gu, " ") // zero-width and direction marks
    .replace(/[ʻʼ'`’]/gu, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim();
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
