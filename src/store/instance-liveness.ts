import { randomUUID } from "node:crypto";
import type { Logger } from "../log.js";
import type { Store } from "./store.js";

/**
 * How long an instance counts as alive after its last sign of life, and how often it gives one. The
 * refresh runs on the event loop, which a turn never blocks for long (embedding runs in a worker), so
 * four missed refreshes in a row mean the process is gone, not busy.
 */
const aliveSeconds = 10;
const refreshMs = 2_500;

function liveKey(id: string): string {
  return `instance:${id}:alive`;
}

/**
 * This process among the ones sharing a store. A claim on a message names the instance that holds it;
 * another process can then tell a claim whose owner is still at work from one left by a process that
 * died mid-turn (kill -9, a power cut), and take the latter over at once instead of turning the
 * message's retries away until the claim expires.
 */
export class InstanceLiveness {
  readonly id = randomUUID();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.#timer) return;
    await this.#beat();
    this.#timer = setInterval(() => {
      this.#beat().catch((error: unknown) => {
        // Claims of ours may be taken over meanwhile; the turns they guard still end once, since
        // a taken-over claim's turn is found answered (or is run) by whoever took it.
        this.log.warn({ err: error, code: "RAHNAMA_ERR_STORE_UNAVAILABLE" }, "instance liveness not refreshed");
      });
    }, refreshMs);
    this.#timer.unref();
  }

  /** On a clean stop the key goes at once, so claims this process left are taken over without waiting. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.store.delete([liveKey(this.id)]).catch(() => undefined);
  }

  /** Whether the instance that wrote a claim is still running (this one always is). */
  async isAlive(id: string): Promise<boolean> {
    if (id === this.id) return true;
    return (await this.store.get(liveKey(id))) !== null;
  }

  async #beat(): Promise<void> {
    await this.store.set(liveKey(this.id), new Date().toISOString(), { ttlSeconds: aliveSeconds });
  }
}
