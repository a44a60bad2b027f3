import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { z } from "zod";
import type { Store } from "../store/store.js";
import { ConsoleSessions } from "./sessions.js";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export const accountSchema = z.object({
  id: z.string().regex(/^[a-z0-9._-]{2,64}$/, "2-64 of a-z 0-9 . _ -"),
  name: z.string().min(1).max(120),
  role: z.enum(["counsellor", "supervisor"]),
  /**
   * ISO codes of the countries whose conversations this account's MRC serves. A counsellor sees only
   * those (and conversations whose country is not known yet); a supervisor with none sees all.
   */
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).max(50),
  /** Languages the counsellor counsels in (3-letter codes); the queue marks those cases "for you". None: any. */
  languages: z
    .array(z.string().regex(/^[a-z]{3}$/))
    .max(20)
    .default([]),
  /** Topics (intent ids such as `safety` or `fee-check`) the counsellor specialises in. None: any. */
  topics: z
    .array(z.string().regex(/^[a-z0-9-]{2,40}$/))
    .max(30)
    .default([]),
  /** `scrypt$<salt b64>$<hash b64>`; never leaves the server. */
  passwordHash: z.string(),
});
export type Account = z.infer<typeof accountSchema>;
export type PublicAccount = Omit<Account, "passwordHash">;

/** Counsellor and supervisor accounts, with scrypt-hashed passwords, in the Store. */
export class AccountRepository {
  constructor(private readonly store: Store) {}

  async add(
    account: Omit<Account, "passwordHash" | "languages" | "topics"> & Partial<Pick<Account, "languages" | "topics">>,
    password: string,
  ): Promise<PublicAccount> {
    if (password.length < 12) throw new Error("A password needs at least 12 characters");
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, 32);
    const stored = accountSchema.parse({
      ...account,
      passwordHash: `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`,
    });
    await this.store.set(key(stored.id), JSON.stringify(stored));
    // Replacing an account (a new password, other countries) must not leave a stolen or stale login
    // working under the old terms.
    await new ConsoleSessions(this.store).end(stored.id, new Date());
    return publicAccount(stored);
  }

  async get(id: string): Promise<PublicAccount | null> {
    const account = await this.#read(id);
    return account ? publicAccount(account) : null;
  }

  /** The account when the password is right, else null; takes the same time for an unknown account. */
  async verify(id: string, password: string): Promise<PublicAccount | null> {
    const account = await this.#read(id);
    const [, saltText, hashText] = (account?.passwordHash ?? `scrypt$${"A".repeat(24)}$${"A".repeat(44)}`).split("$");
    const expected = Buffer.from(hashText ?? "", "base64");
    const actual = await scryptAsync(password, Buffer.from(saltText ?? "", "base64"), 32);
    const same = expected.length === actual.length && timingSafeEqual(expected, actual);
    return account && same ? publicAccount(account) : null;
  }

  async #read(id: string): Promise<Account | null> {
    const raw = await this.store.get(key(id));
    if (!raw) return null;
    const parsed = accountSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }
}

function key(id: string): string {
  return `console:account:${id}`;
}

function publicAccount(account: Account): PublicAccount {
  return {
    id: account.id,
    name: account.name,
    role: account.role,
    countries: account.countries,
    languages: account.languages,
    topics: account.topics,
  };
}
