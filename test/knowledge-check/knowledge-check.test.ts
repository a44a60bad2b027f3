import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/data/yaml-file.js";
import { runKnowledgeCheck } from "../../src/knowledge-check/run-checks.js";
import { projectRoot } from "../../src/paths.js";

const today = new Date("2026-12-06T12:00:00Z");

const source = (title: string, url: string, date: string | null, indent = "  ") =>
  `${indent}- title: "${title}"\n${indent}  url: ${url}\n${indent}  date: ${date ?? "null"}\n`;

function leaflet(options: {
  id: string;
  lang?: string;
  body: string;
  sources?: string;
  translatedFrom?: string;
}): string {
  const lang = options.lang ?? "eng";
  return [
    "---",
    `id: ${options.id}`,
    `title: A leaflet about ${options.id}`,
    `language: ${lang}`,
    "countries: [BD, MY]",
    "topics: [recruitment-costs]",
    "sources:",
    (
      options.sources ?? source("Ministry of Labour: wages", "https://labour.example.gov/wages", "2025-03-01")
    ).trimEnd(),
    `reviewed: ${options.translatedFrom ? "false" : "2026-12-01"}`,
    ...(options.translatedFrom ? [`translated_from: ${options.translatedFrom}`] : []),
    "---",
    "",
    options.body,
    "",
  ].join("\n");
}

const wagesBody = [
  "## Minimum wage in Malaysia",
  "In 2025, the minimum wage in Malaysia was RM1,700 a month.",
  "In 2018, the registration fee was RM 50.",
  "",
  "## Ask your MRC",
  "Call the MRC hotline 0304 1112123 before you sign.",
].join("\n");

const bengaliWagesBody = [
  "## মালয়েশিয়ায় ন্যূনতম মজুরি",
  "2025 সালে মালয়েশিয়ায় ন্যূনতম মজুরি ছিল মাসে RM1,700।",
  "2018 সালে নিবন্ধন ফি ছিল RM 50।",
  "",
  "## আপনার MRC-কে জিজ্ঞেস করুন",
  "সই করার আগে MRC হটলাইন 0304 1112123-এ ফোন করুন।",
].join("\n");

/** A small knowledge folder that passes every check; each test breaks one thing. */
function cleanFiles(): Record<string, string> {
  return {
    "check.yaml": [
      "stale_after_years: 3",
      "denied_source_domains: [mirror-copy.example]",
      "quantities:",
      "  - id: minimum-wage",
      "    words: [minimum wage]",
      "  - id: migration-cost-ceiling",
      "    words: [ceiling]",
      "",
    ].join("\n"),
    "directory/mrcs.yaml": [
      "reviewed: 2026-12-01",
      "centres:",
      "  - id: mrc-test",
      "    country: PK",
      "    city: Lahore",
      "    name: Migrant Resource Centre Test",
      "    contacts:",
      "      - kind: hotline",
      "        value: 0304 1112123",
      "        scope: national",
      '        from_abroad: "unknown"',
      "    sources:",
      source("MRC Test: contact", "https://mrc.example.org/contact", null, "      ").trimEnd(),
      "",
    ].join("\n"),
    "directory/hotlines.yaml": [
      "reviewed: 2026-12-01",
      "hotlines:",
      "  - country: MY",
      "    name: Emergency 999",
      '    number: "999"',
      "    kinds: [emergency]",
      "    scope: national",
      '    from_abroad: "no"',
      "    sources:",
      source("Malay Mail: 999", "https://www.malaymail.com/999", "2025-11-20", "      ").trimEnd(),
      "",
    ].join("\n"),
    "fees.yaml": [
      "reviewed: 2026-12-01",
      "rules:",
      "  - origin: BD",
      "    destination: MY",
      "    kind: total",
      "    maximum: 78990",
      "    currency: BDT",
      '    set: "set in July 2022"',
      "    as_of: 2022",
      "    sources:",
      source("TBS: cost for Malaysia", "https://www.tbsnews.net/malaysia-cost", "2022-07-06", "      ").trimEnd(),
      "",
    ].join("\n"),
    "leaflets/eng/my-wages.md": leaflet({ id: "my-wages", body: wagesBody }),
    "leaflets/ben/my-wages.md": leaflet({ id: "my-wages", lang: "ben", body: bengaliWagesBody, translatedFrom: "eng" }),
  };
}

async function knowledgeFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rahnama-knowledge-check-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function problemsIn(files: Record<string, string>): Promise<string[]> {
  const report = await runKnowledgeCheck(await knowledgeFolder(files), { today });
  return report.problems.map(formatProblem);
}

