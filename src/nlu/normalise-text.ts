/**
 * Folds the spelling variation of chat text so that lexical matching works across keyboards:
 * Arabic and Persian letter forms, diacritics, tatweel, zero-width joiners, case and punctuation.
 */
const letterFolds: ReadonlyArray<[RegExp, string]> = [
  [/[ك]/gu, "ک"],
  [/[يى]/gu, "ی"],
  [/[أإآٱ]/gu, "ا"],
  [/[ۀة]/gu, "ه"],
  [/[ؤ]/gu, "و"],
  [/ё/gu, "е"],
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
