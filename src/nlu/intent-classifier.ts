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

type SparseVector = Map<number, number>;

const wordSeed = 0x9e3779b1;

/**
 * A feature's key: two 32-bit multiplicative hashes of its characters folded into one 53-bit number,
 * so no string is built per n-gram and map lookups compare numbers (a 53-bit key makes a collision
 * between two of the ~10⁵ features practically impossible, and a rare one would only merge two n-grams).
 */
function featureKey(text: string, start: number, end: number, seed: number): number {
  let a = seed | 0;
  let b = (seed ^ 0x85ebca6b) | 0;
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b + code, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a ^ (b >>> 7)) & 0x3fffffff;
}

/**
 * Character n-grams inside word boundaries, plus whole words (counted twice): robust to misspelling,
 * works in every script. Returns the feature keys sorted, so equal keys sit together and counting them
 * needs no map.
 */
function featureKeys(text: string): Int32Array {
  const keys: number[] = [];
  for (const word of normaliseForMatching(text).split(" ")) {
    if (!word) continue;
    const wordKey = featureKey(word, 0, word.length, wordSeed);
    keys.push(wordKey, wordKey);
    // Code units, not code points: a split emoji makes a harmless n-gram, and hashing is much cheaper.
    const padded = ` ${word} `;
    for (let n = 2; n <= 4; n += 1) {
      for (let i = 0; i + n <= padded.length; i += 1) keys.push(featureKey(padded, i, i + n, n));
    }
  }
  return Int32Array.from(keys).sort();
}

/** Calls `visit` once per distinct feature with how often it occurs. */
function forEachFeature(text: string, visit: (feature: number, count: number) => void): void {
  const keys = featureKeys(text);
  let start = 0;
  for (let i = 1; i <= keys.length; i += 1) {
    if (i === keys.length || keys[i] !== keys[start]) {
      visit(keys[start] ?? 0, i - start);
      start = i;
    }
  }
}

function features(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  forEachFeature(text, (feature, count) => counts.set(feature, count));
  return counts;
}

