import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { vi } from "vitest";
import { projectRoot } from "../../src/paths.js";

export interface BotProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * `npm start`'s own entry point in a child process that a test can kill without a clean shutdown;
 * resolves once it listens and /readyz says ready. `env` is all the child gets besides PATH, PORT and HOST.
 */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the bot exited with ${String(code)} before listening`)));
  });
  await vi.waitFor(
    async () => {
      if ((await fetch(`${url}/readyz`)).status !== 200) throw new Error("not ready yet");
    },
    { timeout: 90_000, interval: 250 },
  );
  return { child, url };
}

/** kill -9: the process gets no chance to finish a turn or release anything. */
export function killBotProcess(bot: BotProcess): Promise<void> {
  return new Promise((resolve) => {
    bot.child.once("exit", () => resolve());
    bot.child.kill("SIGKILL");
  });
}
