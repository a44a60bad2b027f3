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
  const random = seededRandom(seed);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    shuffle(order, random);
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

/** xorshift32: the same order on every machine, so a retrained model is the same model. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
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

/** The features folded into fewer buckets (2^bits), for the smaller category model. */
function foldFeatures(features: ReadonlyMap<number, number>, bits: number): Map<number, number> {
  const mask = 2 ** bits - 1;
  const folded = new Map<number, number>();
  for (const [bucket, value] of features) folded.set(bucket & mask, (folded.get(bucket & mask) ?? 0) + value);
  return folded;
}

/** Which kind of danger a crisis message tells of: one weight vector per category over folded features. */
export interface CategoryModel {
  readonly bits: number;
  readonly categories: readonly string[];
  readonly biases: Float32Array;
  /** Category-major: the weights of category k are at [k * 2^bits, (k + 1) * 2^bits). */
  readonly weights: Float32Array;
}

/**
 * Multinomial logistic regression (softmax) by AdaGrad, on crisis messages only: it says what kind of
 * help fits (first aid, a women's line, a mental-health line), not whether there is a crisis.
 */
export function trainCategoryModel(
  examples: readonly { readonly text: string; readonly category: string }[],
  options: { bits?: number; epochs?: number; learningRate?: number; seed?: number } = {},
): CategoryModel {
  const { bits = 14, epochs = 10, learningRate = 0.5, seed = 1 } = options;
  const size = 2 ** bits;
  const categories = [...new Set(examples.map((example) => example.category))].sort();
  const weights = new Float32Array(size * categories.length);
  const squared = new Float32Array(size * categories.length).fill(1e-8);
  const biases = new Float32Array(categories.length);
  const biasSquared = new Float32Array(categories.length).fill(1e-8);
  const featured = examples.map((example) => ({
    features: foldFeatures(crisisFeatures(example.text), bits),
    target: categories.indexOf(example.category),
  }));
  const random = seededRandom(seed);
  const order = featured.map((_, index) => index);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    shuffle(order, random);
    for (const index of order) {
      const example = featured[index];
      if (!example) continue;
      const probabilities = softmax(categoryLogits(example.features, weights, biases, size, categories.length));
      probabilities.forEach((probability, k) => {
        const error = probability - (k === example.target ? 1 : 0);
        for (const [bucket, value] of example.features) {
          const at = k * size + bucket;
          const gradient = error * value;
          squared[at] = (squared[at] ?? 0) + gradient * gradient;
          weights[at] = (weights[at] ?? 0) - (learningRate * gradient) / Math.sqrt(squared[at] ?? 1);
        }
        biasSquared[k] = (biasSquared[k] ?? 0) + error * error;
        biases[k] = (biases[k] ?? 0) - (learningRate * error) / Math.sqrt(biasSquared[k] ?? 1);
      });
    }
  }
  return { bits, categories, biases, weights };
}

function categoryLogits(
  features: ReadonlyMap<number, number>,
  weights: Float32Array,
  biases: Float32Array,
  size: number,
  count: number,
): number[] {
  const logits: number[] = [];
  for (let k = 0; k < count; k += 1) {
    let sum = biases[k] ?? 0;
    for (const [bucket, value] of features) sum += (weights[k * size + bucket] ?? 0) * value;
    logits.push(sum);
  }
  return logits;
}

function softmax(logits: readonly number[]): number[] {
  const largest = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - largest));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/** The likeliest category of a crisis message, with its probability. */
export function crisisCategory(model: CategoryModel, text: string): { category: string; probability: number } {
  const size = 2 ** model.bits;
  const probabilities = softmax(
    categoryLogits(
      foldFeatures(crisisFeatures(text), model.bits),
      model.weights,
      model.biases,
      size,
      model.categories.length,
    ),
  );
  let best = 0;
  probabilities.forEach((probability, k) => {
    if (probability > (probabilities[best] ?? 0)) best = k;
  });
  return { category: model.categories[best] ?? "", probability: probabilities[best] ?? 0 };
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
  return { bits: model.bits, bias: model.bias, ...quantise(model.weights) };
}

export function deserialiseCrisisModel(data: StoredCrisisModel): CrisisModel {
  return { bits: data.bits, bias: data.bias, weights: dequantise(data.weights, data.scale, 2 ** data.bits) };
}

/** A stored category model: like a stored crisis model, one scale for all categories' weights. */
export interface StoredCategoryModel {
  readonly bits: number;
  readonly categories: string[];
  readonly biases: number[];
  readonly scale: number;
  readonly weights: string;
}

function quantise(weights: Float32Array): { scale: number; weights: string } {
  let largest = 0;
  for (const weight of weights) largest = Math.max(largest, Math.abs(weight));
  const scale = largest > 0 ? largest / 127 : 1;
  const bytes = new Int8Array(weights.length);
  weights.forEach((weight, index) => {
    bytes[index] = Math.round(weight / scale);
  });
  return { scale, weights: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
}

function dequantise(encoded: string, scale: number, length: number): Float32Array {
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.byteLength !== length) throw new Error("model weights do not match its size");
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Float32Array(signed.length);
  signed.forEach((value, index) => {
    weights[index] = value * scale;
  });
  return weights;
}

export function serialiseCategoryModel(model: CategoryModel): StoredCategoryModel {
  return {
    bits: model.bits,
    categories: [...model.categories],
    biases: Array.from(model.biases, (bias) => Number(bias.toFixed(6))),
    ...quantise(model.weights),
  };
}

export function deserialiseCategoryModel(data: StoredCategoryModel): CategoryModel {
  return {
    bits: data.bits,
    categories: data.categories,
    biases: Float32Array.from(data.biases),
    weights: dequantise(data.weights, data.scale, 2 ** data.bits * data.categories.length),
  };
}
