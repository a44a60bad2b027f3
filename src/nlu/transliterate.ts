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

/** True when most letters are Latin: a Cyrillic-script language typed on a Latin keyboard. */
export function isMostlyLatin(text: string): boolean {
  const latin = text.match(/[a-z]/giu)?.length ?? 0;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return letters > 0 && latin / letters > 0.7;
}
