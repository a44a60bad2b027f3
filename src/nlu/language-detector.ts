import { francAll } from "franc";
import { normaliseLanguage, type LanguageCode } from "../i18n/languages.js";

export interface LanguageGuess {
  readonly lang: LanguageCode | null;
  /** True when the text is long or distinctive enough to switch a conversation's language. */
  readonly confident: boolean;
  /** A language of another script typed in Latin letters ("mujhe visa chahiye", "ami bidesh jabo", "shgad el ratib"). */
  readonly romanised: boolean;
}

const unknown: LanguageGuess = { lang: null, confident: false, romanised: false };

/** Frequent short words that tell Latin-script languages apart where franc cannot (chat is short). */
const latinMarkers: Readonly<
  Record<"eng" | "urd" | "ben" | "uzb" | "tuk" | "fas" | "pus" | "ara" | "rus", ReadonlySet<string>>
> = {
  eng: new Set(
    "the a an is are was what how why when where which who can do does did i my me you your to for of in on with from and or not much many need want get go work job have has there this that it please about".split(
      " ",
    ),
  ),
  urd: new Set(
    "mujhe mujhay mein main mai hai hain hy kya kia kaise kaisay kese karna karen karo ho hoga hogi ka ki ke ko se aur nahi nahin chahiye chahta chahti jana jaana jaa raha rahi apna apni mera meri mere kitna kitne kitni kab kahan kyun bhai paisa paise naukri kaam batao bataen bataye".split(
      " ",
    ),
  ),
  ben: new Set(
    "ami amar amake ki kivabe kibhabe koto kothay keno kore korbo korte korle ache achhe nai na hobe jabo jete jaite chai lagbe taka bidesh bideshe kaj apni apnar tumi amra kemon holo hoy theke er kon jonno dibo hoye gele ekhon hoise korar".split(
      " ",
    ),
  ),
  uzb: new Set(
    "men sen u biz siz ular va uchun bilan qanday nima qayerda qachon kerak ish ishlash bormoqchiman boraman qilish salom rahmat yordam pul viza pasport qancha emas bor yoq".split(
      " ",
    ),
  ),
  tuk: new Set("men sen ol biz siz we üçin bilen nähili näme nirede haçan gerek iş işlemek sag bol kömek".split(" ")),
  // Dari and Persian, Pashto, Arabic ("Arabizi") and Russian as typed in Latin letters on phones.
  fas: new Set(
    "dar az ast hast chist chand chera chira kuja koja kojast mikhaham mekhaham mikhayam mekhayam mikonam mekonam baraye mesha mishe nist bayad hastam astam chetor chetaw gofta goft tashakor lotfan meshawa mishavad kodam kadam pesaram dokhtaram shoma hastim".split(
      " ",
    ),
  ),
  pus: new Set(
    "ghwaram ghwarm ghwaro ghwari tsanga sanga tsomra somra sumra lapara warkawi warkawey warkri wakhlam kawam kawalay kawal kawi kawo kegi shta shte zama zma sta staso wror zoy mor plar der dera kho khaza kom kum sara wayi legi legam wolegam shawi shawe wagori rawri nerkh dy pa sa tar aw bajo bandiz garmai gharmi zakhmi shom shum ziat wakht wizarat akhlam akhistay kegi kege da we baje ghrami garmi".split(
      " ",
    ),
  ),
  ara: new Set(
    "shu shlon shlonak shgad shkad eza iza ana enta inta fi bil bel el aku maku mako hassa hessa hasa keef kif kaif leish lesh wen wein shno shinu yani 3ashan 3shan 3ind 3indi 3andi ma3 m3a agdar agder areed arid abi abgha ashtaghel shoghol shughul".split(
      " ",
    ),
  ),
  rus: new Set(
    "kak pochemu rabota rabotu rabotat rabotaet rabotayu mne menya nuzhno nuzhen nado skolko stoit mozhno mozhet gde esli chto shto privet spasibo pozhaluysta pozhalujsta eto uzhe dlya kuda kakoy kakaya kakie kakuyu hochu khochu hochet khochet ehat yehat zarplata zarplatu zvonit pozvonit slyshal skazali govorit dayut dengi deneg kogda seychas sejchas tolko ya iz tam vse pravda prosit gavarit tysyach rubley dokumenty oficialno kakogo kakoj kakaja rabotaju letom chasa chasov dney nelzya zapreshayut".split(
      " ",
    ),
  ),
};

