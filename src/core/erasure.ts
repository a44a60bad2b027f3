import type { Store } from "../store/store.js";
import type { Conversation } from "./conversation.js";
import type { Address } from "./message.js";

/** Deletes what a channel keeps of one conversation (e.g. the web chat's activity log). */
export type ChannelEraser = (address: Address) => Promise<void>;

/**
 * "Delete my data": removes everything the bot keeps about a conversation — state, transcript,
 * handoff history and request, feedback, de-duplication marks — and asks each channel to drop its own
 * copy. Keys are named after the conversation so nothing is left behind by a forgotten key type.
 */
export class Erasure {
  readonly #channelErasers: ChannelEraser[] = [];
  readonly #conversationErasers: ((conversationKey: string, conversation: Conversation) => Promise<void>)[] = [];

  constructor(private readonly store: Store) {}

  /**
   * Removes what another part keeps under the conversation's key (handoff: log, queue entry, indexes).
   * It is given the conversation as it was, so that it can tell whoever followed it (the console).
   */
  registerPart(eraser: (conversationKey: string, conversation: Conversation) => Promise<void>): void {
    this.#conversationErasers.push(eraser);
  }

  registerChannel(eraser: ChannelEraser): void {
    this.#channelErasers.push(eraser);
  }

  async erase(conversation: Conversation): Promise<number> {
    const { key, address } = conversation;
    const exact = [`conv:${key}`, `transcript:${key}`, `feedback:${key}`];
    // The separator keeps the scan to this conversation: "seen:webchat:ab:" never matches "webchat:abc".
    const marks = await this.store.keysWithPrefix(`seen:${key}:`);
    const deleted = await this.store.delete([...exact, ...marks]);
    for (const eraser of this.#conversationErasers) await eraser(key, conversation);
    for (const eraser of this.#channelErasers) await eraser(address);
    return deleted;
  }
}
