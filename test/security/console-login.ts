import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import type { RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { startTestApp } from "../helpers/app.js";
import { silentLog } from "../helpers/rahnama.js";

export const password = "correct horse battery staple";
export const redisUrl = inject("redisUrl");

/** The whole app on a Redis of the tests' own, under a fresh prefix, with the given accounts. */
export async function startOnRedis(env: Record<string, string>, accountIds: readonly string[]): Promise<RunningApp> {
  const store = await RedisStore.connect(redisUrl ?? "", `test:${randomUUID()}:`, silentLog);
  const accounts = new AccountRepository(store);
  for (const id of accountIds) {
    await accounts.add({ id, name: id, role: "counsellor", countries: ["BD"] }, password);
  }
  return startTestApp({ env, store });
}

/** One POST /console/api/login as a browser or script would send it. */
export function login(
  running: RunningApp,
  id: string,
  secret: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${running.url}/console/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ id, password: secret }),
  });
}

/** How many of the answers were each status (401: the password was checked; 429: refused unchecked). */
export function statuses(responses: readonly Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** `name=value` of the cookie a response set under `name`, for sending back in a `cookie` header. */
export function cookieSet(response: Response, name: string): string | null {
  const found = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  return found?.split(";")[0] ?? null;
}
