import type { Address, QuickReply } from "../../src/core/message.js";
import { conversationKey } from "../../src/core/conversation.js";
import type { Store } from "../../src/store/store.js";

const ttlSeconds = 86_400;

/** Where the options last offered in a conversation are kept. */
export function optionsKey(address: Address): string {
  return `options:${conversationKey(address)}`;
}

/**
 * Remembers the quick replies last offered in a conversation, so that a channel can send short
 * handles instead of the payloads (Telegram's callback_data is at most 64 bytes) or ask for a number
 * instead of a tap (WhatsApp Web), and map the answer back to the action. Kept in the Store, so a
 * restart between the offer and the answer loses nothing.
 */
export class OptionMemory {
  constructor(private readonly store: Store) {}

  async remember(address: Address, quickReplies: readonly QuickReply[]): Promise<void> {
    if (quickReplies.length === 0) return;
    await this.store.set(optionsKey(address), JSON.stringify(quickReplies.map((reply) => reply.action)), {
      ttlSeconds,
    });
  }

  /** Forgets what was offered ("delete my data"); registered as a channel eraser by src/run.ts. */
  async forget(address: Address): Promise<void> {
    await this.store.delete([optionsKey(address)]);
  }

  /** The action behind option number `choice` (1-based), or null when there is none. */
  async action(address: Address, choice: number): Promise<string | null> {
    const stored = await this.store.get(optionsKey(address));
    if (!stored) return null;
    const actions = JSON.parse(stored) as unknown;
    if (!Array.isArray(actions)) return null;
    const action: unknown = actions[choice - 1];
    return typeof action === "string" ? action : null;
  }

  /** Reads "2", "２", "۲", "٢" or "২" as a choice number; anything else is not a choice. */
  static choiceNumber(text: string): number | null {
    const ascii = text
      .trim()
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
      .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
      .replace(/[\u09E6-\u09EF]/g, (d) => String(d.charCodeAt(0) - 0x09e6))
      .replace(/[\uFF10-\uFF19]/g, (d) => String(d.charCodeAt(0) - 0xff10))
      .replace(/[.)]$/, "");
    return /^\d{1,2}$/.test(ascii) ? Number(ascii) : null;
  }
}
