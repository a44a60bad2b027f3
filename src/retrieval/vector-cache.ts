import type { ChunkFilter, RawHit } from "./knowledge-index.js";

/** One passage's vector and what a search returns about it. */
export interface CachedPassage {
  readonly hit: Omit<RawHit, "score">;
  readonly countries: string;
  readonly topics: string;
}

/**
 * A language's passage vectors in one typed array, searched exactly (cosine) in memory. With a thousand
 * or so passages a brute-force scan takes well under a millisecond, where a query through the vector
 * store costs several: the store stays the source of truth, this is its read copy.
 */
export class VectorCache {
  private constructor(
    private readonly passages: readonly CachedPassage[],
    private readonly matrix: Float32Array,
    private readonly norms: Float32Array,
    private readonly dimension: number,
  ) {}

  static from(rows: readonly (CachedPassage & { readonly vector: ArrayLike<number> })[]): VectorCache | null {
    const withVectors = rows.filter((row) => row.vector.length > 0);
    const dimension = withVectors[0]?.vector.length ?? 0;
    if (dimension === 0) return null;
    const matrix = new Float32Array(withVectors.length * dimension);
    const norms = new Float32Array(withVectors.length);
    withVectors.forEach((row, i) => {
      let sum = 0;
      for (let d = 0; d < dimension; d += 1) {
        const value = row.vector[d] ?? 0;
        matrix[i * dimension + d] = value;
        sum += value * value;
      }
      norms[i] = Math.sqrt(sum);
    });
    return new VectorCache(
      withVectors.map(({ hit, countries, topics }) => ({ hit, countries, topics })),
      matrix,
      norms,
      dimension,
    );
  }

  /** The `limit` passages most similar to `vector` (cosine) that pass the filter, best first. */
  search(vector: readonly number[], filter: ChunkFilter, limit: number): RawHit[] {
    if (vector.length !== this.dimension) return [];
    const query = Float32Array.from(vector);
    let queryNorm = 0;
    for (const value of query) queryNorm += value * value;
    queryNorm = Math.sqrt(queryNorm) || 1;
    const { matrix, dimension } = this;
    const countries = filter.countries.length > 0 ? [...filter.countries, "any"].map((code) => `|${code}|`) : null;
    const topics = filter.topics && filter.topics.length > 0 ? filter.topics.map((topic) => `|${topic}|`) : null;
    const scored: { index: number; score: number }[] = [];
    this.passages.forEach((passage, i) => {
      if (!filter.langs.includes(passage.hit.lang)) return;
      if (countries && !countries.some((code) => passage.countries.includes(code))) return;
      if (topics && !topics.some((topic) => passage.topics.includes(topic))) return;
      // Indexes into the one matrix, not a view per row: a view is an allocation per passage per search.
      // Typed arrays read past their end as undefined, never here: each row is `dimension` long.
      const base = i * dimension;
      let dot = 0;
      for (let d = 0; d < dimension; d += 1) dot += (matrix[base + d] as number) * (query[d] as number);
      scored.push({ index: i, score: dot / ((this.norms[i] || 1) * queryNorm) });
    });
    return scored
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .flatMap(({ index, score }) => {
        const passage = this.passages[index];
        return passage ? [{ ...passage.hit, score }] : [];
      });
  }
}
