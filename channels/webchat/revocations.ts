import type { Store } from "../../src/store/store.js";
import type { TokenSigner } from "./tokens.js";

/**
 * Direct Line tokens whose conversation was erased ("delete my data"). Tokens are signed, not stored, so
 * an erased conversation's tokens would otherwise open it again (and bring its keys back) until they
 * expire. One mark per erased conversation, named by a keyed reference of its id (it says nothing about
 * the person) and kept exactly as long as a token issued before the erasure can live; refreshing a
 * revoked token is refused, so no token outlives the mark.
 */
export class TokenRevocations {
  constructor(
    private readonly store: Store,
    private readonly tokens: TokenSigner,
  ) {}

  async revoke(conversationId: string): Promise<void> {
    // A minute more than a token's life: another process's clock may run a little behind this one's.
    await this.store.set(this.#key(conversationId), "1", { ttlSeconds: this.tokens.expiresIn + 60 });
  }

  async isRevoked(conversationId: string): Promise<boolean> {
    return (await this.store.get(this.#key(conversationId))) !== null;
  }

  #key(conversationId: string): string {
    return `dl:revoked:${this.tokens.reference(conversationId)}`;
  }
}
