import { placeMentions } from "../i18n/countries.js";
import { normaliseForMatching, words } from "./normalise-text.js";

/**
 * Countries that send migrants and also take them in from other MRCs' countries: Kazakhstan (from
 * Uzbekistan, Tajikistan and Kyrgyzstan), Iran and Pakistan (from Afghanistan).
 */
const sendingAndReceiving = new Set(["KZ", "IR", "PK"]);

const fold = (list: readonly string[]) => new Set(list.map(normaliseForMatching));
/** Words before a country's name that say one is there or going there: "в", "дар", "در", "په", "في". */
const inOrToBefore = fold([
  ...["в", "во", "дар", "ба", "in", "to", "at", "into", "dar", "ba", "pa"],
  ...["در", "به", "په", "في", "فى", "الى", "إلى", "ل"],
]);
/** Words after it that say so: Pashto "کې" (in) and "ته" (to), Urdu "میں" (in). */
const inOrToAfter = fold(["کې", "کی", "ته", "میں", "mein", "main", "ta"]);
/** Uzbek endings that say "in" or "to": "Qozog'istonda", "Eronga", "Покистонга". */
const inOrToEnding = /(?:da|ga|ka|qa|dagi|да|га|ка|қа|даги)$/u;
/** Arabic writes "in" and "to" on the name: "بإيران", "لباكستان". */
const arabicInOrTo = /^(?:و?[بل])(?=\p{Script=Arabic})/u;

/**
 * The countries a message names as where the person is or is going ("в Казахстане", "Qozog'istonga",
 * "در ایران", "په پاکستان کې"), among those that are both an origin and a destination. Such a country is
 * what the question is about, not where the person comes from: a Tajik in Almaty asks about
 * Kazakhstan's rules, an Afghan in Mashhad about Iran's.
 */
export function countriesNamedAsWhere(text: string): Set<string> {
  const folded = words(text);
  const found = new Set<string>();
  for (const mention of placeMentions(text)) {
    if (!sendingAndReceiving.has(mention.code)) continue;
    const first = folded[mention.index] ?? "";
    const last = folded[mention.index + mention.words - 1] ?? "";
    const before = folded[mention.index - 1] ?? "";
    const after = folded[mention.index + mention.words] ?? "";
    const prefixed =
      arabicInOrTo.test(first) &&
      placeMentions(first.replace(arabicInOrTo, "")).some((inner) => inner.code === mention.code);
    if (inOrToBefore.has(before) || inOrToAfter.has(after) || inOrToEnding.test(last) || prefixed)
      found.add(mention.code);
  }
  return found;
}

/** Words before a country's name that say one comes from there: "из", "аз", "از", "له", "من", "from". */
const fromBefore = fold(["из", "аз", "from", "az", "la", "از", "له", "من", "مِن"]);
/** Words after it that say so: Pashto "نه" and "څخه", Urdu "سے", Bengali "থেকে". */
const fromAfter = fold(["نه", "څخه", "سے", "se", "থেকে", "theke"]);
/** Uzbek's "from" ending: "Pokistondan", "Erondan", "Qozog'istondan". */
const fromEnding = /(?:dan|дан|тан)$/u;

/**
 * Among the countries that both send and take in migrants, those a message names as where the person
 * comes from ("له پاکستان نه راستانه شوو", "از ایران برگشتیم"): an Afghan back from Pakistan asks about
 * coming home, not about Pakistan's rules.
 */
export function countriesNamedAsFrom(text: string): Set<string> {
  const folded = words(text);
  const found = new Set<string>();
  for (const mention of placeMentions(text)) {
    if (!sendingAndReceiving.has(mention.code)) continue;
    const last = folded[mention.index + mention.words - 1] ?? "";
    const before = folded[mention.index - 1] ?? "";
    const after = folded[mention.index + mention.words] ?? "";
    if (fromBefore.has(before) || fromAfter.has(after) || fromEnding.test(last)) found.add(mention.code);
  }
  return found;
}
