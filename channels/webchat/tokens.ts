import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const payloadSchema = z.object({ c: z.string().min(1), e: z.number() });

/**
 * Direct Line tokens: the conversation id and an expiry, signed with HMAC-SHA256. A token opens one
 * conversation only, so nobody can read another person's chat by guessing its id.
 */
export class TokenSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The configured secret, else one generated once and kept in the data folder (tokens survive restarts). */
  static async fromConfig(configured: string | undefined, dataDir: string, ttlSeconds: number): Promise<TokenSigner> {
    if (configured) return new TokenSigner(Buffer.from(configured, "utf8"), ttlSeconds);
    const file = path.join(dataDir, "directline-secret");
    let secret = await readFile(file).catch(() => null);
    if (!secret || secret.length < 32) {
      secret = randomBytes(48);
      await mkdir(dataDir, { recursive: true });
      await writeFile(file, secret, { mode: 0o600 });
    }
    return new TokenSigner(secret, ttlSeconds);
  }

  get expiresIn(): number {
    return this.ttlSeconds;
  }

  issue(conversationId: string): string {
    const payload = Buffer.from(
      JSON.stringify({ c: conversationId, e: Math.floor(this.now() / 1000) + this.ttlSeconds }),
    ).toString("base64url");
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The conversation id the token opens, or null when it is forged, malformed or expired. */
  verify(token: string): string | null {
    // Exactly what issue() writes: a token with more segments or trailing bytes is not one of ours, even
    // when its first two segments verify.
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    const [, payload, signature] = match ?? [];
    if (!payload || !signature) return null;
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
      if (!parsed.success || parsed.data.e * 1000 < this.now()) return null;
      return parsed.data.c;
    } catch {
      return null;
    }
  }

  /**
   * A keyed reference of a conversation id, for marks that must outlive the conversation without
   * naming it (the revocation of an erased conversation's tokens).
   */
  reference(conversationId: string): string {
    return createHmac("sha256", this.secret).update(`ref\u0000${conversationId}`).digest("base64url").slice(0, 22);
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}
