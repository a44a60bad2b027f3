import { isOriginCountry, placeMentions, type PlaceMention } from "../i18n/countries.js";
import type { LanguageCode } from "../i18n/languages.js";
import { asciiDigits } from "./amounts.js";
import { cueList, lightStem, normaliseForMatching, withoutArabicPrefix, words } from "./normalise-text.js";
import { questionKinds } from "./question-kind.js";

/**
 * Follow-up questions: "and for Lebanon?", "what about for drivers?", "ar singapore er jonno?", "а в
 * Екатеринбурге?", "اور قطر میں؟". Such a message names a new place or group of workers and little else;
 * it asks the previous question again about that place or group.
 */

// Words that carry no subject of their own in a follow-up, in every reply language (folded spellings).
const connectives = new Set([
  // English and chat English
  ...cueList(`
    and | what | whats | about | how | for | in | the | also | then | there | same | case | of | to | if |
    ppl | people | is | it | its | so | ok | plz | please | now
  `),
  // Banglish, Roman Urdu
  ...cueList(`
    ar | aur | or | te | e | er | jonno | jnno | ki | kya | kiya | mein | me | main | ka | ke | ko | liye |
    lie | ya | bhi | kemon | hobe | hoga | hai
  `),
  // Bengali
  ...cueList(`
    আর | এবং | এর | জন্য | তে | কী | কি | হলে | বেলায়
  `),
  // Urdu, Persian, Pashto
  ...cueList(`
    اور | میں | کے | کی | کا | لیے | لئے | کیا | بھی | و | در | برای | چطور | چی | چه | هم | او | په | کې | د |
    لپاره | ته | څنګه
  `),
  // Arabic
  ...cueList(`
    في | وفي | ماذا | عن | وعن | بالنسبة | ل | لل | وبالنسبة | شنو | وشنو
  `),
  // Russian, Tajik
  ...cueList(`
    а | и | в | во | для | как | насчет | про | тоже | там | ва | дар | барои | чи | чӣ | хам
  `),
  // "How much / which" asked again about the new place adds no subject: "а в питере скок?", "aur dubai mein kitna?"
  ...cueList(`
    сколько | скок | скока | какая | какой | какие | какое | чанд | kitna | kitni | kitne | koto | چقدر |
    څومره | کتنا | کتنی | کتنے | কত | شكد | شگد | كم | qancha | necha | skolko | much | many | koyta | koyti |
    কয়টা | কয়টি | kokhon | কখন | kitne baje | كم ساعة
  `),
  // Dari, Pashto and Arabic typed in Latin letters
  ...cueList(`
    wa | w | dar | chi | che | baraye | bara | ham | aw | ao | pa | da | eza | iza | fi | bil | bel | b | shu |
    wel | wal
  `),
  // "If" and "citizens": "а если кыргыз?", "and for kyrgyz citizens?" ask again for other nationals.
  ...cueList(`
    if | agar | agr | jodi | যদি | اگر | اگه | که | اذا | إذا | если | esli | агар | citizens | citizen |
    nationals | passport | граждан | гражданин | гражданина | граждане | гражданам | шаҳрванд | шаҳрвандон |
    шаҳрвандони | fuqaro | fuqarolari | fuqarolar | নাগরিক | নাগরিকদের | شہری | شہریوں | اتباع | تبعه | مواطن |
    wale | wali | wala | walon | log | logon
  `),
  // Uzbek
  ...cueList(`
    va | uchun | chi | ham | da | qanday
  `),
  // Whom it is for: "what about my kyrgyz friend?", "а если жена казашка?", "qozoq bo'lsa-chi? xotinim".
  ...cueList(`
    my | his | friend | friends | brother | sister | wife | husband | cousin | son | daughter | father | mother |
    amar | bhai | bon | bou | mera | meri | mere | dost | biwi | behan | ami | امی | میرا | میری | میرے | بھائی |
    دوست | بیوی | بہن | আমার | ভাই | বোন | বউ | বন্ধু | دوستم | برادرم | خواهرم | خانمم | زنم | شوهرم | ملګری |
    ورور | خور | ښځه | مې | زما | اخوي | اختي | صديقي | زوجتي | زوجي | мой | моя | мои | друг | брат | сестра |
    жена | муж | сын | дочь | дӯстам | бародарам | хоҳарам | занам | шавҳарам | писарам | духтарам | do'stim |
    dostim | akam | ukam | opam | singlim | xotinim | erim | o'g'lim | qizim | bo'lsa | bo'lsachi | bolsa |
    bolsachi | fuqarosi
  `),
  // Who and where from: "what if he was from kyrgyzstan", "agar wo pakistan se ho?", "а если он из киргизии?"
  // (not "I am": "I am from Bangladesh" tells the bot who is asking).
  ...cueList(`
    he | she | they | was | were | from | him | her | wo | woh | ho | hon | se |
    theke | থেকে | سے | وہ | از | له | څخه | من | он | она | они | был | была | из | аз | ӯ
  `),
]);