/** Arabic written in Latin letters uses digits for letters Latin lacks: 3 for ain, 7 for ha, 2 for hamza. */
const arabiziWord = /^[a-z]*[a-z][2357][a-z]*$|^[2357][a-z]+$/;

const scriptPatterns = {
  bengali: /[\u0980-\u09FF]/gu,
  arabic: /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/gu,
  cyrillic: /[\u0400-\u04FF]/gu,
  latin: /[A-Za-z\u00C0-\u024F]/gu,
};

const pashtoLetters = /[ټډړږښګڼېۍځڅ]/u;
const urduLetters = /[ٹڈڑںےۓھ]/u;
/** Letters Persian, Urdu and Pashto share and Arabic does not use. */
const persoArabicLetters = /[پچژگکی]/u;
const tajikLetters = /[ҷӣӯ]/u;
const kazakhLetters = /[әіұһ]/u;
const kyrgyzLetters = /[ңөү]/u;
const uzbekCyrillicLetters = /[ўғқҳ]/u;
const turkmenLatinLetters = /[äýňžş]/u;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function bestByFranc(text: string, only: string[]): { lang: LanguageCode | null; margin: number } {
  const ranked = francAll(text, { only, minLength: 1 });
  const [first, second] = ranked;
  if (!first || first[0] === "und") return { lang: null, margin: 0 };
  return { lang: normaliseLanguage(first[0]), margin: first[1] - (second?.[1] ?? 0) };
}

/**
 * Guesses the language of a chat message. The script decides first, distinctive letters next, franc
 * (restricted to our languages) last; Latin-script text is checked for English, Roman Urdu, Banglish,
 * Uzbek and Turkmen by their common words, because franc reads short Roman Urdu as Turkmen.
 */
export function detectLanguage(input: string): LanguageGuess {
  const text = input
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[\d\p{Extended_Pictographic}]/gu, " ")
    .trim();
  const letters = {
    bengali: count(text, scriptPatterns.bengali),
    arabic: count(text, scriptPatterns.arabic),
    cyrillic: count(text, scriptPatterns.cyrillic),
    latin: count(text, scriptPatterns.latin),
  };
  const total = letters.bengali + letters.arabic + letters.cyrillic + letters.latin;
  if (total < 2) return unknown;
  const [dominant] = (Object.entries(letters) as [keyof typeof letters, number][]).reduce((best, entry) =>
    entry[1] > best[1] ? entry : best,
  );
  const long = total >= 12;

  switch (dominant) {
    case "bengali":
      return { lang: "ben", confident: letters.bengali >= 3, romanised: false };
    case "arabic":
      return detectArabicScript(text, long);
    case "cyrillic":
      return detectCyrillic(text, long);
    case "latin":
      // Arabizi's letters are digits (3 for ain, 7 for ha): read them in the text as typed.
      return detectLatin(text, long, input);
  }
}

// Iraqi Arabic writes گ and چ (شگد, يگول, چا) like Persian, so those letters do not rule Arabic out. What
// marks it: the ta marbuta, dialect words, and the article on several words (Persian has a few such words).
const taMarbuta = /\u0629/gu;
const iraqiArabicWords = new Set(
  "شنو شگد شكد شقد اشگد اشكد اكو ماكو آني اريد أريد اللي هواية يگول گال گالت وية هسه هسة شلون ليش وين اگدر أگدر يگدر تگدر اكدر مالتي مالي مالته عدنا عندي احنا إحنا هاي هذا هذي".split(
    " ",
  ),
);
const persianArticleWords = new Set(["الان", "البته", "الکترونیکی", "الکترونیک", "الگو", "الهام", "الکل"]);

