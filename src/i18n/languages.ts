/**
 * The languages Rahnama detects and speaks. Codes are ISO 639-3; Persian and Dari are one group (`fas`)
 * because their written forms are close enough that one text serves both.
 */
export const languageCodes = [
  "eng",
  "ben",
  "urd",
  "fas",
  "pus",
  "ara",
  "rus",
  "tgk",
  "uzb",
  "kaz",
  "kir",
  "tuk",
] as const;

export type LanguageCode = (typeof languageCodes)[number];

export type TextDirection = "ltr" | "rtl";

interface LanguageInfo {
  /** The language's own name, shown on the language menu. */
  readonly nativeName: string;
  readonly englishName: string;
  readonly direction: TextDirection;
  /**
   * Where no text exists in this language, which language to show instead before English.
   * Kazakh, Kyrgyz and Turkmen speakers mostly read Russian.
   */
  readonly fallback?: LanguageCode;
}

export const languages: Readonly<Record<LanguageCode, LanguageInfo>> = {
  eng: { nativeName: "English", englishName: "English", direction: "ltr" },
  ben: { nativeName: "বাংলা", englishName: "Bengali", direction: "ltr" },
  urd: { nativeName: "اردو", englishName: "Urdu", direction: "rtl" },
  fas: { nativeName: "دری / فارسی", englishName: "Dari / Persian", direction: "rtl" },
  pus: { nativeName: "پښتو", englishName: "Pashto", direction: "rtl" },
  ara: { nativeName: "العربية", englishName: "Arabic", direction: "rtl" },
  rus: { nativeName: "Русский", englishName: "Russian", direction: "ltr" },
  tgk: { nativeName: "Тоҷикӣ", englishName: "Tajik", direction: "ltr" },
  uzb: { nativeName: "Oʻzbekcha", englishName: "Uzbek", direction: "ltr" },
  kaz: { nativeName: "Қазақша", englishName: "Kazakh", direction: "ltr", fallback: "rus" },
  kir: { nativeName: "Кыргызча", englishName: "Kyrgyz", direction: "ltr", fallback: "rus" },
  tuk: { nativeName: "Türkmençe", englishName: "Turkmen", direction: "ltr", fallback: "rus" },
};

/** Languages every bot text must exist in; the others show a related language (see `fallback`). */
export const replyLanguages: readonly LanguageCode[] = languageCodes.filter((lang) => !languages[lang].fallback);

const aliases: Readonly<Record<string, LanguageCode>> = {
  en: "eng",
  bn: "ben",
  ur: "urd",
  fa: "fas",
  prs: "fas",
  pes: "fas",
  ps: "pus",
  pbu: "pus",
  pbt: "pus",
  ar: "ara",
  arb: "ara",
  ru: "rus",
  tg: "tgk",
  uz: "uzb",
  uzn: "uzb",
  kk: "kaz",
  ky: "kir",
  tk: "tuk",
};

export function isLanguageCode(value: string): value is LanguageCode {
  return (languageCodes as readonly string[]).includes(value);
}

/** Accepts our codes, ISO 639-1 and the ISO 639-3 variants franc and other tools emit. */
export function normaliseLanguage(value: string | undefined | null): LanguageCode | null {
  if (!value) return null;
  const lower = value.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  if (isLanguageCode(lower)) return lower;
  return aliases[lower] ?? null;
}

/** The BCP 47 tag of a language ("ur" for urd), for channels that carry a locale. */
export function bcp47Of(lang: LanguageCode): string {
  return bcp47[lang];
}

const bcp47: Readonly<Record<LanguageCode, string>> = {
  eng: "en",
  ben: "bn",
  urd: "ur",
  fas: "fa",
  pus: "ps",
  ara: "ar",
  rus: "ru",
  tgk: "tg",
  uzb: "uz",
  kaz: "kk",
  kir: "ky",
  tuk: "tk",
};

export function directionOf(lang: LanguageCode): TextDirection {
  return languages[lang].direction;
}

/** The languages to try, in order, when looking for a text in `lang`. */
export function fallbackChain(lang: LanguageCode): LanguageCode[] {
  const chain: LanguageCode[] = [lang];
  const fallback = languages[lang].fallback;
  if (fallback) chain.push(fallback);
  if (!chain.includes("eng")) chain.push("eng");
  return chain;
}
