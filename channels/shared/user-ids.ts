import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Turns a channel's id for a person (a phone number, a Telegram user id) into an opaque, stable id.
 * Kept ids are hashed wherever the raw one is not needed to reply, so a copy of the store does not
 * list who wrote to an MRC. A keyed hash (HMAC), because phone numbers are few enough to guess.
 */
export class UserIdHasher {
  private constructor(private readonly salt: Buffer) {}

  static async fromConfig(configured: string | undefined, dataDir: string): Promise<UserIdHasher> {
    if (configured) return new UserIdHasher(Buffer.from(configured, "utf8"));
    const file = path.join(dataDir, "user-id-salt");
    let salt = await readFile(file).catch(() => null);
    if (!salt || salt.length < 16) {
      salt = randomBytes(32);
      await mkdir(dataDir, { recursive: true });
      await writeFile(file, salt, { mode: 0o600 });
    }
    return new UserIdHasher(salt);
  }

  /** For tests: a hasher with a fixed salt. */
  static withSalt(salt: string): UserIdHasher {
    return new UserIdHasher(Buffer.from(salt, "utf8"));
  }

  hash(channel: string, rawId: string): string {
    return createHmac("sha256", this.salt).update(`${channel}\u0000${rawId}`).digest("base64url").slice(0, 32);
  }
}
