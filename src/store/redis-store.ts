import { createClient } from "redis";
import { RahnamaError, isRahnamaError } from "../errors.js";
import type { Logger } from "../log.js";
import type { ScoredMember, Store, WriteOptions } from "./store.js";

/**
 * Compare-and-set in one step on the server: write ARGV[4] (or delete) only if the key still holds
 * what the caller read. This gives `update` atomicity without WATCH, which needs a dedicated connection.
 */
const compareAndSetScript = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if ARGV[3] == '1' then
  redis.call('DEL', KEYS[1])
elseif tonumber(ARGV[5]) > 0 then
  redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[4])
end
return 1
`;

/** INCRBY, and the window's expiry only on a key that has none, in one step (INCR then EXPIRE could lose it). */
const incrementScript = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 and redis.call('TTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return value
`;

const maxUpdateAttempts = 50;

/**
 * Longest wait for one command. A turn makes a dozen store calls and must end well within
 * TURN_TIMEOUT_MS, so that a webhook is refused (and redelivered) before the platform gives up on it.
 */
const commandTimeoutMs = 3_000;

function createRedisClient(url: string) {
  let connectedOnce = false;
  const client = createClient({
    url,
    // While Redis is away a command fails at once instead of waiting for the reconnection: the turn
    // fails, its webhook is refused, and the platform delivers the message again. Queued instead, a
    // turn would end in a timeout and then run on when Redis came back, answering no one.
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      // At start-up a wrong URL must fail fast; once running, keep retrying through Redis restarts.
      reconnectStrategy: (retries: number, cause: Error) =>
        connectedOnce ? Math.min(retries * 200, 5_000) : retries >= 2 ? cause : 200,
    },
  });
  client.on("ready", () => {
    connectedOnce = true;
  });
  return client;
}
type Client = ReturnType<typeof createRedisClient>;

