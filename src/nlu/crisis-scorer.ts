import { normaliseForMatching } from "./normalise-text.js";

/**
 * A learned crisis scorer beside the concept lexicon (issue 12): word and character n-grams of the
 * folded message, hashed into a fixed number of buckets, weighed by a logistic regression trained in the
 * repository (`scripts/train-crisis-scorer.ts`) on messages written by many authors. It reads what the
 * lexicon's patterns cannot list: a story of debt told without the word, a relative's farewell message,
 * a misspelt or code-mixed cry for help. It downloads nothing and runs in microseconds.
 */

/** Buckets of the hashed feature space: large enough that few n-grams share one, small enough to ship. */
export const crisisFeatureBits = 17;
const bucketCount = 2 ** crisisFeatureBits;

// Character n-grams of these lengths, read inside each word padded with spaces ("  help " → " he", "hel", …).
const charGramLengths = [3, 4, 5];

/** 32-bit FNV-1a of a string, with a seed so word and character n-grams hash apart. */
function hash(text: string, seed: number): number {
  let value = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/**
 * The message's features: bucket → weight. Counts are dampened (log) and the vector is scaled to unit
 * length, so a long story and a one-liner are weighed alike.
 */
export function crisisFeatures(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (feature: string, seed: number) => {
    const bucket = hash(feature, seed) % bucketCount;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  };
  const tokens = normaliseForMatching(text).split(" ").filter(Boolean);
  tokens.forEach((token, index) => {
    add(token, 1);
    const next = tokens[index + 1];
    if (next) add(`${token} ${next}`, 2);
    const padded = ` ${token} `;
    const letters = Array.from(padded);
    for (const length of charGramLengths) {
      for (let start = 0; start + length <= letters.length; start += 1)
        add(letters.slice(start, start + length).join(""), 3);
    }
  });
  let norm = 0;
  const features = new Map<number, number>();
  for (const [bucket, count] of counts) {
    const value = 1 + Math.log(count);
    features.set(bucket, value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [bucket, value] of features) features.set(bucket, value * scale);
  return features;
}

/** A labelled message for training: true when someone is in danger. */
export interface CrisisExample {
  readonly text: string;
  readonly crisis: boolean;
}

export interface CrisisModel {
  readonly bits: number;
  readonly bias: number;
  readonly weights: Float32Array;
}

/**
 * Logistic regression by AdaGrad over a fixed, seeded order of the examples, with L2 regularisation.
 * Crisis messages are the rarer class: each is weighed so both classes count alike.
 */
export function trainCrisisModel(
  examples: readonly CrisisExample[],
  options: { epochs?: number; learningRate?: number; l2?: number; seed?: number } = {},
): CrisisModel {
  const { epochs = 12, learningRate = 0.5, l2 = 1e-6, seed = 1 } = options;
  const weights = new Float32Array(bucketCount);
  const squared = new Float32Array(bucketCount).fill(1e-8);
  let bias = 0;
  let biasSquared = 1e-8;
  const featured = examples.map((example) => ({ features: crisisFeatures(example.text), crisis: example.crisis }));
  const crises = featured.filter((example) => example.crisis).length;
  const crisisWeight = crises > 0 ? (featured.length - crises) / crises : 1;
  const order = featured.map((_, index) => index);
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: the same order on every machine, so a retrained model is the same model.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const example = featured[index];
      if (!example) continue;
      const predicted = sigmoid(linear(example.features, weights, bias));
      const error = (predicted - (example.crisis ? 1 : 0)) * (example.crisis ? crisisWeight : 1);
      for (const [bucket, value] of example.features) {
        const gradient = error * value + l2 * (weights[bucket] ?? 0);
        squared[bucket] = (squared[bucket] ?? 0) + gradient * gradient;
        weights[bucket] = (weights[bucket] ?? 0) - (learningRate * gradient) / Math.sqrt(squared[bucket] ?? 1);
      }
      biasSquared += error * error;
      bias -= (learningRate * error) / Math.sqrt(biasSquared);
    }
  }
  return { bits: crisisFeatureBits, bias, weights };
}

function linear(features: ReadonlyMap<number, number>, weights: Float32Array, bias: number): number {
  let sum = bias;
  for (const [bucket, value] of features) sum += (weights[bucket] ?? 0) * value;
  return sum;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** The probability (0..1) the model gives that a message tells of someone in danger. */
export function crisisScore(model: CrisisModel, text: string): number {
  if (model.bits !== crisisFeatureBits)
    throw new Error(`crisis model has ${model.bits} bits, expected ${crisisFeatureBits}`);
  return sigmoid(linear(crisisFeatures(text), model.weights, model.bias));
}

/** A stored model: its weights as signed bytes of `scale` each (base64), a tenth of the size of floats. */
export interface StoredCrisisModel {
  readonly bits: number;
  readonly bias: number;
  readonly scale: number;
  readonly weights: string;
}

/**
 * The model as JSON-safe data. A linear model's ranking barely moves when each weight is rounded to one of
 * 255 steps; the stored file stays small enough to retrain and commit often.
 */
export function serialiseCrisisModel(model: CrisisModel): StoredCrisisModel {
  let largest = 0;
  for (const weight of model.weights) largest = Math.max(largest, Math.abs(weight));
  const scale = largest > 0 ? largest / 127 : 1;
  const bytes = new Int8Array(model.weights.length);
  model.weights.forEach((weight, index) => {
    bytes[index] = Math.round(weight / scale);
  });
  return {
    bits: model.bits,
    bias: model.bias,
    scale,
    weights: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
  };
}

export function deserialiseCrisisModel(data: StoredCrisisModel): CrisisModel {
  const bytes = Buffer.from(data.weights, "base64");
  if (bytes.byteLength !== 2 ** data.bits) throw new Error("crisis model weights do not match its size");
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Float32Array(signed.length);
  signed.forEach((value, index) => {
    weights[index] = value * data.scale;
  });
  return { bits: data.bits, bias: data.bias, weights };
}
