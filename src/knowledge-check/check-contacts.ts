import type { DataProblem } from "../data/yaml-file.js";
import { datedFigures, phoneDigits } from "../retrieval/dated-figures.js";
import { directoryFiles, lineOf, type KnowledgeFiles } from "./knowledge-files.js";

const phoneContactKinds: ReadonlySet<string> = new Set(["hotline", "phone", "whatsapp"]);

interface DirectoryNumber {
  readonly digits: string;
  readonly file: string;
  readonly line: number;
  readonly reach: { scope?: string | undefined; from_abroad?: string | undefined; area?: string | undefined };
  readonly label: string;
}

function directoryNumbers(files: KnowledgeFiles): DirectoryNumber[] {
  const numbers: DirectoryNumber[] = [];
  const hotlines = files.yaml.get(directoryFiles.hotlines) ?? "";
  for (const hotline of files.directory.hotlines) {
    numbers.push({
      digits: phoneDigits(hotline.number),
      file: directoryFiles.hotlines,
      line: lineOf(hotlines, `"${hotline.number}"`),
      reach: hotline,
      label: `${hotline.number} (${hotline.country}, ${hotline.name})`,
    });
  }
  const centres = files.yaml.get(directoryFiles.centres) ?? "";
  for (const centre of files.directory.centres) {
    for (const contact of centre.contacts.filter((candidate) => phoneContactKinds.has(candidate.kind))) {
      numbers.push({
        digits: phoneDigits(contact.value),
        file: directoryFiles.centres,
        line: lineOf(centres, contact.value, centres.indexOf(`id: ${centre.id}`)),
        reach: contact,
        label: `${contact.value} (${centre.name})`,
      });
    }
  }
  return numbers;
}

/** "+880 9610 102030" and "09610102030" are one number: compare without the country code and trunk 0. */
function sameNumber(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 7 || b.length < 7) return false;
  const national = (digits: string) => digits.replace(/^0+/, "");
  const [shorter, longer] = [national(a), national(b)].sort((x, y) => x.length - y.length) as [string, string];
  return longer.endsWith(shorter) && longer.length - shorter.length <= 3;
}

/**
 * Every phone number a leaflet gives is in the directory, with its source, its scope (national, a region
 * or a city) and whether it works from abroad, so that nobody abroad is given a number they cannot dial.
 */
export function checkContacts(files: KnowledgeFiles): { problems: DataProblem[]; numbers: number } {
  const known = directoryNumbers(files);
  const problems: DataProblem[] = [];
  for (const entry of known) {
    const missing = [
      entry.reach.scope === undefined ? "scope (national, regional or city)" : "",
      entry.reach.from_abroad === undefined ? "from_abroad (yes, no or unknown)" : "",
      entry.reach.scope !== undefined && entry.reach.scope !== "national" && !entry.reach.area ? "area" : "",
    ].filter(Boolean);
    if (missing.length > 0) {
      problems.push({
        file: entry.file,
        line: entry.line,
        field: "",
        message: `${entry.label} needs ${missing.join(" and ")}`,
      });
    }
  }
  let numbers = 0;
  for (const { leaflet, body, bodyFirstLine } of files.leaflets) {
    if (leaflet.translatedFrom !== null) continue;
    for (const figure of datedFigures(body, { firstLine: bodyFirstLine })) {
      if (figure.kind !== "phone") continue;
      numbers += 1;
      if (known.some((entry) => sameNumber(entry.digits, figure.value))) continue;
      problems.push({
        file: leaflet.file,
        line: figure.line,
        field: "",
        message: `phone number ${figure.text} is not in directory/hotlines.yaml or mrcs.yaml: add it there with its source, scope and from_abroad`,
      });
    }
  }
  return { problems, numbers };
}