// Groups of workers a follow-up can switch to (word starts, folded).
const groupWords = [
  // "ghar ki kaam wali" (a domestic worker, in Roman Urdu), "د کور کار" (Pashto)
  "ghar",
  "gharelu",
  "kaamwali",
  "kamwali",
  "naukrani",
  "کور",
  "driver",
  "housemaid",
  "maid",
  "domestic",
  "women",
  "woman",
  "female",
  "men",
  "male",
  "nurse",
  "construction",
  "farm",
  "student",
  "child",
  "kids",
  "cleaner",
  "cook",
  "ড্রাইভার",
  "গৃহকর্মী",
  "মহিলা",
  "নারী",
  "পুরুষ",
  "ڈرائیور",
  "گھریلو",
  "ملازم",
  "عورت",
  "خواتین",
  "مرد",
  "راننده",
  "دریور",
  "زن",
  "زنان",
  "ښځ",
  "سائق",
  "سايق",
  "خادم",
  "خدام",
  "شغاله",
  // "وللعاملات بالبيوت؟": women workers in homes
  "عاملات",
  "بيوت",
  "منازل",
  "نساء",
  "النساء",
  "водител",
  "домработниц",
  "женщин",
  "ронанд",
  "занон",
  "haydovchi",
  "ayol",
  // Women and men in Roman Urdu and Banglish: "aur auraton ke liye helpline?"
  "aurat",
  "auraton",
  "khawateen",
  "khwateen",
  "mohila",
  "purush",
  // Workers in homes by other names: "and for the house servant?" (Dari), "ghar wali?" (Roman Urdu).
  "housemaid",
  "household",
  "gharelu",
  "خدمتکار",
  "خدمه",
  "نوکر",
  "خانگی",
  "хизматгор",
  "xizmatkor",
  "oqsoch",
].map(normaliseForMatching);

const maxFollowUpWords = 9;

// "Work", "worker", "doing": said with a group ("ghar mein kaam karne wali maid?", "for men working on farms?")
// and adding no subject of their own.
const workWords = new Set(
  cueList(`
    kaam | kam | karne | karnay | karte | karti | karta | work | works | working | worker | workers | job | jobs |
    kaj | kaaj | kajer | কাজ | কাজের | কাজে | کام | کار | کارگر | کارگرا | کارگرها | کاری | عامل | عمال | عاملة |
    العامل | العمال | 3amel | работа | работы | работе | работник | работников | работающих | кор | корӣ | кори |
    ish | ishchi | ishchilar | ishlaydigan
  `),
);

/** A year a word names ("2025", "۲۰۲۵", "2025da"), in Western digits, or null. */
function yearIn(token: string): string | null {
  const match = /^(19[89]\d|20[0-4]\d)\p{L}{0,5}$/u.exec(asciiDigits(token));
  return match?.[1] ?? null;
}

// "in 2025?", "2025 da qancha edi?", "а в 2025 году сколько было?": the words around a year asked again.
const yearWords = new Set(
  cueList(`
    year | yil | yilda | yili | год | году | года | было | был | была | сол | соли | буд | saal | sal | sale |
    tha | thi | edi | эди | সাল | সালে | সালের | ছিল | سال | سالی | کال | سنة | عام | was | last | o'tgan | otgan |
    прошлом | гузашта | پارسال | گذشته
  `),
);

/** The places and groups a follow-up switches to, or null when the message is a question of its own. */
export function followUpTarget(text: string): { places: string[]; groups: string[]; years: string[] } | null {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > maxFollowUpWords) return null;
  const mentions = placeMentions(text);
  const placeWords = new Set(mentions.flatMap((mention) => wordIndexes(mention)));
  const groups: string[] = [];
  const years = tokens.flatMap((token) => {
    const year = yearIn(token);
    return year ? [year] : [];
  });
  const rest = tokens.filter((token, index) => {
    if (placeWords.has(index) || connectives.has(token) || yearIn(token)) return false;
    if (workWords.has(token)) return false;
    if (years.length > 0 && yearWords.has(token)) return false;
    // Arabic glues "and for the" to the word: "وللخدامة؟" is "and for the housemaid?".
    const bare = withoutArabicPrefix(token);
    if (groupWords.some((word) => token.startsWith(word) || bare.startsWith(word))) {
      groups.push(token);
      return false;
    }
    return true;
  });
  // One word the lists lack ("and for the kaam wali?") is forgiven when the message opens with "and" or
  // "if": it reads as going on with the question before.
  const opensOn =
    andWords.has(tokens[0] ?? "") ||
    isIf(tokens[0] ?? "") ||
    ((tokens[0] === "what" || tokens[0] === "how") && tokens[1] === "about");
  // So is one beside a group named ("برای خدمتکار خانه چی؟": for the servant of the house?).
  const forgiven = opensOn || groups.length > 0 || years.length > 0 ? 1 : 0;
  if (rest.length > forgiven || (mentions.length === 0 && groups.length === 0 && years.length === 0)) return null;
  return { places: [...new Set(mentions.map((mention) => mention.code))], groups, years };
}

