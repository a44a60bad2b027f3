import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { formatProblem } from "../data/yaml-file.js";
import { runKnowledgeCheck, type KnowledgeCheckReport } from "../knowledge-check/run-checks.js";

const usage = `Usage:
  npm run knowledge:check                    check every leaflet, number and fee; exit 1 on any problem
  npm run knowledge:check -- --recheck       also list every fact that is due to be re-checked
  npm run knowledge:check -- --max-age 2     treat figures older than 2 years as due (default: check.yaml)
  npm run knowledge:check -- --dir path      check another knowledge folder (default: KNOWLEDGE_DIR)`;

/** `dir` is the knowledge folder as the editor sees it, so every file:line opens from where they are. */
function printReport(report: KnowledgeCheckReport, dir: string, listAll: boolean): void {
  const { counts } = report;
  console.log(
    `Knowledge check of ${dir}: ${counts.leaflets} leaflets (${counts.translations} translations compared with their original), ` +
      `${counts.sources} sources, ${counts.figures} dated figures, ${counts.phoneNumbers} phone numbers, ` +
      `${counts.quantitiesCompared} quantities compared.`,
  );
  const shown = listAll ? report.recheck : report.recheck.slice(0, 10);
  console.log(
    `To re-check (older than ${report.staleAfterYears} years, or dated only by when an undated page was read): ${report.recheck.length}`,
  );
  for (const item of shown) {
    const source = item.sources[0];
    const from = source
      ? `${source.title}${source.url ? ` <${source.url}>` : ""}, ${source.date ?? "no date shown"}`
      : "no source";
    console.log(`  ${path.join(dir, item.file)}:${item.line}  ${item.figure} (${item.year ?? "undated"}) — ${from}`);
  }
  if (shown.length < report.recheck.length) {
    console.log(`  … and ${report.recheck.length - shown.length} more (--recheck lists them all)`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      recheck: { type: "boolean" },
      "max-age": { type: "string" },
      dir: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const maxAge = values["max-age"] === undefined ? undefined : Number(values["max-age"]);
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 1)) {
    console.error(`--max-age must be a whole number of years (got "${values["max-age"]}")\n\n${usage}`);
    return 2;
  }
  const dir = values.dir ? path.resolve(values.dir) : loadConfig().paths.knowledge;
  const report = await runKnowledgeCheck(dir, maxAge === undefined ? {} : { staleAfterYears: maxAge });
  const shownDir = path.relative(process.cwd(), dir) || ".";
  printReport(report, shownDir, values.recheck === true);
  if (report.problems.length === 0) {
    console.log("No problems found.");
    return 0;
  }
  console.error(`\n${report.problems.length} problem(s) to fix:`);
  for (const problem of report.problems) {
    console.error(`  ${formatProblem({ ...problem, file: path.join(shownDir, problem.file) })}`);
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
