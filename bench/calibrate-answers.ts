import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { countriesMentioned, isOriginCountry, originFromLanguage } from "../src/i18n/countries.js";
import { isLanguageCode, type LanguageCode } from "../src/i18n/languages.js";
import { createLogger } from "../src/log.js";
import { resolveFollowUp, followUpTarget } from "../src/nlu/follow-up.js";
import { detectLanguage } from "../src/nlu/language-detector.js";
import { projectRoot } from "../src/paths.js";
import { answerRequestFor } from "../src/retrieval/answer-request.js";
import { answerThresholds, defaultAnswerThreshold } from "../src/retrieval/abstention-thresholds.js";
import { KnowledgeBase } from "../src/retrieval/knowledge-base.js";
import { choiceWeights, weigh, type ChoiceWeights, type ScoredSection } from "../src/retrieval/passage-choice.js";
import { selectEmbedder } from "../src/retrieval/select-embedder.js";
import { formatTable } from "./stats.js";

/**
 * `npm run eval:calibrate`: fits the passage-choice weights and the abstention threshold on the DEV parts
 * of the key-fact sets (never the held-out test parts). For each question it searches once, keeps every
 * candidate section's features, then tries weights offline: a choice is right when the chosen section
 * holds the asked fact. Prints the current and the best weights, and thresholds with what they cost.
 */
interface Item {
  readonly lang: LanguageCode;
  readonly abstain: boolean;
  readonly fact: RegExp | null;
  readonly ranked: readonly ScoredSection[];
  readonly confident: boolean;
}

const devDir = path.join(projectRoot, "test", "eval", "key-facts");
const files = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const devFiles =
  files.length > 0
    ? files
    : (await readdir(devDir)).filter((name) => name.endsWith("-dev.jsonl")).map((name) => path.join(devDir, name));

const config = loadConfig();
const log = createLogger({ level: "error", personalData: false });
const embedder = await selectEmbedder(config, log);
const knowledge = await KnowledgeBase.open({
  knowledgeDir: config.paths.knowledge,
  dataDir: config.paths.data,
  embedder,
  log,
  reindex: "auto",
});

const items: Item[] = [];
for (const file of devFiles) {
  for (const line of (await readFile(file, "utf8")).split("\n").filter((row) => row.trim())) {
    const question = JSON.parse(line) as {
      question: string;
      lang: string;
      fact?: string;
      expect?: string;
      context?: string[];
    };
    const context = question.context ?? [];
    const previous = context[context.length - 1];
    const query =
      previous && followUpTarget(question.question) ? resolveFollowUp(previous, question.question) : question.question;
    const detected = detectLanguage(question.question).lang;
    const lang = detected ?? (isLanguageCode(question.lang) ? question.lang : "eng");
    const origin =
      [...context, question.question].flatMap(countriesMentioned).find(isOriginCountry) ?? originFromLanguage(lang);
    const answer = await knowledge.answer(
      answerRequestFor(query, lang, { countries: countriesMentioned(query), origin }),
    );
    items.push({
      lang: isLanguageCode(question.lang) ? question.lang : lang,
      abstain: question.expect === "abstain",
      fact: question.fact ? new RegExp(question.fact, "iu") : null,
      ranked: answer?.ranked ?? [],
      confident: answer?.searchConfident ?? false,
    });
  }
}

function holdsFact(item: Item, section: ScoredSection): boolean {
  const own = section.leaflet.sections[section.index];
  const english = knowledge.leaflet(section.leaflet.id, ["eng"])?.sections[section.index];
  return Boolean(
    item.fact &&
    (item.fact.test(`${own?.heading} ${own?.text}`) || item.fact.test(`${english?.heading} ${english?.text}`)),
  );
}

function best(item: Item, weights: ChoiceWeights): { section: ScoredSection; score: number } | null {
  let top: { section: ScoredSection; score: number } | null = null;
  for (const section of item.ranked) {
    const { score } = weigh(section.features, weights);
    if (!top || score > top.score) top = { section, score };
  }
  return top;
}

function rightChoices(weights: ChoiceWeights): number {
  return items
    .filter((item) => !item.abstain && item.fact)
    .filter((item) => {
      const top = best(item, weights);
      return top !== null && holdsFact(item, top.section);
    }).length;
}

const answerable = items.filter((item) => !item.abstain && item.fact);
const reachable = answerable.filter((item) => item.ranked.some((section) => holdsFact(item, section))).length;
console.log(
  `${items.length} dev questions (${answerable.length} answerable, ${items.length - answerable.length} abstain) from ${devFiles.length} files`,
);
console.log(`the fact is in some candidate section for ${reachable} of ${answerable.length}`);
console.log(`current weights choose it for ${rightChoices(choiceWeights)}`);

