import type { DataProblem } from "../data/yaml-file.js";
import { findFigures, phoneDigits } from "../retrieval/dated-figures.js";
import type { KnowledgeFiles, LeafletFile } from "./knowledge-files.js";

// Addresses are written in ASCII; a sentence's own full stop (".", "۔", "।") can follow one directly.
const urlPattern = /https?:\/\/[!-(*-=?-\\^-~]+/g;
const numberPattern = /(?<![\d.,])\d+(?:[.,]\d+)*(?![\d])/g;

/** What a translation must keep exactly: every URL, every number (amounts, dates, law numbers), every phone number. */
function invariants(body: string): {
  urls: string[];
  numbers: string[];
  phones: Map<string, string>;
  digitRuns: string[];
} {
  // A URL at the end of a sentence keeps the sentence's full stop in Markdown; it is not part of the address.
  const urls = (body.match(urlPattern) ?? []).map((url) => url.replace(/[.,;:!?]+$/, ""));
  const withoutUrls = body.replace(urlPattern, " ");
  const phoneFigures = findFigures(withoutUrls).filter((figure) => figure.kind === "phone" && figure.value.length >= 6);
  // A phone number is compared whole, digit for digit, not as the separate groups it is written in.
  let rest = withoutUrls;
  for (const figure of phoneFigures) rest = rest.replace(figure.text, " ");
  const numbers = (rest.match(numberPattern) ?? []).map((token) => token.replace(/[.,]$/, ""));
  return {
    urls: [...new Set(urls)],
    numbers: [...new Set(numbers)],
    phones: new Map(phoneFigures.map((figure) => [figure.value, figure.text])),
    // A translation may name a number without the words that mark it as one in English.
    digitRuns: (withoutUrls.match(/\+?\d[\d\s().-]*\d/g) ?? []).map(phoneDigits),
  };
}

/**
 * What a translation lost of its original: each URL, number and phone number missing, as messages naming
 * where the original has it (`{original}` stands for the original's name, `lineOf` gives the line).
 */
export function lostInTranslation(original: string, translation: string, lineOf: (token: string) => number): string[] {
  const want = invariants(original);
  const have = invariants(translation);
  const messages: string[] = [];
  for (const url of want.urls.filter((url) => !have.urls.includes(url))) {
    messages.push(`lacks the URL ${url} ({original}${lineOf(url)})`);
  }
  const haveNumbers = new Set(have.numbers);
  for (const token of want.numbers.filter((token) => !haveNumbers.has(token))) {
    messages.push(`lacks "${token}" as written in {original}${lineOf(token)}`);
  }
  for (const [digits, written] of want.phones) {
    if (have.phones.has(digits) || have.digitRuns.some((run) => run.includes(digits))) continue;
    messages.push(`lacks the phone number ${written} of {original}${lineOf(written)}, digit for digit`);
  }
  return messages;
}

function englishLine(file: LeafletFile, token: string): number {
  const index = file.body.indexOf(token);
  return index < 0 ? file.bodyFirstLine : file.bodyFirstLine + file.body.slice(0, index).split("\n").length - 1;
}

/**
 * Each translation holds every number, phone number, URL and date of the leaflet it was translated from,
 * unchanged and in Latin digits: a translator who drops or retypes a figure changes a fact.
 */
export function checkTranslations(files: KnowledgeFiles): { problems: DataProblem[]; checked: number } {
  const originals = new Map(files.leaflets.map((file) => [`${file.leaflet.lang}/${file.leaflet.id}`, file]));
  const problems: DataProblem[] = [];
  let checked = 0;
  for (const translation of files.leaflets) {
    const from = translation.leaflet.translatedFrom;
    if (from === null) continue;
    const original = originals.get(`${from}/${translation.leaflet.id}`);
    const problem = (message: string) =>
      problems.push({ file: translation.leaflet.file, line: translation.bodyFirstLine, field: "", message });
    if (!original) {
      problem(`is translated from ${from}, but knowledge/leaflets/${from}/${translation.leaflet.id}.md does not exist`);
      continue;
    }
    checked += 1;
    const originalName = `${original.leaflet.file}:`;
    for (const message of lostInTranslation(original.body, translation.body, (token) => englishLine(original, token))) {
      problem(message.replace("{original}", originalName));
    }
  }
  return { problems, checked };
}
