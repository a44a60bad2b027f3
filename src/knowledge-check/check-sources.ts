import type { Source } from "../data/source.js";
import type { DataProblem } from "../data/yaml-file.js";
import { directoryFiles, lineOf, type KnowledgeFiles } from "./knowledge-files.js";
import { isDeniedSource, type KnowledgePolicy } from "./policy.js";

function sourceProblems(source: Source, policy: KnowledgePolicy): string[] {
  const problems: string[] = [];
  if (source.title.trim().length < 3) problems.push("source needs a title that names the page");
  if (source.url === undefined) return problems;
  if (!source.url.startsWith("https://")) problems.push(`source URL must be https:// (${source.url})`);
  if (isDeniedSource(policy, source.url)) {
    problems.push(`source ${source.url} is on a denied domain (check.yaml): cite the original publisher`);
  }
  return problems;
}

/**
 * Every source of every leaflet, number and fee: a title, an https URL on a domain not denied, and a date
 * or an explicit `date: null` ("no date shown"; the schema already refuses a missing date).
 */
export function checkSources(files: KnowledgeFiles): { problems: DataProblem[]; checked: number } {
  const problems: DataProblem[] = [];
  let checked = 0;
  const check = (file: string, text: string, sources: readonly Source[]) => {
    for (const source of sources) {
      checked += 1;
      for (const message of sourceProblems(source, files.policy)) {
        problems.push({ file, line: lineOf(text, source.url ?? source.title), field: "sources", message });
      }
    }
  };
  for (const { leaflet, raw } of files.leaflets) check(leaflet.file, raw, leaflet.sources);
  const hotlines = files.yaml.get(directoryFiles.hotlines) ?? "";
  for (const hotline of files.directory.hotlines) check(directoryFiles.hotlines, hotlines, hotline.sources);
  const centres = files.yaml.get(directoryFiles.centres) ?? "";
  for (const centre of files.directory.centres) check(directoryFiles.centres, centres, centre.sources);
  const fees = files.yaml.get(directoryFiles.fees) ?? "";
  for (const rule of files.fees.rules) check(directoryFiles.fees, fees, rule.sources);
  const facts = files.yaml.get(directoryFiles.facts) ?? "";
  for (const fact of files.ruleFacts.facts) check(directoryFiles.facts, facts, fact.sources);
  return { problems: dedupe(problems), checked };
}

/** A source repeated in one file is one finding per line, not one per use. */
function dedupe(problems: DataProblem[]): DataProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file}:${problem.line}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
