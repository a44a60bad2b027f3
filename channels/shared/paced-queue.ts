/** Thrown by a send when the channel says "too many requests": the item is tried again, never dropped. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    /** True when the limit is on the whole bot (Telegram's global flood limit), not one chat. */
    readonly global = false,
  ) {
    super(`rate limited; retry after ${String(retryAfterMs)} ms`);
    this.name = "RateLimitedError";
  }
}

/** Thrown by a send for a failure worth retrying (a network error, a 5xx). */
export class TransientSendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientSendError";
  }
}

export interface PacedQueueOptions {
  /** Least time between two messages to the same recipient (Telegram: ~1 s per chat). */
  readonly perKeyIntervalMs: number;
  /** Most messages per second over all recipients (Telegram ~30, WhatsApp Cloud 80). */
  readonly globalPerSecond: number;
  /** Tries for a transient failure before the item is given up (rate limits are retried forever). */
  readonly maxTransientAttempts?: number;
  /** Called when an item is given up after a permanent or repeated failure, for logs and metrics. */
  readonly onGiveUp?: (key: string, error: unknown) => void;
}

interface Pending<T> {
  readonly item: T;
  attempts: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The outgoing queue of a channel with rate limits. Messages to one recipient go out one at a time,
 * in order, at most one per `perKeyIntervalMs`; all recipients together stay under `globalPerSecond`.
 * A "too many requests" answer puts the item back at the head of its line until `retryAfterMs` has
 * passed, so nothing is lost or sent twice; transient failures are retried with back-off.
 */
export class PacedQueue<T> {
  readonly #lines = new Map<string, Pending<T>[]>();
  readonly #busy = new Set<string>();
  readonly #notBefore = new Map<string, number>();
  readonly #recentSends: number[] = [];
  #globalNotBefore = 0;
  #timer: NodeJS.Timeout | null = null;
  #idle: (() => void)[] = [];
  #stopped = false;

  constructor(
    private readonly send: (key: string, item: T) => Promise<void>,
    private readonly options: PacedQueueOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues one message; resolves once it is delivered, rejects if it had to be given up. */
  enqueue(key: string, item: T): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error("the outgoing queue is stopped"));
    return new Promise((resolve, reject) => {
      const line = this.#lines.get(key) ?? [];
      line.push({ item, attempts: 0, resolve, reject });
      this.#lines.set(key, line);
      this.#pump();
    });
  }

  /** Messages waiting or in flight. */
  get size(): number {
    let size = 0;
    for (const line of this.#lines.values()) size += line.length;
    return size;
  }

  /** Resolves when every queued message has been delivered or given up. */
  drained(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops sending; what is still queued is rejected (the caller logs it; the transcript keeps it). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const line of this.#lines.values()) {
      for (const pending of line) pending.reject(new Error("the outgoing queue was stopped"));
    }
    this.#lines.clear();
    this.#notifyIdle();
  }

  #pump(): void {
    if (this.#stopped) return;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const now = this.now();
    let wakeAt = Number.POSITIVE_INFINITY;
    while (this.#recentSends.length > 0 && (this.#recentSends[0] ?? 0) <= now - 1000) this.#recentSends.shift();
    for (const [key, until] of this.#notBefore) {
      if (until <= now && !this.#lines.has(key)) this.#notBefore.delete(key);
    }
    for (const [key, line] of this.#lines) {
      if (line.length === 0 || this.#busy.has(key)) continue;
      const ready = Math.max(this.#notBefore.get(key) ?? 0, this.#globalNotBefore);
      if (ready > now) {
        wakeAt = Math.min(wakeAt, ready);
        continue;
      }
      if (this.#recentSends.length >= this.options.globalPerSecond) {
        wakeAt = Math.min(wakeAt, (this.#recentSends[0] ?? now) + 1000);
        break;
      }
      this.#recentSends.push(now);
      this.#busy.add(key);
      void this.#deliver(key, line);
    }
    if (Number.isFinite(wakeAt)) {
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, wakeAt - now));
    }
  }

  async #deliver(key: string, line: Pending<T>[]): Promise<void> {
    const head = line[0];
    if (!head) return;
    try {
      await this.send(key, head.item);
      line.shift();
      this.#notBefore.set(key, this.now() + this.options.perKeyIntervalMs);
      head.resolve();
    } catch (error) {
      if (error instanceof RateLimitedError) {
        const until = this.now() + Math.max(error.retryAfterMs, this.options.perKeyIntervalMs);
        if (error.global) this.#globalNotBefore = Math.max(this.#globalNotBefore, until);
        this.#notBefore.set(key, until);
      } else if (error instanceof TransientSendError && head.attempts + 1 < (this.options.maxTransientAttempts ?? 5)) {
        head.attempts += 1;
        this.#notBefore.set(key, this.now() + Math.min(30_000, 500 * 2 ** head.attempts));
      } else {
        line.shift();
        this.options.onGiveUp?.(key, error);
        head.reject(error);
      }
    } finally {
      this.#busy.delete(key);
      // The key's pause stays after its line empties: a new message right after must still wait.
      if (line.length === 0) this.#lines.delete(key);
      if (this.size === 0) this.#notifyIdle();
      this.#pump();
    }
  }

  #notifyIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
