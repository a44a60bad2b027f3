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

  constructor(private readonly store: Store) {}

  registerChannel(eraser: ChannelEraser): void {
    this.#channelErasers.push(eraser);
  }

  async erase(conversation: Conversation): Promise<number> {
    const { key, address } = conversation;
    const related = await Promise.all(
      [
        `conv:${key}`,
        `transcript:${key}`,
        `handoff:`,
        `feedback:${key}`,
        `seen:${address.channel}:${address.conversation}`,
      ].map((prefix) => this.store.keysWithPrefix(prefix)),
    );
    const keys = related
      .flat()
      .filter((candidate) => !candidate.startsWith("handoff:") || candidate.endsWith(`:${key}`));
    const deleted = await this.store.delete(keys);
    for (const eraser of this.#channelErasers) await eraser(address);
    return deleted;
  }
}
