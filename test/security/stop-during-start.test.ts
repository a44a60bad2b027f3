import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { projectRoot } from "../../src/paths.js";

const redisUrl = inject("redisUrl");

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Issue 13 (Low, init/PID 1): `docker stop` sends SIGTERM and kills the container 10 s later. A bot
 * still building its knowledge index on its first start must stop at once, not after the build, and
 * must not leave the build running as an orphan.
 */
describe.runIf(redisUrl)("a stop while the bot is still building its index", { timeout: 180_000 }, () => {
  let dataDir = "";
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("stops without waiting for the build, and the build's child process goes too", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "rahnama-stop-"));
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? "",
        REDIS_URL: redisUrl ?? "",
        REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
        DATA_DIR: dataDir,
        INDEX_BUILD: "child",
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const messages: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const builder = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
        const entry = JSON.parse(line) as { msg?: string; pid?: number };
        messages.push(entry.msg ?? "");
        if (entry.msg === "building the knowledge index in a child process" && entry.pid) resolve(entry.pid);
      });
      void exited.then((code) => reject(new Error(`the bot exited with ${String(code)} before building`)));
    });

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // Before, the stop waited for the whole build: the bot said "ready" and only then exited.
    expect(messages).toContain("stopping");
    expect(messages).not.toContain("ready");
    await vi.waitFor(() => expect(isRunning(builder)).toBe(false), { timeout: 30_000, interval: 200 });
  });
});
