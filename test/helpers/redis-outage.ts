import { randomUUID } from "node:crypto";
import type { RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { startTestApp } from "./app.js";
import { scrapeMetrics } from "./metrics.js";
import { silentLog } from "./rahnama.js";
import { canStartRedis, startThrowawayRedis, type ThrowawayRedis } from "./throwaway-redis.js";

/** Outage tests stop a redis-server of their own; in CI one must be there (they fail, not skip). */
export const canRunOutageTests = canStartRedis() || process.env.CI === "true";

/** A message every safety lexicon version catches (confiscated passport, violence, a plea). */
export const crisisMessage = "My boss took my passport and beats me, help me please";

/** The whole app on a Redis of its own, which a test can stop and bring back on the same port. */
export class RedisOutageRig {
  private constructor(
    private redis: ThrowawayRedis,
    readonly running: RunningApp,
  ) {}

  static async start(env: Record<string, string>): Promise<RedisOutageRig> {
    const redis = await startThrowawayRedis();
    const prefix = `test:${randomUUID()}:`;
    try {
      const running = await startTestApp({
        env: { ...env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix },
        store: await RedisStore.connect(redis.url, prefix, silentLog),
      });
      return new RedisOutageRig(redis, running);
    } catch (error) {
      await redis.stop();
      throw error;
    }
  }

  async stopRedis(): Promise<void> {
    await this.redis.stop();
  }

  /** Back on the same port, empty (it keeps nothing on disk); the app's client reconnects by itself. */
  async restartRedis(): Promise<void> {
    this.redis = await startThrowawayRedis({ port: this.redis.port });
  }

  async readyz(): Promise<number> {
    return (await fetch(`${this.running.url}/readyz`)).status;
  }

  async metrics(): Promise<string> {
    return scrapeMetrics(this.running.url);
  }

  /** rahnama_safety_escalations_unstored_total. */
  async unstoredEscalations(): Promise<number> {
    return Number(/^rahnama_safety_escalations_unstored_total (\d+)/m.exec(await this.metrics())?.[1] ?? "NaN");
  }

  /** Delivers again and again, as the platform does, until it is accepted; returns every status. */
  async redeliverUntilAccepted(deliver: () => Promise<Response>, timeoutMs = 60_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    const statuses: number[] = [];
    while (Date.now() < deadline) {
      statuses.push((await deliver()).status);
      if (statuses.at(-1) === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return statuses;
  }

  async close(): Promise<void> {
    try {
      await this.running.close();
    } finally {
      await this.redis.stop();
    }
  }
}
