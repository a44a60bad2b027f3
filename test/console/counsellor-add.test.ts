import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { silentLog } from "../helpers/rahnama.js";

const run = promisify(execFile);
const redisUrl = inject("redisUrl");

describe.runIf(redisUrl)("npm run counsellor:add", () => {
  it("creates an account whose password then logs in, and refuses a short password", { timeout: 60_000 }, async () => {
    const prefix = `test:${randomUUID()}:`;
    const env = { ...process.env, REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix, LOG_LEVEL: "warn" };
    const args = ["tsx", "scripts/counsellor-add.ts", "--id", "amina", "--name", "Amina", "--countries", "bd,pk"];
    const { stdout } = await run("npx", args, { env: { ...env, COUNSELLOR_PASSWORD: "a long enough password" } });
    expect(stdout).toContain("Account amina (counsellor; BD, PK) saved.");

    const store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    const accounts = new AccountRepository(store);
    expect(await accounts.verify("amina", "a long enough password")).toMatchObject({ countries: ["BD", "PK"] });
    expect(await accounts.verify("amina", "wrong password here")).toBeNull();
    expect(await store.get("console:account:amina")).not.toContain("a long enough password");
    await store.close();

    await expect(run("npx", args, { env: { ...env, COUNSELLOR_PASSWORD: "short" } })).rejects.toMatchObject({
      code: 65,
    });
  });
});
