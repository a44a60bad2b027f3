import { normaliseForMatching } from "./normalise-text.js";

export interface IntentExample {
  readonly intent: string;
  readonly text: string;
}

export interface IntentScore {
  readonly intent: string;
  /** Cosine similarity (0..1) to the closest training example of this intent. */
  readonly score: number;
}

export interface IntentPrediction {
  readonly best: IntentScore | null;
  /** Every intent with a score, best first. */
  readonly ranking: readonly IntentScore[];
}

type SparseVector = Map<string, number>;

/** Character n-grams inside word boundaries, plus whole words: robust to misspelling, works in every script. */
function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight = 1) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const normalised = normaliseForMatching(text);
  for (const word of normalised.split(" ").filter(Boolean)) {
    add(`w:${word}`, 2);
    const padded = ` ${word} `;
    const chars = Array.from(padded);
    for (let n = 2; n <= 4; n += 1) {
      for (let i = 0; i + n <= chars.length; i += 1) add(chars.slice(i, i + n).join(""));
    }
  }
  return counts;
}

function norm(vector: SparseVector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [feature, value] of small) dot += value * (large.get(feature) ?? 0);
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot / denominator;
}

/**
 * Nearest-neighbour intent classifier over TF-IDF weighted character n-grams. Every example is kept,
 * so one good example in a language is enough to recognise that phrasing.
 */
export class LexicalIntentClassifier {
  readonly #idf = new Map<string, number>();
  readonly #unseenIdf: number;
  readonly #examples: { intent: string; vector: SparseVector }[] = [];

  constructor(examples: readonly IntentExample[]) {
    const documentFrequency = new Map<string, number>();
    const featureSets = examples.map((example) => features(example.text));
    for (const set of featureSets) {
      for (const feature of set.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
    }
    const total = examples.length;
    this.#unseenIdf = Math.log(1 + total) + 1;
    for (const [feature, frequency] of documentFrequency) {
      this.#idf.set(feature, Math.log((1 + total) / (1 + frequency)) + 1);
    }
    examples.forEach((example, i) => {
      this.#examples.push({ intent: example.intent, vector: this.#weigh(featureSets[i] ?? new Map<string, number>()) });
    });
  }

  predict(text: string): IntentPrediction {
    const vector = this.#weigh(features(text));
    const bestByIntent = new Map<string, number>();
    for (const example of this.#examples) {
      const score = cosine(vector, example.vector);
      if (score > (bestByIntent.get(example.intent) ?? 0)) bestByIntent.set(example.intent, score);
    }
    const ranking = [...bestByIntent.entries()]
      .map(([intent, score]) => ({ intent, score }))
      .sort((a, b) => b.score - a.score);
    return { best: ranking[0] ?? null, ranking };
  }

  #weigh(counts: Map<string, number>): SparseVector {
    const vector: SparseVector = new Map();
    // Features never seen in training carry no evidence for any intent, but they do lengthen the
    // query: a long question that merely contains "hello" should not look like a greeting.
    for (const [feature, count] of counts)
      vector.set(feature, (1 + Math.log(count)) * (this.#idf.get(feature) ?? this.#unseenIdf));
    return vector;
  }
}

/** Examples' vectors, per embedder; kept on disk so start-up does not embed them again. */
export interface ExampleVectors {
  readonly embedderId: string;
  readonly examples: readonly { intent: string; text: string; vector: readonly number[] }[];
}

export interface HybridPrediction extends IntentPrediction {
  /** Which evidence produced the scores. */
  readonly source: "lexical" | "lexical+embedding";
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/**
 * Lexical nearest neighbours in every language, and embedding nearest neighbours where the model
 * covers the language; an intent's score is the mean of the two when both exist. The thresholds that
 * turn a score into "answer", "offer choices" or "search the leaflets" are calibrated by
 * `npm run eval:intents` on leave-one-out scores of the training examples.
 */
export class HybridIntentClassifier {
  constructor(
    private readonly lexical: LexicalIntentClassifier,
    private readonly vectors: ExampleVectors | null,
  ) {}

  predict(text: string, queryVector: readonly number[] | null): HybridPrediction {
    const lexical = this.lexical.predict(text);
    if (!queryVector || !this.vectors || this.vectors.examples.length === 0) return { ...lexical, source: "lexical" };
    const byIntent = new Map<string, number>();
    for (const example of this.vectors.examples) {
      const score = dot(queryVector, example.vector);
      if (score > (byIntent.get(example.intent) ?? -1)) byIntent.set(example.intent, score);
    }
    const lexicalScores = new Map(lexical.ranking.map((entry) => [entry.intent, entry.score]));
    const intents = new Set([...byIntent.keys(), ...lexicalScores.keys()]);
    const ranking = [...intents]
      .map((intent) => ({
        intent,
        score: ((lexicalScores.get(intent) ?? 0) + Math.max(0, byIntent.get(intent) ?? 0)) / 2,
      }))
      .sort((a, b) => b.score - a.score);
    return { best: ranking[0] ?? null, ranking, source: "lexical+embedding" };
  }
}
