import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginLimits } from "../../src/console/login-guard.js";
import type { RunningApp } from "../../src/run.js";
import { cookieSet, login, password, redisUrl, startOnRedis, statuses } from "./console-login.js";

const deviceCookie = "rahnama_console_device";

/**
 * Online guessing of counsellor passwords, against the lockout as it runs in production (Redis). The
 * app is reached on 127.0.0.1 like every client behind a proxy when TRUST_PROXY is not set: all of them
 * share one address.
 */
describe.runIf(redisUrl)("console login lockout, all clients at one address", { timeout: 120_000 }, () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startOnRedis({}, ["amina", "farid", "sara", "bilal"]);
  });
  afterAll(async () => {
    await running.close();
  });

  it("checks at most the limit of 60 wrong passwords sent at once; the others are refused unchecked", async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => login(running, "sara", `guess ${i}`)));
    const counted = statuses(answers);
    expect(counted[401]).toBe(loginLimits.perAddress.failures);
    expect(counted[429]).toBe(60 - loginLimits.perAddress.failures);
    // The right password is refused too, unchecked, while the address is locked out.
    expect((await login(running, "sara", password)).status).toBe(429);
  });

  it("still lets the counsellor in from a browser she logged in on before, once guessing locked the address", async () => {
    const earlier = await login(running, "amina", password);
    expect(earlier.status).toBe(200);
    const device = cookieSet(earlier, deviceCookie);
    expect(device).not.toBeNull();
    expect(earlier.headers.getSetCookie().find((c) => c.startsWith(deviceCookie))).toMatch(/HttpOnly; SameSite=Strict/);

    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => login(running, "amina", `guess ${i}`)));
    expect(statuses(guesses)[401]).toBe(loginLimits.perAddress.failures);
    expect((await login(running, "amina", password)).status).toBe(429);

    const mistyped = await login(running, "amina", "correct horse battery stapel", { cookie: device ?? "" });
    expect(mistyped.status).toBe(401);
    const back = await login(running, "amina", password, { cookie: device ?? "" });
    expect(back.status).toBe(200);
    expect(cookieSet(back, "rahnama_console")).toMatch(/^rahnama_console=.+/);
  });

  it("does not make a browser's cookie a way around the limit: it only counts its own failures apart", async () => {
    const earlier = await login(running, "farid", password);
    const device = cookieSet(earlier, deviceCookie) ?? "";
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(running, "farid", `guess ${i}`, { cookie: device })),
    );
    // The device's own failures, then those of any client at this address.
    expect(statuses(answers)[401]).toBeLessThanOrEqual(
      loginLimits.perDevice.failures + loginLimits.perAddress.failures,
    );
    expect(statuses(answers)[429]).toBeGreaterThanOrEqual(
      60 - loginLimits.perDevice.failures - loginLimits.perAddress.failures,
    );
  });

  it("forgets an address's failures when the password is right", async () => {
    for (let i = 0; i < loginLimits.perAddress.failures - 1; i += 1) {
      expect((await login(running, "bilal", "guess")).status).toBe(401);
    }
    expect((await login(running, "bilal", password)).status).toBe(200);
    for (let i = 0; i < loginLimits.perAddress.failures; i += 1) {
      expect((await login(running, "bilal", "guess")).status).toBe(401);
    }
    expect((await login(running, "bilal", "guess")).status).toBe(429);
  });
});

/** Clients at many addresses, each named by the proxy in front (the test client, 127.0.0.1). */
describe.runIf(redisUrl)("console login lockout, clients at many addresses", { timeout: 180_000 }, () => {
  let running: RunningApp;
  const from = (address: string) => ({ "x-forwarded-for": address });

  beforeAll(async () => {
    running = await startOnRedis({ TRUST_PROXY: "127.0.0.1" }, ["amina", "farid"]);
  });
  afterAll(async () => {
    await running.close();
  });

  it("locks out the guessing client, not the counsellor logging in from another address", async () => {
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(running, "amina", `guess ${i}`, from("203.0.113.7"))),
    );
    expect(statuses(guesses)[401]).toBe(loginLimits.perAddress.failures);
    expect((await login(running, "amina", password, from("203.0.113.7"))).status).toBe(429);
    expect((await login(running, "amina", password, from("198.51.100.20"))).status).toBe(200);
  });

  it("caps guessing spread over many addresses per account; a browser she used before still gets in", async () => {
    const earlier = await login(running, "farid", password, from("198.51.100.30"));
    const device = cookieSet(earlier, deviceCookie) ?? "";
    const answers: Response[] = [];
    // Fewer guesses per address than that address's own limit, from enough addresses to pass the account's.
    const addresses = Math.ceil((loginLimits.perAccount.failures + 20) / (loginLimits.perAddress.failures - 1));
    for (let a = 0; a < addresses; a += 1) {
      const address = `192.0.2.${a + 1}`;
      answers.push(
        ...(await Promise.all(
          Array.from({ length: loginLimits.perAddress.failures - 1 }, (_, i) =>
            login(running, "farid", `guess ${a}-${i}`, from(address)),
          ),
        )),
      );
    }
    expect(statuses(answers)[401]).toBe(loginLimits.perAccount.failures);
    // A client that never logged in is refused while the account is under attack; she is not.
    expect((await login(running, "farid", password, from("198.51.100.31"))).status).toBe(429);
    expect((await login(running, "farid", password, { ...from("198.51.100.32"), cookie: device })).status).toBe(200);
  });
});
