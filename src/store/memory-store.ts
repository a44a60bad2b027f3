import type { ScoredMember, Store, WriteOptions } from "./store.js";

interface Entry {
  value: string | string[];
  expiresAt: number | null;
}

/** The zero-setup store: everything in this process, gone on restart. */
export class MemoryStore implements Store {
  readonly kind = "memory" as const;
  readonly #entries = new Map<string, Entry>();
  /** Sorted sets apart from values and lists: they carry no expiry (their members are removed one by one). */
  readonly #sortedSets = new Map<string, Map<string, number>>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepIntervalMs = 60_000,
  ) {
    this.#sweeper = setInterval(() => this.#sweep(), sweepIntervalMs);
    this.#sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    const entry = this.#live(key);
    if (!entry) return null;
    if (Array.isArray(entry.value)) throw new TypeError(`Key ${key} holds a list, not a value`);
    return entry.value;
  }

  async set(key: string, value: string, options?: WriteOptions): Promise<void> {
    this.#entries.set(key, { value, expiresAt: this.#expiry(options) });
  }

  async setIfAbsent(key: string, value: string, options?: WriteOptions): Promise<boolean> {
    if (this.#live(key)) return false;
    await this.set(key, value, options);
    return true;
  }

  async delete(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) {
      if (this.#live(key) || this.#sortedSets.has(key)) deleted += 1;
      this.#entries.delete(key);
      this.#sortedSets.delete(key);
    }
    return deleted;
  }

  async append(key: string, values: readonly string[], options?: WriteOptions): Promise<number> {
    const entry = this.#live(key);
    if (entry && !Array.isArray(entry.value)) throw new TypeError(`Key ${key} holds a value, not a list`);
    const list = entry ? (entry.value as string[]) : [];
    list.push(...values);
    const expiresAt = options?.ttlSeconds !== undefined ? this.#expiry(options) : (entry?.expiresAt ?? null);
    this.#entries.set(key, { value: list, expiresAt });
    return list.length;
  }

  async range(key: string, start: number, stop: number): Promise<string[]> {
    const list = this.#list(key);
    const from = start < 0 ? Math.max(list.length + start, 0) : start;
    const to = stop < 0 ? list.length + stop : Math.min(stop, list.length - 1);
    return from > to ? [] : list.slice(from, to + 1);
  }

  async length(key: string): Promise<number> {
    return this.#list(key).length;
  }

  async update(
    key: string,
    change: (current: string | null) => string | null,
    options?: WriteOptions,
  ): Promise<string | null> {
    // No await between the read and the write: nothing else can run in between.
    const entry = this.#live(key);
    if (entry && Array.isArray(entry.value)) throw new TypeError(`Key ${key} holds a list, not a value`);
    const next = change(entry ? (entry.value as string) : null);
    if (next === null) this.#entries.delete(key);
    else this.#entries.set(key, { value: next, expiresAt: this.#expiry(options) });
    return next;
  }

  async increment(key: string, options?: WriteOptions & { readonly by?: number }): Promise<number> {
    const entry = this.#live(key);
    if (entry && Array.isArray(entry.value)) throw new TypeError(`Key ${key} holds a list, not a value`);
    const current = entry ? Number(entry.value) : 0;
    if (!Number.isSafeInteger(current)) throw new TypeError(`Key ${key} does not hold a whole number`);
    const next = current + (options?.by ?? 1);
    const expiresAt = entry?.expiresAt ?? this.#expiry(options);
    this.#entries.set(key, { value: String(next), expiresAt });
    return next;
  }

  async sortedAdd(key: string, members: readonly ScoredMember[]): Promise<void> {
    const set = this.#sorted(key) ?? new Map<string, number>();
    for (const { member, score } of members) set.set(member, score);
    this.#sortedSets.set(key, set);
  }

  async sortedRemove(key: string, members: readonly string[]): Promise<number> {
    const set = this.#sorted(key);
    if (!set) return 0;
    let removed = 0;
    for (const member of members) if (set.delete(member)) removed += 1;
    if (set.size === 0) this.#sortedSets.delete(key);
    return removed;
  }

  async sortedRange(key: string, bounds: { min?: number; max?: number } = {}): Promise<ScoredMember[]> {
    const min = bounds.min ?? -Infinity;
    const max = bounds.max ?? Infinity;
    return [...(this.#sorted(key) ?? new Map<string, number>())]
      .filter(([, score]) => score >= min && score <= max)
      .map(([member, score]) => ({ member, score }))
      .sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  }

  async keysWithPrefix(prefix: string): Promise<string[]> {
    return [...this.#entries.keys(), ...this.#sortedSets.keys()].filter(
      (key) => key.startsWith(prefix) && (this.#sortedSets.has(key) || this.#live(key)),
    );
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#entries.clear();
    this.#sortedSets.clear();
  }

  #sorted(key: string): Map<string, number> | undefined {
    if (this.#live(key)) throw new TypeError(`Key ${key} holds a value or list, not a sorted set`);
    return this.#sortedSets.get(key);
  }

  #list(key: string): string[] {
    const entry = this.#live(key);
    if (!entry) return [];
    if (!Array.isArray(entry.value)) throw new TypeError(`Key ${key} holds a value, not a list`);
    return entry.value;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #expiry(options?: WriteOptions): number | null {
    return options?.ttlSeconds !== undefined ? this.now() + options.ttlSeconds * 1000 : null;
  }

  #sweep(): void {
    for (const key of this.#entries.keys()) this.#live(key);
  }
}
