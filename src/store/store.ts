/**
 * The one contract for state. Values are strings (callers serialise and validate); lists are
 * append-only logs. Both implementations pass test/store/store-contract.test.ts.
 */
export interface WriteOptions {
  /** Seconds until the key disappears; omit to keep it until deleted. */
  readonly ttlSeconds?: number;
}

/** A member of a sorted set and its score (Redis ZSET semantics). */
export interface ScoredMember {
  readonly member: string;
  readonly score: number;
}

export interface Store {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: WriteOptions): Promise<void>;
  /** Writes only if the key does not exist; true when this call wrote it. Atomic. */
  setIfAbsent(key: string, value: string, options?: WriteOptions): Promise<boolean>;
  /** Deletes keys of any kind; returns how many existed. */
  delete(keys: readonly string[]): Promise<number>;
  /** Appends to a list and returns its new length. `ttlSeconds` (re)starts the list's expiry. */
  append(key: string, values: readonly string[], options?: WriteOptions): Promise<number>;
  /** Items `start`..`stop` inclusive; negative indexes count from the end (-1 is the last). */
  range(key: string, start: number, stop: number): Promise<string[]>;
  length(key: string): Promise<number>;
  /**
   * Atomic read-modify-write. `change` gets the current value (null when absent) and returns the new
   * one (null deletes). It may run more than once when another writer gets in first, so it must be pure.
   */
  update(
    key: string,
    change: (current: string | null) => string | null,
    options?: WriteOptions,
  ): Promise<string | null>;
  /**
   * Adds `by` (default 1) to the whole number at `key` (0 when absent) and returns the result. Atomic:
   * concurrent callers each see their own result. `ttlSeconds` is set only while the key has no expiry,
   * so a counter keeps the window its first count opened.
   */
  increment(key: string, options?: WriteOptions & { readonly by?: number }): Promise<number>;
  /** Adds members to a sorted set, or changes the score of ones already in it. */
  sortedAdd(key: string, members: readonly ScoredMember[]): Promise<void>;
  /** Removes members from a sorted set; returns how many were in it. */
  sortedRemove(key: string, members: readonly string[]): Promise<number>;
  /** Members by score, lowest first (ties by member); only `min` ≤ score ≤ `max` when given. */
  sortedRange(key: string, bounds?: { readonly min?: number; readonly max?: number }): Promise<ScoredMember[]>;
  /** Every key starting with `prefix` (without the implementation's own namespace). */
  keysWithPrefix(prefix: string): Promise<string[]>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
