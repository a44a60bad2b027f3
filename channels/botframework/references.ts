import type { ConversationReference } from "botbuilder";
import type { Store } from "../../src/store/store.js";

/** Where the reference needed to write to a conversation later is kept; erasure deletes it. */
export function referenceKey(conversationId: string): string {
  return `botframework:ref:${conversationId}`;
}

/**
 * The conversation references of Bot Framework conversations, so that a counsellor's reply or a
 * reminder can reach the person after the turn has ended (`continueConversationAsync`). Only what
 * addressing needs is kept: not the person's id or display name.
 */
export class ConversationReferences {
  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
  ) {}

  async save(reference: Partial<ConversationReference>): Promise<void> {
    const conversation = reference.conversation;
    if (!conversation?.id || !reference.serviceUrl) return;
    const kept: Partial<ConversationReference> = {
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      ...(reference.locale ? { locale: reference.locale } : {}),
      ...(reference.bot ? { bot: { id: reference.bot.id, name: reference.bot.name } } : {}),
      conversation: {
        id: conversation.id,
        isGroup: conversation.isGroup,
        conversationType: conversation.conversationType,
        ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}),
        name: "",
      },
    };
    await this.store.set(referenceKey(conversation.id), JSON.stringify(kept), { ttlSeconds: this.ttlSeconds });
  }

  async load(conversationId: string): Promise<Partial<ConversationReference> | null> {
    const stored = await this.store.get(referenceKey(conversationId));
    return stored ? (JSON.parse(stored) as Partial<ConversationReference>) : null;
  }

  async delete(conversationId: string): Promise<void> {
    await this.store.delete([referenceKey(conversationId)]);
  }
}
