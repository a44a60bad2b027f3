/**
 * Russian and Tajik typed in Latin letters ("zarplata", "patent moskva mohona chand pul") turned back
 * into Cyrillic, so they can be matched against Cyrillic leaflets. Longest spellings first; the result
 * only needs to be close enough for word starts and trigrams to meet, not correct Russian.
 */
const latinToCyrillic: ReadonlyArray<[string, string]> = [
  ["shch", "щ"],
  ["sch", "щ"],
  ["yo", "ё"],
  ["yu", "ю"],
  ["ya", "я"],
  ["ye", "е"],
  ["zh", "ж"],
  ["kh", "х"],
  ["ts", "ц"],
  ["ch", "ч"],
  ["sh", "ш"],
  ["ju", "ю"],
  ["ja", "я"],
  ["a", "а"],
  ["b", "б"],
  ["v", "в"],
  ["w", "в"],
  ["g", "г"],
  ["d", "д"],
  ["e", "е"],
  ["z", "з"],
  ["i", "и"],
  ["j", "й"],
  ["y", "ы"],
  ["k", "к"],
  ["q", "к"],
  ["l", "л"],
  ["m", "м"],
  ["n", "н"],
  ["o", "о"],
  ["p", "п"],
  ["r", "р"],
  ["s", "с"],
  ["t", "т"],
  ["u", "у"],
  ["f", "ф"],
  ["h", "х"],
  ["c", "ц"],
  ["x", "кс"],
];

const latinVowels = "aeiou";
const cyrillicVowels = ["а", "е", "и", "о", "у"];

export function latinToCyrillicText(text: string): string {
  let out = "";
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length;) {
    // "y" after a vowel and before none is "й": "kakoy" is "какой", "seychas" "сейчас", "Malayzii" "Малайзии".
    const vowel = latinVowels.indexOf(lower[i] ?? "");
    if (vowel >= 0 && lower[i + 1] === "y" && !latinVowels.includes(lower[i + 2] ?? "")) {
      out += `${cyrillicVowels[vowel] ?? ""}й`;
      i += 2;
      continue;
    }
    const match = latinToCyrillic.find(([latin]) => lower.startsWith(latin, i));
    if (match) {
      out += match[1];
      i += match[0].length;
    } else {
      out += lower[i] ?? "";
      i += 1;
    }
  }
  return out;
}

/** Whether more than 70 % of a text's letters are of one script. */
function mostlyOf(text: string, script: RegExp): boolean {
  const inScript = text.match(script)?.length ?? 0;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return letters > 0 && inScript / letters > 0.7;
}

/** True when most letters are Latin: a Cyrillic-script language typed on a Latin keyboard. */
export function isMostlyLatin(text: string): boolean {
  return mostlyOf(text, /[a-z]/giu);
}

// Uzbek's Cyrillic alphabet (still used on many phones and by older people) to its Latin one, in which the
// leaflets are written. "е" is "ye" at a word's start and after a vowel; "ъ" is the glottal stop.
const uzbekCyrillic: Readonly<Record<string, string>> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "yo",
  ж: "j",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "x",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "sh",
  ъ: "'",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
  ў: "o'",
  қ: "q",
  ғ: "g'",
  ҳ: "h",
};
const uzbekVowels = "аеёиоуэюяў";

export function uzbekCyrillicToLatin(text: string): string {
  let out = "";
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length; i += 1) {
    const letter = lower[i] ?? "";
    const before = lower[i - 1] ?? " ";
    if (letter === "е" && (!/\p{L}/u.test(before) || uzbekVowels.includes(before))) {
      out += "ye";
      continue;
    }
    out += uzbekCyrillic[letter] ?? letter;
  }
  return out;
}

/** True when most letters are Cyrillic: Uzbek typed on an old phone's keyboard. */
export function isMostlyCyrillic(text: string): boolean {
  return mostlyOf(text, /\p{Script=Cyrillic}/gu);
}
