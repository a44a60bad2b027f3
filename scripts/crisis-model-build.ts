import { trainingExamples } from "../src/bootstrap.js";
import { areaUnderCurve } from "../bench/stats.js";
import { decideSafety, type CrisisModelFile, type SafetyEvidence } from "../src/nlu/crisis-model-file.js";
import {
  crisisScore,
  serialiseCategoryModel,
  serialiseCrisisModel,
  trainCategoryModel,
  trainCrisisModel,
  type CrisisExample,
} from "../src/nlu/crisis-scorer.js";
import { loadIntentFiles, safetyCategories, type SafetyCategory } from "../src/nlu/intent-files.js";
import { words } from "../src/nlu/normalise-text.js";
import { SafetyDetector } from "../src/nlu/safety-detector.js";
import { readCorpus, readTeamSets, type LabelledMessage } from "./crisis-training-data.js";

/**
 * Builds intents/safety/crisis-model.json from the repository alone (issue 12): the corpus's authors are
 * split in two halves (each language's first author, and the others); a model trained on one half and the
 * team's sets scores the other half, so every corpus message is scored by a model that never saw its
 * author. The thresholds are chosen on those scores; the model shipped is then trained on everything.
 * Deterministic: the same files give the same model, which a CI test checks.
 */

/** The corpus's kinds of danger, as the categories whose help the bot knows. */
export const corpusCategories: Readonly<Record<string, SafetyCategory>> = {
  trafficking: "trafficking",
  "child-trafficking": "trafficking",
  "forced-labour": "forced-labour",
  "child-labour": "forced-labour",
  "debt-bondage": "debt-bondage",
  "kidnapping-extortion": "threat-to-life",
  "detention-threat": "threat-to-life",
  "missing-person": "threat-to-life",
  "self-harm": "suicide",
  "sexual-abuse": "sexual-abuse",
  "physical-abuse": "violence",
  "medical-emergency": "medical-emergency",
};

/**
 * The goals of issue 12 for the grey zone: crises caught (escalated or asked about) and ordinary messages
 * asked about. The triage threshold is the one that meets both on held-out authors with the widest margin.
 */
export const caughtGoal = 0.97;
export const triageGoal = 0.08;
/** Ordinary messages the scorer alone may escalate on held-out authors (the corpus's ordinary third are hard negatives). */
export const falseEscalationTarget = 0.03;
/** A lexicon match the scorer finds this unlikely is asked about rather than escalated. */
export const lexiconFloor = 0.05;

const grid = Array.from({ length: 19 }, (_, i) => Number((0.05 * (i + 1)).toFixed(2)));

interface Scored extends SafetyEvidence {
  readonly message: LabelledMessage;
}

function safetyCategory(message: LabelledMessage): SafetyCategory | null {
  const mapped = corpusCategories[message.category];
  if (mapped) return mapped;
  return (safetyCategories as readonly string[]).includes(message.category)
    ? (message.category as SafetyCategory)
    : null;
}

function share<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.length === 0 ? 0 : Number((items.filter(test).length / items.length).toFixed(3));
}

export function rates(scored: readonly Scored[], thresholds: CrisisModelFile["thresholds"]) {
  const crises = scored.filter((entry) => entry.message.crisis);
  const ordinary = scored.filter((entry) => !entry.message.crisis);
  const hard = ordinary.filter((entry) => entry.message.category === "hard-negative");
  return {
    crisis: crises.length,
    ordinary: ordinary.length,
    auc: Number(
      areaUnderCurve(
        crises.map((entry) => entry.score ?? 0),
        ordinary.map((entry) => entry.score ?? 0),
      ).toFixed(4),
    ),
    caught: share(crises, (entry) => decideSafety(entry, thresholds) !== "ordinary"),
    escalated: share(crises, (entry) => decideSafety(entry, thresholds) === "escalate"),
    falseEscalations: share(ordinary, (entry) => decideSafety(entry, thresholds) === "escalate"),
    triageOnOrdinary: share(ordinary, (entry) => decideSafety(entry, thresholds) === "triage"),
    hardNegatives: hard.length,
    hardNegativesEscalated: share(hard, (entry) => decideSafety(entry, thresholds) === "escalate"),
    hardNegativesTriaged: share(hard, (entry) => decideSafety(entry, thresholds) === "triage"),
  };
}