function norm(vector: SparseVector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * Feature → postings (examples that have the feature, with their weights) in flat typed arrays: an
 * open-addressing table of feature keys pointing into one compressed postings list. Built once; a
 * lookup is a few array reads instead of a Map probe, which was a third of a prediction's time.
 */
class InvertedIndex {
  readonly #slotKeys: Int32Array;
  readonly #slotFeatures: Int32Array;
  readonly #mask: number;
  readonly idf: Float64Array;
  readonly offsets: Int32Array;
  readonly examples: Int32Array;
  readonly weights: Float64Array;

  constructor(postings: ReadonlyMap<number, { idf: number; examples: readonly number[]; weights: readonly number[] }>) {
    let capacity = 1024;
    while (capacity < postings.size * 3) capacity *= 2;
    this.#mask = capacity - 1;
    this.#slotKeys = new Int32Array(capacity).fill(-1);
    this.#slotFeatures = new Int32Array(capacity);
    this.idf = new Float64Array(postings.size);
    this.offsets = new Int32Array(postings.size + 1);
    let total = 0;
    for (const list of postings.values()) total += list.examples.length;
    this.examples = new Int32Array(total);
    this.weights = new Float64Array(total);
    let feature = 0;
    let offset = 0;
    for (const [key, list] of postings) {
      let slot = key & this.#mask;
      while (this.#slotKeys[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#slotKeys[slot] = key;
      this.#slotFeatures[slot] = feature;
      this.idf[feature] = list.idf;
      this.offsets[feature] = offset;
      this.examples.set(list.examples, offset);
      this.weights.set(list.weights, offset);
      offset += list.examples.length;
      feature += 1;
      this.offsets[feature] = offset;
    }
  }

  /** The feature's number, or -1 when no training example has it. Keys are non-negative. */
  find(key: number): number {
    let slot = key & this.#mask;
    for (;;) {
      const found = this.#slotKeys[slot] as number;
      if (found === key) return this.#slotFeatures[slot] as number;
      if (found === -1) return -1;
      slot = (slot + 1) & this.#mask;
    }
  }
}

/**
 * Nearest-neighbour intent classifier over TF-IDF weighted character n-grams. Every example is kept,
 * so one good example in a language is enough to recognise that phrasing. Examples sit in an inverted
 * index (feature → examples that have it, in typed arrays), so a query touches only the examples it
 * shares a feature with instead of every example.
 */
export class LexicalIntentClassifier {
  readonly #idf = new Map<number, number>();
  readonly #unseenIdf: number;
  readonly #index: InvertedIndex;
  readonly #norms: Float64Array;
  readonly #intentOf: Int32Array;
  readonly #intentNames: string[] = [];

  constructor(examples: readonly IntentExample[]) {
    const documentFrequency = new Map<number, number>();
    const featureSets = examples.map((example) => features(example.text));
    for (const set of featureSets) {
      for (const feature of set.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
    }
    const total = examples.length;
    this.#unseenIdf = Math.log(1 + total) + 1;
    for (const [feature, frequency] of documentFrequency) {
      this.#idf.set(feature, Math.log((1 + total) / (1 + frequency)) + 1);
    }
    this.#norms = new Float64Array(total);
    this.#intentOf = new Int32Array(total);
    const intentIndex = new Map<string, number>();
    const building = new Map<number, { examples: number[]; weights: number[] }>();
    examples.forEach((example, index) => {
      let intent = intentIndex.get(example.intent);
      if (intent === undefined) {
        intent = this.#intentNames.length;
        intentIndex.set(example.intent, intent);
        this.#intentNames.push(example.intent);
      }
      this.#intentOf[index] = intent;
      const vector = this.#weigh(featureSets[index] ?? new Map<number, number>());
      this.#norms[index] = norm(vector);
      for (const [feature, weight] of vector) {
        let postings = building.get(feature);
        if (!postings) {
          postings = { examples: [], weights: [] };
          building.set(feature, postings);
        }
        postings.examples.push(index);
        postings.weights.push(weight);
      }
    });
    const withIdf = new Map<number, { idf: number; examples: number[]; weights: number[] }>();
    for (const [feature, postings] of building) {
      withIdf.set(feature, { idf: this.#idf.get(feature) ?? this.#unseenIdf, ...postings });
    }
    this.#index = new InvertedIndex(withIdf);
  }

  predict(text: string): IntentPrediction {
    const keys = featureKeys(text);
    const index = this.#index;
    const { examples, weights } = index;
    // Dense accumulators: one slot per example, cheaper than a map for a few thousand examples.
    const dots = new Float64Array(this.#intentOf.length);
    let squares = 0;
    let start = 0;
    for (let i = 1; i <= keys.length; i += 1) {
      if (i < keys.length && keys[i] === keys[start]) continue;
      const feature = index.find(keys[start] as number);
      // Features never seen in training carry no evidence for any intent, but they do lengthen the
      // query: a long question that merely contains "hello" should not look like a greeting.
      const weight = (1 + Math.log(i - start)) * (feature >= 0 ? (index.idf[feature] as number) : this.#unseenIdf);
      start = i;
      squares += weight * weight;
      if (feature < 0) continue;
      const end = index.offsets[feature + 1] as number;
      for (let j = index.offsets[feature] as number; j < end; j += 1) {
        const example = examples[j] as number;
        dots[example] = (dots[example] as number) + weight * (weights[j] as number);
      }
    }
    const queryNorm = Math.sqrt(squares);
    const norms = this.#norms;
    const intentOf = this.#intentOf;
    const best = new Float64Array(this.#intentNames.length);
    for (let example = 0; example < dots.length; example += 1) {
      const dot = dots[example] as number;
      if (dot === 0) continue;
      const score = dot / (queryNorm * (norms[example] as number));
      const intent = intentOf[example] as number;
      if (score > (best[intent] as number)) best[intent] = score;
    }
    const ranking: IntentScore[] = [];
    best.forEach((score, intent) => {
      if (score > 0) ranking.push({ intent: this.#intentNames[intent] ?? "", score });
    });
    ranking.sort((a, b) => b.score - a.score);
    return { best: ranking[0] ?? null, ranking };
  }

  #weigh(counts: Map<number, number>): SparseVector {
    const vector: SparseVector = new Map();
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

/**
 * Lexical nearest neighbours in every language, and embedding nearest neighbours where the model
 * covers the language; an intent's score is the mean of the two when both exist. The thresholds that
 * turn a score into "answer", "offer choices" or "search the leaflets" are calibrated by
 * `npm run eval:intents` on leave-one-out scores of the training examples.
 */
export class HybridIntentClassifier {
  /** Example vectors in one row-major Float32Array, so scoring a query is a tight loop over memory. */
  readonly #matrix: Float32Array;
  readonly #dimension: number;
  readonly #rowIntent: Int32Array;
  readonly #intentNames: string[] = [];

  constructor(
    private readonly lexical: LexicalIntentClassifier,
    vectors: ExampleVectors | null,
  ) {
    const examples = vectors?.examples ?? [];
    this.#dimension = examples[0]?.vector.length ?? 0;
    this.#matrix = new Float32Array(examples.length * this.#dimension);
    this.#rowIntent = new Int32Array(examples.length);
    const intentIndex = new Map<string, number>();
    examples.forEach((example, row) => {
      let intent = intentIndex.get(example.intent);
      if (intent === undefined) {
        intent = this.#intentNames.length;
        intentIndex.set(example.intent, intent);
        this.#intentNames.push(example.intent);
      }
      this.#rowIntent[row] = intent;
      this.#matrix.set(example.vector, row * this.#dimension);
    });
  }

  predict(text: string, queryVector: readonly number[] | null): HybridPrediction {
    const lexical = this.lexical.predict(text);
    const rows = this.#rowIntent.length;
    if (!queryVector || rows === 0 || queryVector.length !== this.#dimension) return { ...lexical, source: "lexical" };
    const query = Float32Array.from(queryVector);
    const byIntent = new Float64Array(this.#intentNames.length).fill(-1);
    const matrix = this.#matrix;
    const dimension = this.#dimension;
    const whole = dimension - (dimension % 4);
    for (let row = 0; row < rows; row += 1) {
      const offset = row * dimension;
      // Four running sums: independent additions the CPU can overlap (a quarter faster than one sum).
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < whole; i += 4) {
        s0 += (query[i] as number) * (matrix[offset + i] as number);
        s1 += (query[i + 1] as number) * (matrix[offset + i + 1] as number);
        s2 += (query[i + 2] as number) * (matrix[offset + i + 2] as number);
        s3 += (query[i + 3] as number) * (matrix[offset + i + 3] as number);
      }
      for (let i = whole; i < dimension; i += 1) s0 += (query[i] as number) * (matrix[offset + i] as number);
      const score = s0 + s1 + s2 + s3;
      const intent = this.#rowIntent[row] as number;
      if (score > (byIntent[intent] as number)) byIntent[intent] = score;
    }
    const embedding = new Map<string, number>();
    byIntent.forEach((score, intent) => embedding.set(this.#intentNames[intent] ?? "", score));
    const lexicalScores = new Map(lexical.ranking.map((entry) => [entry.intent, entry.score]));
    const intents = new Set([...embedding.keys(), ...lexicalScores.keys()]);
    const ranking = [...intents]
      .map((intent) => ({
        intent,
        score: ((lexicalScores.get(intent) ?? 0) + Math.max(0, embedding.get(intent) ?? 0)) / 2,
      }))
      .sort((a, b) => b.score - a.score);
    return { best: ranking[0] ?? null, ranking, source: "lexical+embedding" };
  }
}
