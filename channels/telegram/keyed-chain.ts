import { KeyedLock } from "../../src/core/keyed-lock.js";

/**
 * Handles one chat's updates one after another, in arrival order (a batch from getUpdates runs in
 * parallel otherwise, and replies could overtake each other), and lets stop() wait for those in flight.
 */
export class KeyedChain {
  readonly #lock = new KeyedLock();
  readonly #inFlight = new Set<Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.#lock.run(key, task);
    const tracked = running.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(tracked);
    void tracked.then(() => this.#inFlight.delete(tracked));
    return running;
  }

  async idle(): Promise<void> {
    await Promise.all([...this.#inFlight]);
  }
}