export class RedisStore implements Store {
  readonly kind = "redis" as const;

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
  ) {}

  /** Connects and checks the server answers; a wrong URL fails here, at start-up. */
  static async connect(url: string, prefix: string, log: Logger): Promise<RedisStore> {
    const client = createRedisClient(url);
    let connected = false;
    client.on("error", (error: unknown) => {
      // Before the first connection the error thrown below says it once; a log line per attempt, each
      // with a stack, would bury that one line an operator needs at start-up.
      if (connected) log.warn({ err: error, code: "RAHNAMA_ERR_STORE_UNAVAILABLE" }, "redis connection error");
    });
    try {
      await client.connect();
      await client.ping();
      connected = true;
    } catch (error) {
      client.destroy();
      // The client's reason (refused, unknown host, wrong password) is what the operator acts on.
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").slice(0, 200);
      throw new RahnamaError(
        "STORE_UNAVAILABLE",
        `Cannot reach Redis at ${redactUrl(url)} (${redactUrl(reason)}); is it running, and is REDIS_URL right?`,
        { cause: error },
      );
    }
    return new RedisStore(client, prefix);
  }

  async get(key: string): Promise<string | null> {
    return this.#attempt(() => this.client.get(this.prefix + key));
  }

  async set(key: string, value: string, options?: WriteOptions): Promise<void> {
    await this.#attempt(() => this.client.set(this.prefix + key, value, expiration(options)));
  }

  async setIfAbsent(key: string, value: string, options?: WriteOptions): Promise<boolean> {
    const reply = await this.#attempt(() =>
      this.client.set(this.prefix + key, value, { ...expiration(options), condition: "NX" }),
    );
    return reply === "OK";
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return this.#attempt(() => this.client.del(keys.map((key) => this.prefix + key)));
  }

  async append(key: string, values: readonly string[], options?: WriteOptions): Promise<number> {
    const full = this.prefix + key;
    if (values.length === 0) return this.#attempt(() => this.client.lLen(full));
    const [length] = await this.#attempt(() => {
      const multi = this.client.multi().rPush(full, [...values]);
      if (options?.ttlSeconds !== undefined) multi.expire(full, options.ttlSeconds);
      // A MULTI is queued even while the client is offline, and without a timeout: bounded here.
      if (!this.client.isReady) throw new Error("The client is offline");
      return withDeadline(multi.exec(), commandTimeoutMs);
    });
    return Number(length);
  }

  async range(key: string, start: number, stop: number): Promise<string[]> {
    return this.#attempt(() => this.client.lRange(this.prefix + key, start, stop));
  }

  async length(key: string): Promise<number> {
    return this.#attempt(() => this.client.lLen(this.prefix + key));
  }

  async update(
    key: string,
    change: (current: string | null) => string | null,
    options?: WriteOptions,
  ): Promise<string | null> {
    const full = this.prefix + key;
    for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
      const current = await this.#attempt(() => this.client.get(full));
      const next = change(current);
      const written = await this.#attempt(() =>
        this.client.eval(compareAndSetScript, {
          keys: [full],
          arguments: [
            current === null ? "1" : "0",
            current ?? "",
            next === null ? "1" : "0",
            next ?? "",
            String(options?.ttlSeconds ?? 0),
          ],
        }),
      );
      if (written === 1) return next;
    }
    throw new RahnamaError("STORE_CONFLICT", `Gave up updating after ${maxUpdateAttempts} conflicting writes`, {
      // The kind of record only: a key names a conversation, and so a phone number or a chat id.
      details: { record: key.split(":")[0] },
    });
  }

  async increment(key: string, options?: WriteOptions & { readonly by?: number }): Promise<number> {
    const reply = await this.#attempt(() =>
      this.client.eval(incrementScript, {
        keys: [this.prefix + key],
        arguments: [String(options?.by ?? 1), String(options?.ttlSeconds ?? 0)],
      }),
    );
    return Number(reply);
  }

  async sortedAdd(key: string, members: readonly ScoredMember[]): Promise<void> {
    if (members.length === 0) return;
    await this.#attempt(() =>
      this.client.zAdd(
        this.prefix + key,
        members.map(({ member, score }) => ({ value: member, score })),
      ),
    );
  }

  async sortedRemove(key: string, members: readonly string[]): Promise<number> {
    if (members.length === 0) return 0;
    return this.#attempt(() => this.client.zRem(this.prefix + key, [...members]));
  }

  async sortedRange(key: string, bounds: { min?: number; max?: number } = {}): Promise<ScoredMember[]> {
    const min = bounds.min === undefined ? "-inf" : String(bounds.min);
    const max = bounds.max === undefined ? "+inf" : String(bounds.max);
    const found = await this.#attempt(() => this.client.zRangeWithScores(this.prefix + key, min, max, { BY: "SCORE" }));
    return found.map(({ value, score }) => ({ member: value, score }));
  }

  async keysWithPrefix(prefix: string): Promise<string[]> {
    return this.#attempt(async () => {
      const keys: string[] = [];
      const match = `${escapeGlob(this.prefix + prefix)}*`;
      for await (const batch of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
        for (const key of batch) keys.push(key.slice(this.prefix.length));
      }
      return keys;
    });
  }

  async ping(): Promise<void> {
    await this.#attempt(() => this.client.ping());
  }

  /**
   * Whatever Redis or the client refuses (offline, timed out, out of memory, read-only after a
   * failover) is one error to the callers: the store is unavailable. Neither the key nor the values
   * go into the message, which reaches the logs.
   */
  async #attempt<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (isRahnamaError(error)) throw error;
      throw new RahnamaError("STORE_UNAVAILABLE", undefined, { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }
}

/** Rejects after `ms`; the command itself may still run when Redis answers late. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function expiration(options?: WriteOptions) {
  return options?.ttlSeconds !== undefined ? { expiration: { type: "EX" as const, value: options.ttlSeconds } } : {};
}

function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, "\\$&");
}

/** Passwords in a Redis URL must not reach logs or error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