function arabicMarks(text: string): number {
  const textWords = text.split(/[^\p{L}\p{M}]+/u).filter(Boolean);
  const dialect = textWords.filter((word) => iraqiArabicWords.has(word)).length;
  const article = textWords.filter(
    (word) => /^(?:[وفبلك]?ال|لل)\p{L}{2,}/u.test(word) && !persianArticleWords.has(word) && !/[پچژکی]/u.test(word),
  ).length;
  // Typed on an Arabic keyboard (ي, ك) and never with the Persian letters: one more mark, never enough alone.
  const arabicKeyboard = /[يك]/u.test(text) && !/[یکپچژ]/u.test(text) ? 1 : 0;
  const own = count(text, taMarbuta) + dialect + (dialect > 0 ? arabicKeyboard : 0);
  return own >= 1 || article >= 3 ? own + article : 0;
}

// Small words each of Arabic, Dari/Persian and Pashto uses and the others do not (ي and ك folded to ی and
// ک): for text with none of the distinctive letters, where franc reads a short Arabic question as Pashto.
const arabicScriptWords: Readonly<Record<"ara" | "fas" | "pus", ReadonlySet<string>>> = {
  ara: new Set(
    "عن مع هل لازم اذا لو هو هی انا کیف متی عند الذی التی اللی لیش لان یعنی ولا شنو شکد شگد وین اکو ماکو هذا هذه هاد".split(
      " ",
    ),
  ),
  fas: new Set(
    "در از به با که این است را برای میخواهم میخواهیم چی چه کجا نیست هست باید ده ره مه استم دارم میشه میشود شده کدام چطور".split(
      " ",
    ),
  ),
  pus: new Set("د په ته له سره دی څه زه یم کوم غواړم څنګه".split(" ")),
};

function arabicScriptVote(text: string): "ara" | "fas" | "pus" | null {
  const tokens = text
    .replace(/ي|ى/gu, "ی")
    .replace(/ك/gu, "ک")
    .replace(/[إأآ]/gu, "ا")
    .replace(/ة/gu, "ه")
    .split(/[^\p{L}\p{M}]+/u)
    .filter(Boolean);
  const votes = (["ara", "fas", "pus"] as const)
    .map((lang) => ({ lang, hits: tokens.filter((token) => arabicScriptWords[lang].has(token)).length }))
    .sort((a, b) => b.hits - a.hits);
  const [first, second] = votes;
  return first && first.hits > 0 && first.hits > (second?.hits ?? 0) ? first.lang : null;
}

function detectArabicScript(text: string, long: boolean): LanguageGuess {
  if (pashtoLetters.test(text)) return { lang: "pus", confident: true, romanised: false };
  if (urduLetters.test(text)) return { lang: "urd", confident: true, romanised: false };
  if (arabicMarks(text) >= 2) return { lang: "ara", confident: long, romanised: false };
  const voted = arabicScriptVote(text);
  // Arabic without Persian letters, or Dari and Pashto by their small words (Urdu shows its own letters).
  if (voted === "ara" && !persoArabicLetters.test(text)) return { lang: "ara", confident: long, romanised: false };
  if (voted === "fas" || voted === "pus") {
    return { lang: voted, confident: long, romanised: false };
  }
  const candidates = persoArabicLetters.test(text) ? ["urd", "pes", "prs", "pbu"] : ["arb", "urd", "pes", "prs", "pbu"];
  const guess = bestByFranc(text, candidates);
  return { lang: guess.lang, confident: long && guess.margin > 0.05, romanised: false };
}

const uzbekCyrillicWords = new Set(
  "нечи нечта неча қанча канча керак учун билан бор борми йўқ йук мумкин мумкинми нима қандай кандай қаерда каерда қачон качон мен менга менинг сиз биз улар иш ишлаш ишлаяпман бермоқчиман ариза ишонч қилиш килиш бўлади булади эмас ҳам хам лекин агар".split(
    " ",
  ),
);
const russianCyrillicWords = new Set(
  "в и на не что как после сколько можно нужно его ему её мне меня он она они это где когда если или для по от до за".split(
    " ",
  ),
);
const tajikCyrillicWords = new Set(
  "чанд чи барои ман дар аз ба ки мехоҳам мехохам кор кардан мешавад нест ҳаст хаст куҷо кучо кай бо агар лекин шумо мо онҳо чӣ тавр чист кадом".split(
    " ",
  ),
);

