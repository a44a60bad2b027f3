import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  deserialiseCategoryModel,
  deserialiseCrisisModel,
  type CategoryModel,
  type CrisisModel,
  type StoredCategoryModel,
  type StoredCrisisModel,
} from "./crisis-scorer.js";

/** Where the trained model lives, beside the safety intent's lexicon. */
export const crisisModelFileName = "crisis-model.json";

const storedCrisis = z.object({
  bits: z.number().int().min(8).max(20),
  bias: z.number(),
  scale: z.number().positive(),
  weights: z.string().min(1),
});
const storedCategories = z.object({
  bits: z.number().int().min(8).max(20),
  categories: z.array(z.string().min(1)).min(1),
  biases: z.array(z.number()),
  scale: z.number().positive(),
  weights: z.string().min(1),
});

/**
 * The thresholds on the scorer's probability, chosen by `scripts/train-crisis-scorer.ts` on messages of
 * authors the scoring model never saw: at or above `escalate` a message goes to a counsellor at once; from
 * `triage` up the bot asks whether someone is in danger now; a lexicon match escalates unless the scorer
 * puts it below `lexiconFloor` (then it asks too).
 */
const thresholds = z
  .object({
    triage: z.number().min(0).max(1),
    escalate: z.number().min(0).max(1),
    lexiconFloor: z.number().min(0).max(1),
  })
  .refine((value) => value.triage <= value.escalate, "triage must not be above escalate");

export const crisisModelFileSchema = z.object({
  version: z.literal(1),
  trainedAt: z.string(),
  thresholds,
  /** What the thresholds gave on held-out authors when they were chosen; for the record, never read. */
  calibration: z.record(z.string(), z.unknown()),
  trainedOn: z.record(z.string(), z.number()),
  crisis: storedCrisis,
  categories: storedCategories,
});
export type CrisisModelFile = z.infer<typeof crisisModelFileSchema>;

/** What the scorer needs to know of a message besides its score. */
export interface SafetyEvidence {
  /** The learned scorer's probability, or null when it does not read this message (no letters). */
  readonly score: number | null;
  /** A lexicon pattern matched. */
  readonly lexicon: boolean;
  /** Words in the message. */
  readonly words: number;
  /**
   * The message reads as a question, not an account: an ordinary framing the lexicon knows ("what is the
   * punishment for…"), or a follow-up of the previous question ("and if they give no room?").
   */
  readonly framed: boolean;
  /** The message answers a guided flow's question ("৪ লাখ টাকা", "2 years"). */
  readonly answering?: boolean;
}

/**
 * At most this many words is an answer to a question ("no", "نہیں", "2 years"), not an account of what is
 * happening: the scorer, trained on accounts, may then only ask (and only when it is sure), never escalate
 * on its own.
 */
export const shortAnswerWords = 3;

/**
 * The one decision rule, for the bot and for the calibration that chose the thresholds: a confident score
 * escalates; a lexicon match escalates unless the scorer finds it very unlikely; in between, the bot asks.
 */
export function decideSafety(
  evidence: SafetyEvidence,
  thresholds: CrisisModelFile["thresholds"],
): "escalate" | "triage" | "ordinary" {
  const { lexicon, words, framed, answering = false } = evidence;
  const short = words <= shortAnswerWords;
  // A flow's short answer is an amount, a country, a yes: the scorer, which reads accounts, is not asked.
  const score = answering && short ? null : evidence.score;
  if (score === null) return lexicon ? "escalate" : "ordinary";
  if (lexicon && score >= thresholds.lexiconFloor) return "escalate";
  // A short answer ("2 years", "no"), a flow's answer ("৪ লাখ টাকা") or a framed question is asked about
  // only when the scorer is as sure as it must be to escalate an account of what is happening.
  const answerLike = short || framed || answering;
  if (score >= thresholds.escalate) return answerLike ? "triage" : "escalate";
  if ((score >= thresholds.triage && !answerLike) || lexicon) return "triage";
  return "ordinary";
}

export interface LoadedCrisisModel {
  readonly crisis: CrisisModel;
  readonly categories: CategoryModel;
  readonly thresholds: CrisisModelFile["thresholds"];
}

export function loadCrisisModelData(data: unknown, source: string): LoadedCrisisModel {
  const parsed = crisisModelFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid crisis model"}`);
  }
  return {
    crisis: deserialiseCrisisModel(parsed.data.crisis satisfies StoredCrisisModel),
    categories: deserialiseCategoryModel(parsed.data.categories satisfies StoredCategoryModel),
    thresholds: parsed.data.thresholds,
  };
}

/** The model in `<intentsDir>/safety/crisis-model.json`, or null when there is none (the lexicon works alone). */
export async function readCrisisModel(intentsDir: string): Promise<LoadedCrisisModel | null> {
  const file = path.join(intentsDir, "safety", crisisModelFileName);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON`);
  }
  return loadCrisisModelData(data, file);
}
