import type { Source } from "../data/source.js";
import type { DataProblem } from "../data/yaml-file.js";
import { datedFigures } from "../retrieval/dated-figures.js";
import { directoryFiles, lineOf, type KnowledgeFiles } from "./knowledge-files.js";

/** A fact older than the policy allows: listed for an editor to re-check against its source. */
export interface RecheckItem {
  readonly file: string;
  readonly line: number;
  readonly figure: string;
  /** Null when no source of the fact shows a date. */
  readonly year: number | null;
  readonly sources: readonly Source[];
}

const undatedSource = /\b(?:undated|no date shown)\b/i;

/** The sources a figure of `year` most likely comes from: those dated that year, else all of them. */
function sourcesFor(year: number, sources: readonly Source[]): Source[] {
  const sameYear = sources.filter((source) => source.date?.startsWith(String(year)));
  return sameYear.length > 0 ? sameYear : [...sources];
}

function newestSourceYear(sources: readonly Source[]): number | null {
  const years = sources.flatMap((source) => (source.date ? [Number(source.date.slice(0, 4))] : []));
  return years.length > 0 ? Math.max(...years) : null;
}

/**
 * Every amount and period in a leaflet written in its own language (translations carry the English
 * figures, which the translation check holds them to) must carry its as-of year. Figures, numbers and
 * fee maximums older than the policy's age are listed to re-check.
 */
export function checkStaleness(
  files: KnowledgeFiles,
  today: Date,
): { problems: DataProblem[]; recheck: RecheckItem[]; figures: number } {
  const cutoff = today.getUTCFullYear() - files.policy.stale_after_years;
  const problems: DataProblem[] = [];
  const recheck: RecheckItem[] = [];
  let figures = 0;
  for (const { leaflet, body, bodyFirstLine } of files.leaflets) {
    if (leaflet.translatedFrom !== null) continue;
    for (const figure of datedFigures(body, { firstLine: bodyFirstLine })) {
      if (figure.kind === "phone") continue;
      figures += 1;
      if (figure.asOf === null) {
        problems.push({
          file: leaflet.file,
          line: figure.line,
          field: "",
          message: `"${figure.text}" has no as-of year: say in its sentence which year it is from (e.g. "In 2024, …")`,
        });
      } else if (figure.asOf < cutoff) {
        recheck.push({
          file: leaflet.file,
          line: figure.line,
          figure: figure.text,
          year: figure.asOf,
          sources: sourcesFor(figure.asOf, leaflet.sources),
        });
      } else if (undatedSource.test(`${figure.sentence} ${figure.context}`)) {
        // "(undated; read in 2026)": the year is when it was read, not when the page said it.
        recheck.push({
          file: leaflet.file,
          line: figure.line,
          figure: figure.text,
          year: null,
          sources: leaflet.sources,
        });
      }
    }
  }
  const hotlinesText = files.yaml.get(directoryFiles.hotlines) ?? "";
  for (const hotline of files.directory.hotlines) {
    const year = newestSourceYear(hotline.sources);
    if (year !== null && year >= cutoff) continue;
    recheck.push({
      file: directoryFiles.hotlines,
      line: lineOf(hotlinesText, `"${hotline.number}"`),
      figure: `${hotline.number} (${hotline.country}, ${hotline.name})`,
      year,
      sources: hotline.sources,
    });
  }
  const feesText = files.yaml.get(directoryFiles.fees) ?? "";
  for (const rule of files.fees.rules) {
    if (rule.as_of >= cutoff) continue;
    recheck.push({
      file: directoryFiles.fees,
      line: lineOf(feesText, `as_of: ${rule.as_of}`, feesText.indexOf(`destination: ${rule.destination}`)),
      figure: `${rule.maximum} ${rule.currency} (${rule.origin} → ${rule.destination})`,
      year: rule.as_of,
      sources: rule.sources,
    });
  }
  // Oldest first; undated facts last, since nothing says how old they are.
  const order = (item: RecheckItem) => item.year ?? Number.MAX_SAFE_INTEGER;
  return { problems, recheck: recheck.sort((a, b) => order(a) - order(b)), figures };
}