function detectCyrillic(text: string, long: boolean): LanguageGuess {
  const lower = text.toLowerCase();
  if (tajikLetters.test(lower)) return { lang: "tgk", confident: true, romanised: false };
  if (kazakhLetters.test(lower)) return { lang: "kaz", confident: true, romanised: false };
  if (kyrgyzLetters.test(lower)) return { lang: "kir", confident: true, romanised: false };
  if (uzbekCyrillicLetters.test(lower)) {
    // Tajik never writes ў; typed without ҷ, ӣ, ӯ the two share қ, ғ, ҳ, and their common words decide.
    // Russian with an Uzbek name or two in it ("Акамнинг ўғли в Германии…") stays Russian.
    const tokens = lower.split(/[^\p{L}]+/u).filter(Boolean);
    const russian = tokens.filter((token) => russianCyrillicWords.has(token)).length;
    const uzbek = tokens.filter((token) => uzbekCyrillicWords.has(token)).length + (lower.includes("ў") ? 2 : 0);
    const tajik = tokens.filter((token) => tajikCyrillicWords.has(token)).length;
    if (russian > uzbek && russian > tajik) return { lang: "rus", confident: long, romanised: false };
    if (uzbek !== tajik) return { lang: uzbek > tajik ? "uzb" : "tgk", confident: long, romanised: false };
    const guess = bestByFranc(text, ["uzn", "tgk"]);
    return { lang: guess.lang ?? "uzb", confident: long, romanised: false };
  }
  // Russian's small words and none of Tajik's: "а если домработницей?" is too short for franc.
  const tokens = lower.split(/[^\p{L}]+/u).filter(Boolean);
  if (tokens.some((token) => russianCyrillicWords.has(token)) && !tokens.some((token) => tajikCyrillicWords.has(token)))
    return { lang: "rus", confident: long, romanised: false };
  const guess = bestByFranc(text, ["rus", "tgk", "uzn", "kaz", "kir"]);
  return { lang: guess.lang ?? "rus", confident: long || guess.lang === "rus", romanised: false };
}

function detectLatin(text: string, long: boolean, typed: string): LanguageGuess {
  const words = text
    .toLowerCase()
    .replace(/[ʻ'`’]/g, "")
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  if (turkmenLatinLetters.test(text.toLowerCase())) return { lang: "tuk", confident: long, romanised: false };
  const arabizi = typed
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => arabiziWord.test(word)).length;
  // Uzbek asks "and in X?" with a hyphenated -chi: "Saudiyada-chi?", "qirgizlar-chi?".
  const uzbekChi = /\p{L}-chi\b/iu.test(typed) ? 2 : 0;
  const scores = (Object.keys(latinMarkers) as (keyof typeof latinMarkers)[])
    .map((lang) => ({
      lang,
      // Distinct words: Banglish "na … na … na" is one word, not three.
      hits:
        new Set(words.filter((word) => latinMarkers[lang].has(word))).size +
        (lang === "ara" ? arabizi : 0) +
        (lang === "uzb" ? uzbekChi : 0),
    }))
    .sort((a, b) => b.hits - a.hits);
  const [first, second] = scores;
  if (first && first.hits > 0 && first.hits > (second?.hits ?? 0)) {
    const lang = first.lang;
    return {
      lang,
      confident: first.hits >= 2 || (long && first.hits >= 1),
      romanised: lang !== "eng" && lang !== "uzb" && lang !== "tuk",
    };
  }
  if (words.length >= 4) {
    const guess = bestByFranc(text, ["eng", "uzn", "tuk"]);
    return { lang: guess.lang, confident: false, romanised: false };
  }
  return unknown;
}
