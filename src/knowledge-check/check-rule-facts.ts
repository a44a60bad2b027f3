import type { DataProblem } from "../data/yaml-file.js";
import { cityNames } from "../i18n/place-names.js";
import { directoryFiles, lineOf, type KnowledgeFiles } from "./knowledge-files.js";
import { lostInTranslation } from "./check-translations.js";
import type { LocalTexts } from "../directory/rule-facts.js";

const knownCities = new Set(
  Object.values(cityNames).flatMap((spellings) => spellings.map((names) => names.split("|")[0] ?? "")),
);

/**
 * `facts.yaml`: each fact's leaflet exists, each row's city is one the bot recognises, and every
 * translation keeps the English text's numbers, URLs and phone numbers exactly.
 */
export function checkRuleFacts(files: KnowledgeFiles): { problems: DataProblem[]; checked: number } {
  const file = directoryFiles.facts;
  const raw = files.yaml.get(file) ?? "";
  const problems: DataProblem[] = [];
  const englishLeaflets = new Set(
    files.leaflets.filter((entry) => entry.leaflet.lang === "eng").map((entry) => entry.leaflet.id),
  );
  let checked = 0;
  const compare = (factId: string, texts: LocalTexts) => {
    const english = texts.eng ?? "";
    for (const [lang, text] of Object.entries(texts)) {
      if (lang === "eng" || text === undefined) continue;
      checked += 1;
      for (const message of lostInTranslation(english, text, () => lineOf(raw, english))) {
        problems.push({
          file,
          line: lineOf(raw, text),
          field: `${factId}.${lang}`,
          message: message.replace("{original}", `${file}:`),
        });
      }
    }
  };
  for (const fact of files.ruleFacts.facts) {
    if (!englishLeaflets.has(fact.leaflet)) {
      problems.push({
        file,
        line: lineOf(raw, `id: ${fact.id}`),
        field: `${fact.id}.leaflet`,
        message: `names the leaflet ${fact.leaflet}, which does not exist in English`,
      });
    }
    compare(fact.id, fact.intro);
    if (fact.missing_row) compare(fact.id, fact.missing_row);
    if (fact.missing_place) compare(fact.id, fact.missing_place);
    for (const row of fact.rows) {
      compare(fact.id, row.text);
      if (row.city !== undefined && !knownCities.has(row.city)) {
        problems.push({
          file,
          line: lineOf(raw, `city: ${row.city}`),
          field: `${fact.id}.rows`,
          message: `city "${row.city}" is not one the bot recognises (src/i18n/place-names.ts)`,
        });
      }
    }
  }
  return { problems, checked };
}