export async function buildCrisisModelFile(intentsDir: string, trainedAt: string): Promise<CrisisModelFile> {
  const files = await loadIntentFiles(intentsDir);
  const lexicon = SafetyDetector.fromIntents(files.intents);
  const corpus = await readCorpus();
  const team = await readTeamSets();
  // The intents' example questions are what people ask the bot every day: all ordinary.
  const questions: CrisisExample[] = trainingExamples(files.intents)
    .filter((example) => example.intent !== "safety")
    .map((example) => ({ text: example.text, crisis: false }));
  // The bot's own short texts (buttons, options, yes and no, "stop") are what people type back to it.
  const answers: CrisisExample[] = [
    ...files.intents.flatMap((intent) => Object.values(intent.replies)),
    ...Object.values(files.common),
  ]
    .flatMap((table) => Object.values(table))
    .concat(Object.values(files.cancelWords).flat())
    .filter((text): text is string => typeof text === "string" && !text.includes("{") && words(text).length <= 5)
    .map((text) => ({ text, crisis: false }));
  const toExample = (message: LabelledMessage): CrisisExample => ({ text: message.text, crisis: message.crisis });
  const always = [...team.map(toExample), ...questions, ...answers];

  const firstAuthors = (message: LabelledMessage) => message.author?.endsWith("-1") ?? false;
  const heldOut: Scored[] = [];
  for (const inTraining of [firstAuthors, (message: LabelledMessage) => !firstAuthors(message)]) {
    const model = trainCrisisModel([...corpus.filter(inTraining).map(toExample), ...always]);
    for (const message of corpus.filter((entry) => !inTraining(entry))) {
      heldOut.push({
        message,
        // The same reading as the bot's: no letters, no score.
        score: /\p{L}/u.test(message.text) ? crisisScore(model, message.text) : null,
        lexicon: lexicon.detect(message.text) !== null,
        words: words(message.text).length,
        framed: lexicon.ordinaryFraming(message.text),
      });
    }
  }

  const crises = heldOut.filter((entry) => entry.message.crisis);
  const ordinary = heldOut.filter((entry) => !entry.message.crisis);
  const escalate =
    grid.find((t) => share(ordinary, (entry) => (entry.score ?? 0) >= t) <= falseEscalationTarget) ?? 0.95;
  const margin = (triage: number) => {
    const at = { triage, escalate, lexiconFloor };
    const caught = share(crises, (entry) => decideSafety(entry, at) !== "ordinary");
    const asked = share(ordinary, (entry) => decideSafety(entry, at) === "triage");
    return Math.min(caught - caughtGoal, triageGoal - asked);
  };
  const triage = grid
    .filter((t) => t <= escalate)
    .reduce((best, t) => (margin(t) > margin(best) ? t : best), grid[0] ?? 0.05);
  const thresholds = { triage, escalate, lexiconFloor };

  const byLanguage: Record<string, ReturnType<typeof rates>> = {};
  for (const lang of [...new Set(heldOut.map((entry) => entry.message.lang))].sort()) {
    byLanguage[lang] = rates(
      heldOut.filter((entry) => entry.message.lang === lang),
      thresholds,
    );
  }

  const crisis = trainCrisisModel([...corpus.map(toExample), ...always]);
  const categoryExamples = [...corpus, ...team]
    .filter((message) => message.crisis)
    .flatMap((message) => {
      const category = safetyCategory(message);
      return category ? [{ text: message.text, category }] : [];
    });
  const categories = trainCategoryModel(categoryExamples);

  return {
    version: 1,
    trainedAt,
    thresholds,
    calibration: {
      method: `two halves of the corpus's authors, each scored by a model trained on the other half and the team's sets; escalate: lowest threshold escalating <= ${falseEscalationTarget} of ordinary messages by the scorer alone; triage: the threshold meeting caught >= ${caughtGoal} and asked on ordinary <= ${triageGoal} with the widest margin`,
      heldOutAuthors: rates(heldOut, thresholds),
      byLanguage,
    },
    trainedOn: {
      corpusMessages: corpus.length,
      corpusAuthors: new Set(corpus.map((message) => message.author)).size,
      teamMessages: team.length,
      intentExamples: questions.length,
      shortAnswers: answers.length,
      categoryExamples: categoryExamples.length,
    },
    crisis: serialiseCrisisModel(crisis),
    categories: serialiseCategoryModel(categories),
  };
}
