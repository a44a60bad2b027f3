import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Store } from "../store/store.js";

/** How long a console login lasts; the cookie's Max-Age says the same. */
export const sessionSeconds = 8 * 3600;

/**
 * One stored session. Sessions written before `createdAt` existed fail this schema and so end: they
 * are not in any account's index, so no new password or supervisor could have ended them.
 */
const storedSession = z.object({
  accountId: z.string().min(1),
  csrf: z.string().min(1),
  createdAt: z.iso.datetime(),
});

export interface ConsoleSession {
  readonly token: string;
  /** Names the session in lists without giving away the token that is its secret. */
  readonly id: string;
  readonly accountId: string;
  readonly csrf: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** What a list of sessions shows. */
export interface SessionSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/**
 * Console sessions in the Store: `console:session:<token>` (expiring with the session) and, per
 * account, a sorted set of its tokens scored by expiry, so that all of an account's sessions can be
 * listed and ended without scanning every key.
 */
export class ConsoleSessions {
  constructor(private readonly store: Store) {}

  async start(accountId: string, now: Date): Promise<ConsoleSession> {
    const token = randomBytes(32).toString("base64url");
    const csrf = randomBytes(24).toString("base64url");
    const createdAt = now.toISOString();
    const expires = now.getTime() + sessionSeconds * 1000;
    // Indexed first: a session that exists is always one that "end all" can find.
    await this.store.sortedAdd(indexKey(accountId), [{ member: token, score: expires }]);
    await this.store.set(sessionKey(token), JSON.stringify({ accountId, csrf, createdAt }), {
      ttlSeconds: sessionSeconds,
    });
    return { token, id: publicId(token), accountId, csrf, createdAt, expiresAt: new Date(expires).toISOString() };
  }

  /** The live session of a token, or null (never issued, ended, expired or unreadable). */
  async read(token: string): Promise<ConsoleSession | null> {
    if (!isSessionToken(token)) return null;
    const raw = await this.store.get(sessionKey(token));
    if (!raw) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = storedSession.safeParse(json);
    if (!parsed.success) return null;
    const { accountId, csrf, createdAt } = parsed.data;
    const expiresAt = new Date(Date.parse(createdAt) + sessionSeconds * 1000).toISOString();
    return { token, id: publicId(token), accountId, csrf, createdAt, expiresAt };
  }

  /** The account's live sessions, oldest first; forgets index entries whose session is gone. */
  async list(accountId: string, now: Date): Promise<ConsoleSession[]> {
    const members = await this.#tokens(accountId, now);
    const read = await Promise.all(members.map((token) => this.read(token)));
    const gone = members.filter((_, index) => read[index]?.accountId !== accountId);
    if (gone.length > 0) await this.store.sortedRemove(indexKey(accountId), gone);
    return read.filter((session): session is ConsoleSession => session?.accountId === accountId);
  }

  /** Ends the account's sessions (only the one named by `id` when given); returns how many ended. */
  async end(accountId: string, now: Date, id?: string): Promise<number> {
    const tokens = (await this.#tokens(accountId, now)).filter((token) => id === undefined || publicId(token) === id);
    if (tokens.length === 0) return 0;
    const ended = await this.store.delete(tokens.map(sessionKey));
    await this.store.sortedRemove(indexKey(accountId), tokens);
    return ended;
  }

  /** Logout: ends the one session. */
  async endToken(token: string): Promise<void> {
    if (!isSessionToken(token)) return;
    const session = await this.read(token);
    await this.store.delete([sessionKey(token)]);
    if (session) await this.store.sortedRemove(indexKey(session.accountId), [token]);
  }

  async #tokens(accountId: string, now: Date): Promise<string[]> {
    const all = await this.store.sortedRange(indexKey(accountId));
    const expired = all.filter((entry) => entry.score <= now.getTime()).map((entry) => entry.member);
    // Expired sessions left their keys to the TTL; their index entries go here.
    if (expired.length > 0) await this.store.sortedRemove(indexKey(accountId), expired);
    return all.filter((entry) => entry.score > now.getTime()).map((entry) => entry.member);
  }
}

export function summary(session: ConsoleSession): SessionSummary {
  return { id: session.id, createdAt: session.createdAt, expiresAt: session.expiresAt };
}

/** The shape start() gives tokens (32 random bytes, base64url); anything else is refused unread. */
function isSessionToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

function sessionKey(token: string): string {
  return `console:session:${token}`;
}

function indexKey(accountId: string): string {
  return `console:sessions:${accountId}`;
}

function publicId(token: string): string {
  return createHash("sha256").update(token).digest("base64url").slice(0, 22);
}
