import { isOriginCountry, placeMentions, type PlaceMention } from "../i18n/countries.js";
import { normaliseForMatching, words } from "./normalise-text.js";

/**
 * Countries that send migrants and also take them in from other MRCs' countries: Kazakhstan (from
 * Uzbekistan, Tajikistan and Kyrgyzstan), Iran and Pakistan (from Afghanistan).
 */
const sendingAndReceiving = new Set(["KZ", "IR", "PK"]);

const fold = (list: readonly string[]) => new Set(list.map(normaliseForMatching));

/** How a language marks a place name as "in or to" it, or "from" it: a word before, one after, an ending. */
interface PlaceMarks {
  readonly before: ReadonlySet<string>;
  readonly after: ReadonlySet<string>;
  readonly ending: RegExp;
  /** Arabic writes "in" and "to" on the name itself: "بإيران", "لباكستان". */
  readonly gluedPrefix?: RegExp;
  /** A word after the name that makes the one before mean something else: Pashto "له … سره" is "with". */
  readonly notAfter?: ReadonlySet<string>;
}

const inOrTo: PlaceMarks = {
  before: fold([
    ...["в", "во", "дар", "ба", "in", "to", "at", "into", "dar", "ba", "pa"],
    // Dari speech writes "in" as "ده" ("ده مسکو", in Moscow).
    ...["در", "ده", "به", "په", "في", "فى", "الى", "إلى", "ل"],
    // "near Varamin", "قرب الحدود": near a place is in it, for the emergency number.
    ...["near", "نزدیک", "نزديك", "قرب", "возле", "около", "под"],
  ]),
  // Pashto "کې" (in) and "ته" (to), Urdu "میں" (in)
  after: fold(["کې", "کی", "ته", "میں", "mein", "main", "ta"]),
  // Uzbek: "Qozog'istonda", "Eronga", "Покистонга"
  // "Almatidaman", "Qozondamiz": I am / we are in, the locative with a person's ending.
  ending: /(?:(?:da|да)(?:man|miz|san|siz|ман|миз|сан|сиз)?|ga|ka|qa|dagi|га|ка|қа|даги)$/u,
  gluedPrefix: /^(?:و?[بل])(?=\p{Script=Arabic})/u,
};

/** Marks of "to", not "in": where someone is being taken or was promised, not where they are. */
const towards: PlaceMarks = {
  before: fold(["to", "into", "ba", "به", "الى", "إلى"]),
  after: fold(["ته", "ta"]),
  ending: /(?:ga|ka|qa|га|ка|қа)$/u,
  // Arabic "للعراق": "to Iraq", glued.
  gluedPrefix: /^(?:و?ل)(?=\p{Script=Arabic})/u,
};

/** Words that say what follows is the situation now: "ekhon oman e…", "сейчас в Казани". */
const nowWords = fold([
  ...[
    "now",
    "currently",
    "ekhon",
    "এখন",
    "ab",
    "abhi",
    "اب",
    "ابھی",
    "اکنون",
    "الان",
    "حالا",
    "فعلا",
    "اوس",
    "اوسمهال",
  ],
  ...["الحين", "الآن", "هسه", "сейчас", "щас", "ҳозир", "hozir", "хозир", "ҳоло", "hozirda"],
]);
const nowReach = 5;

/** Words of coming home: "we came back from Dubai" says nothing of Dubai being where they are. */
const cameBack = fold([
  ...["back", "returned", "return", "deported", "home", "ফিরে", "ফেরত", "firse", "fire", "واپس", "wapas", "wapis"],
  ...["برگشت", "برگشتیم", "برگشتم", "راستانه", "راغلو", "بېرته", "بیرته", "رجعت", "رجعنا", "رجع", "رحلوني", "رحلونا"],
  ...["вернулся", "вернулись", "вернулась", "депортировали", "выслали", "домой", "баргашт", "баргаштем", "баргаштам"],
  ...["qaytdi", "qaytdik", "qaytdim", "deportatsiya", "қайтди", "қайтдик"],
]);

const from: PlaceMarks = {
  before: fold(["из", "аз", "from", "az", "la", "از", "له", "من", "مِن"]),
  // Pashto "نه" and "څخه", Urdu "سے", Bengali "থেকে"
  after: fold(["نه", "څخه", "سے", "se", "থেকে", "theke"]),
  // Uzbek: "Pokistondan", "Erondan", "Qozog'istondan"
  ending: /(?:dan|дан|тан)$/u,
  notAfter: fold(["سره"]),
};