// Coordinate search: one weight at a time over a grid, a few rounds.
const grid: Partial<Record<keyof ChoiceWeights, readonly number[]>> = {
  searchDecay: [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5],
  englishHits: [0.6, 0.75, 0.9, 1],
  sibling: [0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1],
  otherCityOnly: [0, -0.3, -0.6, -1],
  coverage: [0, 0.3, 0.6, 1, 1.5, 2, 3, 4],
  kindFound: [0, 0.15, 0.25, 0.35, 0.5, 0.75],
  kindMissing: [0, -0.1, -0.2, -0.3, -0.5],
  placeNamed: [0, 0.15, 0.25, 0.4, 0.6, 0.8, 1],
  otherPlaceOnly: [0, -0.1, -0.2, -0.3, -0.5],
  contactsOnly: [0, -0.15, -0.3, -0.5, -0.8],
  originMatch: [0, 0.1, 0.2, 0.3, 0.5],
  otherOrigin: [0, -0.1, -0.2, -0.3, -0.5],
  yearNamed: [0, 0.2, 0.4, 0.6, 0.8],
};
let tuned: ChoiceWeights = { ...choiceWeights };
for (let round = 0; round < 3; round += 1) {
  for (const [name, values] of Object.entries(grid) as [keyof ChoiceWeights, readonly number[]][]) {
    let bestValue = tuned[name];
    let bestCount = rightChoices(tuned);
    for (const value of values) {
      const count = rightChoices({ ...tuned, [name]: value });
      if (count > bestCount) {
        bestCount = count;
        bestValue = value;
      }
    }
    tuned = { ...tuned, [name]: bestValue };
  }
}
console.log(`tuned weights choose it for ${rightChoices(tuned)}:`, JSON.stringify(tuned));

// Abstention: below a threshold on the best section's score the bot says it has no answer.
const rows: (string | number)[][] = [];
for (const threshold of [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2]) {
  const refuse = (item: Item) => !item.confident || (best(item, tuned)?.score ?? 0) < threshold;
  const abstainItems = items.filter((item) => item.abstain);
  const right = abstainItems.filter(refuse).length;
  const refused = answerable.filter(refuse).length;
  const kept = answerable.filter((item) => {
    const top = best(item, tuned);
    return !refuse(item) && top !== null && holdsFact(item, top.section);
  }).length;
  rows.push([threshold, `${right}/${abstainItems.length}`, `${refused}/${answerable.length}`, kept]);
}
console.log("\nabstention threshold on the tuned score:\n");
console.log(formatTable(["threshold", "abstain right", "answerable refused", "facts still given"], rows));
// When neither search is sure, a chosen section covering this share of the question still answers
// (abstention-thresholds.ts); 9 means never. The gap stages that run before the search are not run here.
const coverageGrid = [0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 9];
const outcomeAt = (group: readonly Item[], threshold: number) => {
  const refuse = (item: Item) =>
    !(item.confident || (best(item, choiceWeights)?.section.features.coverage ?? 0) >= threshold);
  const abstainItems = group.filter((item) => item.abstain);
  const answerableItems = group.filter((item) => !item.abstain && item.fact);
  const kept = answerableItems.filter((item) => {
    const top = best(item, choiceWeights);
    return !refuse(item) && top !== null && holdsFact(item, top.section);
  }).length;
  const abstained = abstainItems.filter(refuse).length;
  return {
    abstained,
    abstainN: abstainItems.length,
    refused: answerableItems.filter(refuse).length,
    answerableN: answerableItems.length,
    kept,
  };
};
const coverageRows = coverageGrid.map((threshold) => {
  const outcome = outcomeAt(items, threshold);
  return [
    threshold,
    `${outcome.abstained}/${outcome.abstainN}`,
    `${outcome.refused}/${outcome.answerableN}`,
    outcome.kept,
  ];
});
console.log(`\nsection coverage that answers without a sure search (default ${defaultAnswerThreshold}):\n`);
console.log(formatTable(["coverage", "abstain right", "answerable refused", "facts still given"], coverageRows));

// Per language: a question scores when its fact is given or, unanswerable, when it is refused. A language
// gets its own threshold only when it scores at least two questions more than with the default (fewer is noise).
const perLanguage: (string | number)[][] = [];
const fitted: Record<string, number> = {};
for (const lang of [...new Set(items.map((item) => item.lang))].sort()) {
  const group = items.filter((item) => item.lang === lang);
  const scoreAt = (threshold: number) => {
    const outcome = outcomeAt(group, threshold);
    return outcome.kept + outcome.abstained;
  };
  const atDefault = scoreAt(defaultAnswerThreshold);
  let chosen = defaultAnswerThreshold;
  for (const threshold of coverageGrid.filter((value) => value < 9)) {
    if (scoreAt(threshold) >= Math.max(scoreAt(chosen) + (chosen === defaultAnswerThreshold ? 2 : 1), atDefault + 2))
      chosen = threshold;
  }
  if (chosen !== defaultAnswerThreshold) fitted[lang] = chosen;
  perLanguage.push([
    lang,
    group.length,
    ...coverageGrid.filter((value) => value < 9).map((threshold) => scoreAt(threshold)),
    chosen,
    answerThresholds[lang] ?? defaultAnswerThreshold,
  ]);
}
console.log("\nper language, questions scored (fact given, or unanswerable refused) at each threshold:\n");
console.log(
  formatTable(["lang", "n", ...coverageGrid.filter((value) => value < 9).map(String), "fitted", "in use"], perLanguage),
);
console.log(`\nanswerThresholds for abstention-thresholds.ts: ${JSON.stringify(fitted)}`);
knowledge.close();
await embedder.close();
process.exit(0);
