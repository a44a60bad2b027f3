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
  for (const word of normaliseForMatching(text).split(" ")) {
    if (!word) continue;
    add(`w:${word}`, 2);
    // Code units, not code points: a split emoji makes a harmless n-gram, and slicing is much cheaper.
    const padded = ` ${word} `;
    for (let n = 2; n <= 4; n += 1) {
      for (let i = 0; i + n <= padded.length; i += 1) add(padded.slice(i, i + n));
    }
  }
  return counts;
}

function norm(vector: SparseVector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * Nearest-neighbour intent classifier over TF-IDF weighted character n-grams. Every example is kept,
 * so one good example in a language is enough to recognise that phrasing. Examples sit in an inverted
 * index (feature → examples that have it), so a query touches only the examples it shares a feature
 * with instead of every example.
 */
export class LexicalIntentClassifier {
  readonly #idf = new Map<string, number>();
  readonly #unseenIdf: number;
  readonly #postings = new Map<string, { example: number; weight: number }[]>();
  readonly #norms: number[] = [];
  readonly #intents: string[] = [];

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
    examples.forEach((example, index) => {
      const vector = this.#weigh(featureSets[index] ?? new Map<string, number>());
      this.#intents.push(example.intent);
      this.#norms.push(norm(vector));
      for (const [feature, weight] of vector) {
        const postings = this.#postings.get(feature) ?? [];
        postings.push({ example: index, weight });
        this.#postings.set(feature, postings);
      }
    });
  }

  predict(text: string): IntentPrediction {
    const vector = this.#weigh(features(text));
    const queryNorm = norm(vector);
    // Dense accumulators: one slot per example, cheaper than a map for a few thousand examples.
    const dots = new Float64Array(this.#intents.length);
    for (const [feature, weight] of vector) {
      const postings = this.#postings.get(feature);
      if (!postings) continue;
      for (const posting of postings) dots[posting.example] = (dots[posting.example] ?? 0) + weight * posting.weight;
    }
    const bestByIntent = new Map<string, number>();
    for (let example = 0; example < dots.length; example += 1) {
      const dot = dots[example] ?? 0;
      if (dot === 0) continue;
      const denominator = queryNorm * (this.#norms[example] ?? 0);
      const score = denominator === 0 ? 0 : dot / denominator;
      const intent = this.#intents[example] ?? "";
      if (score > (bestByIntent.get(intent) ?? 0)) bestByIntent.set(intent, score);
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
    for (const [feature, count] of counts) {
      vector.set(feature, (1 + Math.log(count)) * (this.#idf.get(feature) ?? this.#unseenIdf));
    }
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
