import type { Store } from "../store/store.js";

/** Written by the readiness probe while an escalation waits; expires on its own. */
const probeKey = "health:write-probe";
const probeSeconds = 60;

/**
 * Cries for help whose turn failed before it was stored (store unreachable, turn timed out). The
 * channel was refused the delivery and brings the message again; that delivery stores it, provided
 * the store takes writes by then. So while any such failure is outstanding, readiness asks more of
 * the store than a PING, which a full or read-only (failed-over) Redis still answers: a write must
 * succeed. The wait ends when one does, in a later turn or in the probe itself.
 *
 * It does not wait for that very message to be stored: a channel may never bring it again (web chat
 * does not, Telegram gives up after a while), and a /readyz that never recovered would take the bot
 * out of service, which would stop the very redelivery that stores it.
 */
export class UnstoredEscalations {
  #waiting = 0;

  /** How many failed since the store last took a write. */
  get waiting(): number {
    return this.#waiting;
  }

  failed(): void {
    this.#waiting += 1;
  }

  /** A turn succeeded, so its writes reached the store. */
  stored(): void {
    this.#waiting = 0;
  }

  /** True when no escalation waits, or the store takes a write now (which ends the wait). */
  async storeTakesWrites(store: Store): Promise<boolean> {
    if (this.#waiting === 0) return true;
    try {
      await store.set(probeKey, new Date().toISOString(), { ttlSeconds: probeSeconds });
    } catch {
      return false;
    }
    this.stored();
    return true;
  }
}