function marked(mention: PlaceMention, folded: readonly string[], marks: PlaceMarks): boolean {
  const first = folded[mention.index] ?? "";
  const last = folded[mention.index + mention.words - 1] ?? "";
  const glued = marks.gluedPrefix;
  if (marks.notAfter?.has(folded[mention.index + mention.words] ?? "")) return false;
  return (
    marks.before.has(folded[mention.index - 1] ?? "") ||
    marks.after.has(folded[mention.index + mention.words] ?? "") ||
    // The ending follows the name: "Pokistondan" is "from Pakistan", but "Mardan" is only a city's name.
    (marks.ending.test(last) &&
      placeMentions(last.replace(marks.ending, "")).some((inner) => inner.code === mention.code)) ||
    (glued !== undefined &&
      glued.test(first) &&
      placeMentions(first.replace(glued, "")).some((inner) => inner.code === mention.code))
  );
}

/** Among the countries that both send and take in migrants, those the text names with these marks. */
function sendingAndReceivingMarked(text: string, marks: PlaceMarks): Set<string> {
  const folded = words(text);
  return new Set(
    placeMentions(text)
      .filter((mention) => sendingAndReceiving.has(mention.code) && marked(mention, folded, marks))
      .map((mention) => mention.code),
  );
}

/**
 * The countries a message names as where the person is or is going ("в Казахстане", "Qozog'istonga",
 * "در ایران", "په پاکستان کې"), among those that are both an origin and a destination. Such a country is
 * what the question is about, not where the person comes from: a Tajik in Almaty asks about
 * Kazakhstan's rules, an Afghan in Mashhad about Iran's.
 */
export function countriesNamedAsWhere(text: string): Set<string> {
  return sendingAndReceivingMarked(text, inOrTo);
}

/**
 * Among the same countries, those a message names as where the person comes from ("له پاکستان نه
 * راستانه شوو", "از ایران برگشتیم"): an Afghan back from Pakistan asks about coming home, not about
 * Pakistan's rules.
 */
export function countriesNamedAsFrom(text: string): Set<string> {
  return sendingAndReceivingMarked(text, from);
}

/**
 * Where the person (or the person they write about) is now, from one message: a country or city named as
 * where ("в Казани", "ریاض میں", "in Antalya"), else a country named that is not where they come from and
 * not named as a place left ("from Pakistan"). Origin countries count only when marked as where ("I am in
 * Peshawar"), or when the message answers "which country are you in?" (`answering`).
 */
export function placeNow(
  text: string,
  origin: string | null,
  options: { answering?: boolean; markedOnly?: boolean; lastHeardFrom?: boolean } = {},
): string | null {
  const folded = words(text);
  const nowAt = folded.flatMap((word, index) => (nowWords.has(word) ? [index] : []));
  const mentions = placeMentions(text).map((mention) => ({
    code: mention.code,
    where: marked(mention, folded, inOrTo),
    towards: marked(mention, folded, towards),
    from: marked(mention, folded, from),
    now: nowAt.some((at) => mention.index > at && mention.index - at <= nowReach),
  }));
  // "…promised a job in Dubai, but now they keep me in Oman": a place said to be now wins; then "in" over "to".
  const said = mentions.filter((mention) => !mention.from);
  const now = said.find((mention) => mention.now && (mention.where || !options.markedOnly));
  if (now) return now.code;
  // "The agent in Dhaka promised…, but in Kuala Lumpur they keep me": of the places named as "in", one
  // abroad is where the danger is.
  const inPlaces = said.filter((mention) => mention.where && !mention.towards);
  const where =
    inPlaces.find((mention) => mention.code !== origin && !isOriginCountry(mention.code)) ??
    inPlaces[0] ??
    said.find((mention) => mention.where);
  if (where) return where.code;
  if (options.markedOnly) return null;
  const elsewhere = mentions.find(
    (mention) => !mention.from && mention.code !== origin && !isOriginCountry(mention.code),
  );
  if (elsewhere) return elsewhere.code;
  // In a cry for help about someone else, "a voice note from Riyadh", "аз Самара смс фиристод" is where
  // they were last heard of, unless the message says they came home.
  if (options.lastHeardFrom && !folded.some((word) => cameBack.has(word))) {
    const heardFrom = mentions.find((mention) => (origin ? mention.code !== origin : !isOriginCountry(mention.code)));
    if (heardFrom) return heardFrom.code;
  }
  if (options.answering) return mentions.find((mention) => !mention.from)?.code ?? null;
  return null;
}
