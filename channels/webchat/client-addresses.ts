import type { Store } from "../../src/store/store.js";
import type { UserIdHasher } from "../shared/user-ids.js";

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

const hourMs = 3_600_000;

/**
 * What web chat knows of where an anonymous client is: its network address, only ever kept as a keyed
 * hash (an IPv4 address is too easy to guess from a plain one) in counters that expire within the hour.
 */
export class ClientAddresses {
  constructor(
    private readonly store: Store,
    private readonly userIds: UserIdHasher,
    private readonly newConversationsPerHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Who sent a message, as the bot's flood grouping sees it: the same for every conversation of one address. */
  sender(ip: string): string {
    return `webchat-address:${this.#hash(ip)}`;
  }

  /**
   * Counts a new conversation from `ip` in this clock hour. Counted by clock hour, so a refused client
   * can be told exactly when to come back; refused attempts count too and change nothing.
   */
  async admitNewConversation(ip: string): Promise<Admission> {
    const now = this.now();
    const hour = Math.floor(now / hourMs);
    const count = await this.store.increment(`dl:new-conversations:${this.#hash(ip)}:${String(hour)}`, {
      ttlSeconds: 3_600,
    });
    if (count <= this.newConversationsPerHour) return { admitted: true };
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(((hour + 1) * hourMs - now) / 1000)) };
  }

  #hash(ip: string): string {
    return this.userIds.hash("webchat-address", ip);
  }
}