describe("npm run knowledge:check", () => {
  it("passes a clean knowledge folder and lists its old figures to re-check, with their source", async () => {
    const report = await runKnowledgeCheck(await knowledgeFolder(cleanFiles()), { today });
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report.counts).toMatchObject({ leaflets: 2, translations: 1, phoneNumbers: 1 });
    const old = report.recheck.find((item) => item.file === "leaflets/eng/my-wages.md");
    expect(old).toMatchObject({ line: 16, figure: "RM 50", year: 2018 });
    expect(old?.sources[0]?.url).toBe("https://labour.example.gov/wages");
    // A figure dated only by when an undated page was read is listed too, as undated.
    const withUndated = cleanFiles();
    withUndated["leaflets/eng/my-fees.md"] = leaflet({
      id: "my-fees",
      body: "## Fees\nThe ministry's website (undated; read in 2026) lists a fee of RM 20.",
    });
    const undated = await runKnowledgeCheck(await knowledgeFolder(withUndated), { today });
    expect(undated.problems).toEqual([]);
    expect(undated.recheck).toContainEqual(expect.objectContaining({ file: "leaflets/eng/my-fees.md", year: null }));
    // With a longer allowed age the 2018 figure is not due yet.
    const lenient = await runKnowledgeCheck(await knowledgeFolder(cleanFiles()), { today, staleAfterYears: 10 });
    expect(lenient.recheck.some((item) => item.figure === "RM 50")).toBe(false);
  });

  it("catches a figure that does not say which year it is from", async () => {
    const files = cleanFiles();
    files["leaflets/eng/my-wages.md"] = leaflet({
      id: "my-wages",
      body: wagesBody.replace("In 2018, the registration fee was RM 50.", "The registration fee is RM 50."),
    });
    files["leaflets/ben/my-wages.md"] = leaflet({
      id: "my-wages",
      lang: "ben",
      body: bengaliWagesBody.replace("2018 সালে নিবন্ধন", "নিবন্ধন"),
      translatedFrom: "eng",
    });
    expect(await problemsIn(files)).toEqual([
      'leaflets/eng/my-wages.md:16: "RM 50" has no as-of year: say in its sentence which year it is from (e.g. "In 2024, …")',
    ]);
  });

  it("catches the same quantity for the same place given two values in two leaflets", async () => {
    const files = cleanFiles();
    files["leaflets/eng/my-guide.md"] = leaflet({
      id: "my-guide",
      body: "## Pay\nIn 2025, Malaysia's minimum wage was RM1,500 a month.",
    });
    const problems = await problemsIn(files);
    expect(problems).toEqual(
      expect.arrayContaining([
        'leaflets/eng/my-guide.md:15: minimum-wage for MY in MYR (2025): "RM1,500" here, but "RM1,700" in leaflets/eng/my-wages.md:15',
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'leaflets/eng/my-wages.md:15: minimum-wage for MY in MYR (2025): "RM1,700" here, but "RM1,500" in leaflets/eng/my-guide.md:15',
      ]),
    );
  });

  it("catches a leaflet whose ceiling disagrees with fees.yaml, and an old value said to hold since its year", async () => {
    const files = cleanFiles();
    files["leaflets/eng/bd-costs.md"] = leaflet({
      id: "bd-costs",
      body: [
        "## Malaysia",
        "In July 2022 the ceiling for Malaysia was Tk 79,000.",
        "Since January 2019 the ceiling for Malaysia has been Tk1,60,000.",
      ].join("\n"),
    });
    const problems = await problemsIn(files);
    expect(problems).toEqual(
      expect.arrayContaining([
        'leaflets/eng/bd-costs.md:15: migration-cost-ceiling for MY in BDT (2022): "Tk 79,000" here, but "maximum: 78990" in fees.yaml:6',
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'leaflets/eng/bd-costs.md:16: migration-cost-ceiling for MY in BDT: "Tk1,60,000" is said to hold since 2019, but leaflets/eng/bd-costs.md:15 gives "Tk 79,000" as of 2022',
      ]),
    );
  });

  it("catches a number changed or dropped in a translation", async () => {
    const files = cleanFiles();
    files["leaflets/ben/my-wages.md"] = leaflet({
      id: "my-wages",
      lang: "ben",
      body: bengaliWagesBody.replace("RM1,700", "RM1,600").replace("0304 1112123", "0304 1112124"),
      translatedFrom: "eng",
    });
    const problems = await problemsIn(files);
    expect(problems).toEqual(
      expect.arrayContaining(['leaflets/ben/my-wages.md:14: lacks "1,700" as written in leaflets/eng/my-wages.md:15']),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "leaflets/ben/my-wages.md:14: lacks the phone number 0304 1112123 of leaflets/eng/my-wages.md:19, digit for digit",
      ]),
    );
  });

  it("catches a fact table whose translation changed a number, whose leaflet is missing or whose city is unknown", async () => {
    const facts = (bengali: string, leafletId: string, city: string) =>
      [
        "reviewed: 2026-12-01",
        "translations_reviewed: false",
        "facts:",
        "  - id: my-minimum-wage",
        "    kind: minimum-wage",
        "    places: [MY]",
        `    leaflet: ${leafletId}`,
        "    as_of: 2025",
        "    sources:",
        source("Malay Mail: minimum wage", "https://www.malaymail.com/wage", "2025-07-22", "      ").trimEnd(),
        "    intro:",
        '      eng: "Minimum wage:"',
        "    rows:",
        `      - city: ${city}`,
        "        text:",
        '          eng: "Malaysia: RM1,700 a month"',
        `          ben: "${bengali}"`,
        "",
      ].join("\n");
    const clean = cleanFiles();
    clean["facts.yaml"] = facts("মালয়েশিয়া: মাসে RM1,700", "my-wages", "kuala lumpur");
    expect(await problemsIn(clean)).toEqual([]);
    const broken = cleanFiles();
    broken["facts.yaml"] = facts("মালয়েশিয়া: মাসে RM1,600", "no-such-leaflet", "atlantis");
    const problems = await problemsIn(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^facts\.yaml:\d+: my-minimum-wage\.ben: lacks "1,700"/),
        expect.stringMatching(/my-minimum-wage\.leaflet: names the leaflet no-such-leaflet, which does not exist/),
        expect.stringMatching(/city "atlantis" is not one the bot recognises/),
      ]),
    );
    // A table that does not validate is reported with its field, not thrown.
    const invalid = cleanFiles();
    invalid["facts.yaml"] = facts("x", "my-wages", "kuala lumpur").replace("as_of: 2025", "as_of: soon");
    expect((await problemsIn(invalid)).join("\n")).toMatch(/facts\.yaml.*as_of/);
  });

  it("catches a source on a denied domain, a plain-http source and one without a date field", async () => {
    const files = cleanFiles();
    const sources = [
      source("Copy of a news article", "https://www.mirror-copy.example/news/1", "2024-01-01"),
      source("Old ministry page", "http://labour.example.gov/old", null),
    ].join("");
    files["leaflets/eng/my-wages.md"] = leaflet({ id: "my-wages", body: wagesBody, sources });
    files["leaflets/ben/my-wages.md"] = leaflet({
      id: "my-wages",
      lang: "ben",
      body: bengaliWagesBody,
      sources,
      translatedFrom: "eng",
    });
    const problems = await problemsIn(files);
    expect(problems).toEqual(
      expect.arrayContaining([
        "leaflets/eng/my-wages.md:9: sources: source https://www.mirror-copy.example/news/1 is on a denied domain (check.yaml): cite the original publisher",
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "leaflets/eng/my-wages.md:12: sources: source URL must be https:// (http://labour.example.gov/old)",
      ]),
    );
    files["leaflets/eng/my-wages.md"] = leaflet({
      id: "my-wages",
      body: wagesBody,
      sources: '  - title: "Ministry page"\n    url: https://labour.example.gov/x\n',
    });
    expect((await problemsIn(files)).join("\n")).toMatch(/my-wages\.md:\d+: sources\.0\.date: /);
  });

  it("catches a phone number that the directory does not have, and a directory number without its reach", async () => {
    const files = cleanFiles();
    files["leaflets/eng/my-help.md"] = leaflet({
      id: "my-help",
      body: "## Help\nCall the embassy's helpline on +60 3 2148 4511 if your employer keeps your passport.",
    });
    files["directory/hotlines.yaml"] = (files["directory/hotlines.yaml"] ?? "").replace('    from_abroad: "no"\n', "");
    const problems = await problemsIn(files);
    expect(problems).toEqual(
      expect.arrayContaining([
        "leaflets/eng/my-help.md:15: phone number +60 3 2148 4511 is not in directory/hotlines.yaml or mrcs.yaml: add it there with its source, scope and from_abroad",
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "directory/hotlines.yaml:5: 999 (MY, Emergency 999) needs from_abroad (yes, no or unknown)",
      ]),
    );
  });

  it("as a command, prints a short report and exits 0 when clean, and file:line problems with exit 1 when not", async () => {
    const run = promisify(execFile);
    const tsx = path.join(projectRoot, "node_modules", ".bin", "tsx");
    const cli = path.join(projectRoot, "src", "cli", "knowledge-check.ts");
    const clean = await run(tsx, [cli, "--dir", await knowledgeFolder(cleanFiles())]);
    expect(clean.stdout).toMatch(/2 leaflets \(1 translations compared with their original\)/);
    expect(clean.stdout).toMatch(
      /To re-check \(older than 3 years, or dated only by when an undated page was read\): 2\n/,
    );
    expect(clean.stdout).toContain("No problems found.");

    const broken = cleanFiles();
    broken["leaflets/eng/my-help.md"] = leaflet({ id: "my-help", body: "## Help\nThe fee is Tk 500." });
    const failed = await run(tsx, [cli, "--dir", await knowledgeFolder(broken)]).then(
      (output) => ({ code: 0, stderr: output.stderr }),
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/leaflets\/eng\/my-help\.md:15: "Tk 500" has no as-of year/);
  });
});
