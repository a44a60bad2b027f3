import type { DataProblem } from "../data/yaml-file.js";
import { countryMentions, isOriginCountry } from "../i18n/countries.js";
import { datedFigures, type DatedFigure } from "../retrieval/dated-figures.js";
import { directoryFiles, lineOf, type KnowledgeFiles } from "./knowledge-files.js";
import type { KnowledgePolicy } from "./policy.js";

/** One value given for one quantity at one place, as of a year, somewhere in the knowledge base. */
interface Observation {
  readonly key: string;
  readonly value: string;
  readonly year: number;
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** "since 2024", "currently": the text says this value still holds. */
  readonly claimsCurrent: boolean;
}

// "since January 2024", "from 2026", "currently": wording that presents a value as still in force
// ("may have changed since" does not).
const currentWords = /\b(?:(?:since|from) (?:\d{1,2} )?(?:[a-z]+ )?\d{4}|currently|this year)\b/i;

/** Places named in a text, in the order written: countries and cities, and the policy's regions. */
function placesIn(text: string, policy: KnowledgePolicy): string[] {
  const lower = text.toLowerCase();
  const found = countryMentions(text).map((mention) => ({ place: mention.code, at: mention.index }));
  const wordsBefore = (offset: number) => lower.slice(0, offset).split(/\s+/).filter(Boolean).length;
  for (const place of policy.places) {
    for (const word of place.words) {
      for (let offset = lower.indexOf(word); offset >= 0; offset = lower.indexOf(word, offset + word.length)) {
        found.push({ place: place.id, at: wordsBefore(offset) });
      }
    }
  }
  // A destination says more than the origin about a figure ("Tk78,990 … from Bangladesh to Malaysia").
  const destinations = found.filter((mention) => !isOriginCountry(mention.place));
  return (destinations.length > 0 ? destinations : found).sort((a, b) => a.at - b.at).map((mention) => mention.place);
}

/** The place a figure is given for: the nearest one named before it, the only one in its sentence, else the heading's. */
function placeOf(figure: DatedFigure, policy: KnowledgePolicy): string | null {
  const before = placesIn(figure.sentence.slice(0, Math.max(0, figure.sentence.indexOf(figure.text))), policy);
  if (before.length > 0) return before[before.length - 1] ?? null;
  const inSentence = new Set(placesIn(figure.sentence, policy));
  if (inSentence.size === 1) return [...inSentence][0] ?? null;
  if (inSentence.size > 1) return null;
  const fromHeading = new Set(placesIn(`${figure.context} ${figure.heading}`, policy));
  return fromHeading.size === 1 ? ([...fromHeading][0] ?? null) : null;
}

function quantityOf(figure: DatedFigure, policy: KnowledgePolicy): string | null {
  const where = [figure.sentence, figure.context, figure.heading].map((text) => text.toLowerCase());
  for (const text of where) {
    const found = policy.quantities.find((quantity) => quantity.words.some((word) => text.includes(word)));
    if (found) return found.id;
  }
  return null;
}

function leafletObservations(files: KnowledgeFiles): Observation[] {
  const observations: Observation[] = [];
  for (const { leaflet, body, bodyFirstLine } of files.leaflets) {
    if (leaflet.translatedFrom !== null) continue;
    for (const figure of datedFigures(body, { firstLine: bodyFirstLine })) {
      if (figure.kind !== "money" || figure.asOf === null) continue;
      const quantity = quantityOf(figure, files.policy);
      const place = placeOf(figure, files.policy);
      if (!quantity || !place) continue;
      const after = figure.sentence.slice(figure.sentence.indexOf(figure.text) + figure.text.length);
      const audience = /^\s*(?:a month |a year )?for (men|women)\b/i.exec(after)?.[1]?.toLowerCase();
      observations.push({
        key: `${quantity} for ${place}${audience ? ` (${audience})` : ""} in ${figure.currency ?? "?"}`,
        value: figure.value,
        year: figure.asOf,
        file: leaflet.file,
        line: figure.line,
        text: figure.text,
        claimsCurrent: currentWords.test(figure.sentence),
      });
    }
  }
  return observations;
}

function feeObservations(files: KnowledgeFiles): Observation[] {
  const text = files.yaml.get(directoryFiles.fees) ?? "";
  return files.fees.rules
    .filter((rule) => rule.kind === "total" && rule.destination !== "any")
    .map((rule) => ({
      key: `migration-cost-ceiling for ${rule.destination}${rule.applies_to ? ` (${rule.applies_to})` : ""} in ${rule.currency}`,
      value: String(rule.maximum),
      year: rule.as_of,
      file: directoryFiles.fees,
      line: lineOf(text, `maximum: ${rule.maximum}`),
      text: `maximum: ${rule.maximum}`,
      claimsCurrent: false,
    }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * The same quantity for the same place (a cost ceiling, a minimum wage, a patent fee …) must not be given
 * different values as of the same year in two files, and a value said to hold "since" a year must not sit
 * beside a newer, different one.
 */
export function checkConflicts(files: KnowledgeFiles): { problems: DataProblem[]; compared: number } {
  const observations = [...leafletObservations(files), ...feeObservations(files)];
  const problems: DataProblem[] = [];
  const where = (observation: Observation) => `${observation.file}:${observation.line}`;
  for (const [key, group] of groupBy(observations, (observation) => observation.key)) {
    for (const [, sameYear] of groupBy(group, (observation) => String(observation.year))) {
      const byFile = groupBy(sameYear, (observation) => observation.file);
      for (const [file, mine] of byFile) {
        const values = new Set(mine.map((observation) => observation.value));
        for (const [otherFile, theirs] of byFile) {
          if (otherFile === file || theirs.some((observation) => values.has(observation.value))) continue;
          const first = mine[0] as Observation;
          const other = theirs[0] as Observation;
          problems.push({
            file,
            line: first.line,
            field: "",
            message: `${key} (${first.year}): "${first.text}" here, but "${other.text}" in ${where(other)}`,
          });
        }
      }
    }
    for (const claim of group.filter((observation) => observation.claimsCurrent)) {
      const newer = group.find((other) => other.year > claim.year && other.value !== claim.value);
      if (!newer) continue;
      problems.push({
        file: claim.file,
        line: claim.line,
        field: "",
        message: `${key}: "${claim.text}" is said to hold since ${claim.year}, but ${where(newer)} gives "${newer.text}" as of ${newer.year}`,
      });
    }
  }
  return { problems, compared: observations.length };
}
