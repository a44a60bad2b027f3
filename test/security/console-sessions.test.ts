import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import type { RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { startTestApp } from "../helpers/app.js";
import { consoleClient, consolePassword, type ConsoleSession } from "../helpers/console-client.js";
import { silentLog } from "../helpers/rahnama.js";

const run = promisify(execFile);
const redisUrl = inject("redisUrl");

interface SessionList {
  account: string;
  sessions: { id: string; createdAt: string; expiresAt: string; current: boolean }[];
}

/**
 * Issue 13, item 8: a new password ends the account's sessions, and sessions can be listed and ended
 * (by their owner, or by a supervisor of the counsellor's MRC).
 */
describe.runIf(redisUrl)("console sessions: listed, ended, and ended by a new password", { timeout: 90_000 }, () => {
  const prefix = `test:${randomUUID()}:`;
  let store: Store;
  let running: RunningApp;
  const console_ = consoleClient(() => running.url);
  const status = async (session: ConsoleSession) => (await console_.get("/queue", session)).status;

  beforeAll(async () => {
    store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    const accounts = new AccountRepository(store);
    for (const id of ["amina", "nadia"]) {
      await accounts.add({ id, name: id, role: "counsellor", countries: ["BD"] }, consolePassword);
    }
    await accounts.add({ id: "farid", name: "Farid", role: "counsellor", countries: ["BD"] }, consolePassword);
    await accounts.add({ id: "sara", name: "Sara", role: "supervisor", countries: ["BD"] }, consolePassword);
    await accounts.add({ id: "omar", name: "Omar", role: "supervisor", countries: ["PK"] }, consolePassword);
    running = await startTestApp({ env: { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix }, store });
  });
  afterAll(async () => {
    await running?.close();
    await store?.close();
  });

  it("ends every session of an account when counsellor:add gives it a new password", async () => {
    const laptop = await console_.login("amina");
    const phone = await console_.login("amina");
    const stream = await console_.events(phone);
    expect(await status(laptop)).toBe(200);

    const env = { ...process.env, REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix, LOG_LEVEL: "warn" };
    const args = ["tsx", "scripts/counsellor-add.ts", "--id", "amina", "--name", "Amina", "--countries", "BD"];
    await run("npx", args, { env: { ...env, COUNSELLOR_PASSWORD: "a brand new password" } });

    expect(await status(laptop)).toBe(401);
    expect(await status(phone)).toBe(401);
    await stream.ended;
    expect(await status(await console_.login("amina", "a brand new password"))).toBe(200);
  });

  it("lets a supervisor of the MRC list a counsellor's sessions and end them, one or all; nobody else", async () => {
    const first = await console_.login("nadia");
    const second = await console_.login("nadia");
    const farid = await console_.login("farid");
    const sara = await console_.login("sara");
    const omar = await console_.login("omar");

    // The owner sees her own sessions, the one she uses marked; never a session's secret.
    const own = await console_.get("/accounts/nadia/sessions", first);
    expect(own.status).toBe(200);
    const mine = (await own.json()) as SessionList;
    expect(mine.sessions).toHaveLength(2);
    expect(mine.sessions.filter((session) => session.current)).toHaveLength(1);
    const serialised = JSON.stringify(mine);
    for (const session of [first, second]) expect(serialised).not.toContain(session.cookie.split("=")[1]);

    // Another counsellor, and a supervisor of another MRC, may neither look nor end.
    expect((await console_.get("/accounts/nadia/sessions", farid)).status).toBe(403);
    expect((await console_.post("/accounts/nadia/sessions/end", farid)).status).toBe(403);
    expect((await console_.post("/accounts/nadia/sessions/end", omar)).status).toBe(403);
    expect(await status(first)).toBe(200);
    expect(await status(second)).toBe(200);

    // Her MRC's supervisor ends one session, then the rest.
    const listed = (await (await console_.get("/accounts/nadia/sessions", sara)).json()) as SessionList;
    expect(listed.sessions).toHaveLength(2);
    const current = mine.sessions.find((session) => session.current);
    const ended = await console_.post("/accounts/nadia/sessions/end", sara, { session: current?.id });
    expect(await ended.json()).toEqual({ ended: 1 });
    expect(await status(first)).toBe(401);
    expect(await status(second)).toBe(200);
    expect((await console_.post("/accounts/nadia/sessions/end", sara)).status).toBe(200);
    expect(await status(second)).toBe(401);
    expect(await status(sara)).toBe(200);
    expect(((await (await console_.get("/accounts/nadia/sessions", sara)).json()) as SessionList).sessions).toEqual([]);
  });

  it("tells browsers and proxies to keep no copy of any console API answer", async () => {
    const sara = await console_.login("sara");
    for (const response of [
      await console_.get("/session", sara),
      await console_.get("/queue", sara),
      await console_.get("/accounts/sara/sessions", sara),
      await console_.api("/queue"),
      await console_.api("/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: "sara", password: "not her password" }),
      }),
    ]) {
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });
});
