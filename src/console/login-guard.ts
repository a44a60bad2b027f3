import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Store } from "../store/store.js";

/**
 * Limits on guessing counsellor passwords. OWASP ASVS 4.0.3 V2.2.1 asks for anti-automation that does
 * not hand an attacker a denial of service: a plain per-account lockout lets anyone lock a counsellor
 * out by typing wrong passwords, and behind a proxy every client shares one address, so a lockout per
 * account and address does the same. We follow the "device cookie" scheme OWASP describes for this
 * (Slow Down Online Guessing Attacks with Device Cookies):
 *
 * - a client that never logged in to the account is counted per account and address (few tries, short
 *   wait) and per account over all addresses (ASVS's ceiling of 100 an hour, against guessing spread
 *   over many addresses);
 * - a browser where the account logged in before carries a device cookie and is counted on its own, so
 *   it still gets in while strangers have used up the other two counters. A device over its own limit
 *   is treated as a stranger: a stolen cookie buys a handful of guesses, not a way around the limits.
 *
 * Every attempt is counted before its password is checked, atomically in the Store, so parallel guesses
 * cannot all slip in under the limit while the first ones are still being hashed.
 */
export const loginLimits = {
  /** A client without this account's device cookie, at one address. */
  perAddress: { failures: 5, windowSeconds: 15 * 60 },
  /** All clients without this account's device cookie, wherever they are. */
  perAccount: { failures: 100, windowSeconds: 60 * 60 },
  /** One browser the account logged in on before. */
  perDevice: { failures: 5, windowSeconds: 15 * 60 },
} as const;

export const deviceCookieName = "rahnama_console_device";
/** A counsellor who works a shift a week keeps being recognised; one who stops is forgotten. */
const deviceSeconds = 90 * 86_400;
/** Accounts recognised on one browser: an MRC's shared desk computer, not a way to fill Redis. */
const maxAccountsPerDevice = 20;

const deviceToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const deviceRecord = z.object({ accounts: z.array(z.string()).max(maxAccountsPerDevice) });

export interface LoginAttempt {
  /** After the right password: forgets the failures this attempt was counted against; the device token to set. */
  succeeded(): Promise<string>;
}

export class LoginGuard {
  constructor(private readonly store: Store) {}

  /**
   * Counts an attempt at `accountId` from `address` before the password is checked: null when it must
   * be refused unchecked. A failed check needs nothing more; the attempt stays counted.
   */
  async begin(accountId: string, address: string, cookieHeader: string | undefined): Promise<LoginAttempt | null> {
    const device = await this.#device(cookieHeader);
    if (device?.accounts.includes(accountId)) {
      const failures = await this.store.increment(deviceFailuresKey(device.hash, accountId), {
        ttlSeconds: loginLimits.perDevice.windowSeconds,
      });
      if (failures <= loginLimits.perDevice.failures) {
        // Strangers' counters are left alone: her success must not give a guesser at her address fresh tries.
        return this.#attempt(accountId, device, {});
      }
    }
    const addressKey = addressFailuresKey(accountId, address);
    const fromAddress = await this.store.increment(addressKey, { ttlSeconds: loginLimits.perAddress.windowSeconds });
    if (fromAddress > loginLimits.perAddress.failures) return null;
    // Counted only once the address may try: a locked-out client hammering on must not lock the account.
    const accountKey = accountFailuresKey(accountId);
    const forAccount = await this.store.increment(accountKey, { ttlSeconds: loginLimits.perAccount.windowSeconds });
    if (forAccount > loginLimits.perAccount.failures) return null;
    return this.#attempt(accountId, device, { addressKey, accountKey });
  }

  /** The Set-Cookie value that makes this browser a known device (sent to the login call only). */
  static cookie(token: string, secure: boolean): string {
    return `${deviceCookieName}=${token}; Path=/console/api/login; HttpOnly; SameSite=Strict; Max-Age=${String(deviceSeconds)}${secure ? "; Secure" : ""}`;
  }

  #attempt(
    accountId: string,
    device: { hash: string; token: string } | null,
    counted: { readonly addressKey?: string; readonly accountKey?: string },
  ): LoginAttempt {
    const { addressKey, accountKey } = counted;
    return {
      succeeded: async () => {
        if (addressKey) await this.store.delete([addressKey]);
        // Decremented, not cleared: a distributed guesser's failures still count within the hour.
        if (accountKey) await this.store.increment(accountKey, { by: -1 });
        const token = device?.token ?? randomBytes(32).toString("base64url");
        const hash = device?.hash ?? hashToken(token);
        await this.store.delete([deviceFailuresKey(hash, accountId)]);
        await this.store.update(
          deviceKey(hash),
          (current) => {
            const known = readRecord(current)?.accounts ?? [];
            const accounts = [accountId, ...known.filter((id) => id !== accountId)].slice(0, maxAccountsPerDevice);
            return JSON.stringify({ accounts });
          },
          { ttlSeconds: deviceSeconds },
        );
        return token;
      },
    };
  }

  async #device(cookieHeader: string | undefined): Promise<{ token: string; hash: string; accounts: string[] } | null> {
    const token = deviceToken.safeParse(readCookie(cookieHeader, deviceCookieName));
    if (!token.success) return null;
    const hash = hashToken(token.data);
    const record = readRecord(await this.store.get(deviceKey(hash)));
    return record ? { token: token.data, hash, accounts: record.accounts } : null;
  }
}

/** A device record as stored; anything else (unreadable, another shape) counts as no record. */
function readRecord(raw: string | null): z.infer<typeof deviceRecord> | null {
  if (!raw) return null;
  try {
    return deviceRecord.safeParse(JSON.parse(raw)).data ?? null;
  } catch {
    return null;
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

/** Only a hash is stored: a copy of the store does not hand out working device cookies. */
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function addressFailuresKey(accountId: string, address: string): string {
  return `console:login-failures:${accountId}:${address}`;
}

function accountFailuresKey(accountId: string): string {
  return `console:login-failures-account:${accountId}`;
}

function deviceFailuresKey(hash: string, accountId: string): string {
  return `console:login-failures-device:${hash}:${accountId}`;
}

function deviceKey(hash: string): string {
  return `console:login-device:${hash}`;
}
