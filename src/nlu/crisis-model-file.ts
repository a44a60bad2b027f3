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