function wordIndexes(mention: PlaceMention): number[] {
  return Array.from({ length: mention.words }, (_, offset) => mention.index + offset);
}

/**
 * "дар Поволжье чӣ? ба Самара кӯчида истодаам" (and the Volga region? I am moving to Samara): a follow-up
 * said in one sentence, with the rest of the message telling about the person and asking nothing. Null
 * when no sentence is a follow-up, or another sentence asks something of its own.
 */
export function followUpWithChatter(text: string): { followUp: string; chatter: string } | null {
  const sentences = text
    .split(/(?<=[?؟!.])\s+/u)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  if (sentences.length < 2) return null;
  const index = sentences.findIndex((sentence) => followUpTarget(sentence) !== null);
  const followUp = sentences[index];
  if (index < 0 || !followUp) return null;
  const rest = sentences.filter((_, i) => i !== index);
  if (rest.some((sentence) => questionKinds(sentence).length > 0 || /[?؟]/u.test(sentence))) return null;
  return { followUp, chatter: rest.join(" ") };
}

/**
 * The previous question asked again about the follow-up's place or group: the places the previous
 * question named give way to the new one ("notice to change job in qatar" + "and kuwait?" →
 * "notice to change job in kuwait"); a group is added to it ("minimum wage in kuwait" + "and for
 * housemaids?" → "minimum wage in kuwait housemaids").
 */
export function resolveFollowUp(previous: string, followUp: string): string {
  const target = followUpTarget(followUp);
  if (!target) return followUp;
  const added = words(followUp).filter((token) => !connectives.has(token));
  // A new city replaces the one before even in the same country ("в Москве" + "а в питере?").
  const newCities = placeMentions(followUp).flatMap((mention) => (mention.city ? [mention.city] : []));
  // A nationality replaces a nationality, a destination a destination: "Uzbeks in Russia" + "and Kyrgyz?"
  // keeps Russia; "from Pakistan to Qatar" + "and Kuwait?" keeps Pakistan.
  const newAreOrigins = target.places.length > 0 && target.places.every(isOriginCountry);
  const replaced = new Set(
    target.places.length === 0
      ? []
      : placeMentions(previous)
          .filter((mention) => isOriginCountry(mention.code) === newAreOrigins)
          .filter(
            (mention) =>
              !target.places.includes(mention.code) ||
              (mention.city !== null && newCities.length > 0 && !newCities.includes(mention.city)),
          )
          .flatMap((mention) => wordIndexes(mention)),
  );
  // A year asked again replaces the year asked before ("… in 2026" + "and 2025?").
  const kept = words(previous).filter(
    (token, index) => !replaced.has(index) && !(target.years.length > 0 && yearIn(token)),
  );
  return [...kept, ...added].join(" ");
}

const maxEllipticalWords = 6;

// "and …?" in every reply language (folded): a question that starts so continues the one before.
const andWords = new Set(
  ["and", "aur", "ar", "আর", "اور", "او", "و", "а", "и", "va", "ва", "وبال", "وفی", "then", "wa", "w", "aw", "ao"].map(
    normaliseForMatching,
  ),
);

// "What about …?" put after the word in Uzbek and Tajik: "oyiga-chi?" (and a month?), "Кувайт чӣ?".
const whatAboutAfter = new Set(["chi", "чи"]);

/**
 * "and ambulance?", "and the fee?", "او امبولانس؟", "oyiga-chi?": "and" (or Uzbek and Tajik "-chi" after the
 * word) with a word or two and a question mark.
 */
function isAndWhat(text: string): boolean {
  const tokens = words(text);
  const rest = tokens.filter((token) => !connectives.has(token));
  const goesOn = andWords.has(tokens[0] ?? "") || whatAboutAfter.has(tokens.at(-1) ?? "");
  return /[?؟]\s*$/u.test(text) && goesOn && rest.length > 0 && rest.length <= 2;
}

/**
 * A short question that asks for a fact but names no place and no subject the previous question did not:
 * "where do they apply online?", "а в месяц сколько выходит?", "and the fee?". It asks about the previous
 * question's subject. `subjects` gives the subjects a text names (the glossary's terms).
 */
