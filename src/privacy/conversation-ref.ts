/** A keyed hash (channels/shared/user-ids.ts UserIdHasher): stable for one deployment, unguessable without its salt. */
export interface KeyedHasher {
  hash(channel: string, rawId: string): string;
}

/**
 * The one way to name a conversation where its key must not appear (logs, the console's audit log,
 * marks that outlive an erasure): a conversation key holds a WhatsApp phone number or a Telegram chat
 * id. Keyed, because phone numbers are few enough to hash them all; stable, so an operator with the
 * salt can still find every line about one conversation (hash its key the same way).
 */
export function conversationRef(hasher: KeyedHasher, conversationKey: string): string {
  return `c_${hasher.hash("conversation", conversationKey).slice(0, 16)}`;
}