export function isEllipticalFollowUp(
  text: string,
  previous: string,
  subjects: (text: string) => ReadonlySet<string>,
): boolean {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > maxEllipticalWords) return false;
  if (placeMentions(text).length > 0) return false;
  if (questionKinds(text).length === 0 && !isAndWhat(text)) return false;
  const earlier = subjects(previous);
  return [...subjects(text)].every((subject) => earlier.has(subject));
}

// "If …" in every reply language (folded): "and if they give no housing?" goes on about the same place.
const ifWords = new Set(
  ["if", "agar", "agr", "jodi", "যদি", "اگر", "اگه", "که", "اذا", "إذا", "eza", "iza", "если", "esli", "агар"].map(
    normaliseForMatching,
  ),
);

/** "If", also as Arabic writes "and if", glued: "واذا", "وإذا". */
function isIf(word: string): boolean {
  return ifWords.has(word) || (word.startsWith("و") && ifWords.has(word.slice(1)));
}

/** A condition added to the previous question is short: a clause, not a story of its own. */
const maxConditionWords = 10;

/**
 * "and if I found the job myself?", "او که د اوسېدو ځای نه راکوي؟", "w eza bas sar 3ajz kamil?": the
 * previous question asked again under a new condition. It opens with "and" or "if" and asks for no fact
 * itself (a "how much" of its own makes it a question of its own: see carryPlace).
 */
export function isConditionFollowUp(text: string): boolean {
  const tokens = words(text);
  if (tokens.length < 2 || tokens.length > maxConditionWords) return false;
  const opens = isIf(tokens[0] ?? "") || (andWords.has(tokens[0] ?? "") && isIf(tokens[1] ?? ""));
  return opens && questionKinds(text).length === 0;
}

/** A question this short that names no place of its own goes on about the previous question's place. */
const maxCarriedQuestionWords = 8;

/**
 * "а если жильё не дают, сколько доплачивают?" after a question about Qatar: a message that goes on
 * with "and" or "if", or asks a short question, and names no place of its own is about the previous question's
 * the message with that place's name added, or null.
 */
export function carryPlace(text: string, previous: string, lang: LanguageCode): string | null {
  const tokens = words(text);
  const first = tokens[0] ?? "";
  // "ওভারটাইম মাসে সর্বোচ্চ কত ঘণ্টা?" right after Malaysia's hours asks it of Malaysia too.
  const asksShortly = tokens.length <= maxCarriedQuestionWords && questionKinds(text).length > 0;
  if (!andWords.has(first) && !isIf(first) && !asksShortly) return null;
  if (placeMentions(text).length > 0) return null;
  const previousWords = words(previous);
  // As it was written, without the "in" Arabic glues to it ("ببلجيكا"), which the leaflets do not write.
  // A town of the asker's own country counts too: "and if we go on to our province, is there rent money?"
  // after a question about the cash given at Torkham.
  const names = placeMentions(previous)
    .filter((mention) => !isOriginCountry(mention.code) || mention.city !== null)
    .map((mention) =>
      wordIndexes(mention)
        .map((index) => lightStem(previousWords[index] ?? "", lang))
        .join(" "),
    );
  return names.length > 0 ? `${text} ${[...new Set(names)].join(" ")}` : null;
}

const maxRenumberWords = 5;

/** A number written in any script's digits that is not a year, in Western digits, or null. */
function countIn(token: string): string | null {
  const match = /^(\d+(?:[.,]\d+)?)\p{L}{0,5}$/u.exec(asciiDigits(token));
  return match?.[1] && !yearIn(match[1]) ? match[1] : null;
}

/**
 * "10 bochorer ta?" after "how much is a 5-year passport?", "а за 3 месяца?" after the price of a 1-month
 * patent: the previous question asked again with its first figure changed. Returns that question, or null
 * when the message is more than a figure and a word or two, or the previous question had no figure.
 */
export function renumberFollowUp(text: string, previous: string): string | null {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > maxRenumberWords) return null;
  const counts = tokens.flatMap((token) => {
    const count = countIn(token);
    return count ? [count] : [];
  });
  const [count] = counts;
  if (counts.length !== 1 || !count) return null;
  const goesOn = andWords.has(tokens[0] ?? "") || /[?؟]\s*$/u.test(text);
  const rest = tokens.filter((token) => !countIn(token) && !connectives.has(token));
  if (!goesOn || rest.length > 3) return null;
  // asciiDigits keeps every character's place, so a figure found in its output ("৫ বছর" → "5 বছর") is cut
  // from the question as written.
  const figure = [...asciiDigits(previous).matchAll(/\d+(?:[.,]\d+)?/gu)].find((match) => !yearIn(match[0]));
  if (!figure || figure.index === undefined) return null;
  const renumbered = `${previous.slice(0, figure.index)}${count}${previous.slice(figure.index + figure[0].length)}`;
  return `${renumbered} ${rest.join(" ")}`.trim();
}
