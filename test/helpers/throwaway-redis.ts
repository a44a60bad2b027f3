import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createClient } from "redis";

export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Whether this machine can start a redis-server of a test's own (to stop it, as in an outage). */
export function canStartRedis(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of our own on a free port, keeping nothing on disk, so tests never touch real data.
 * Given `port` (one stopped before), it comes back where its clients will reconnect, empty.
 */
export async function startThrowawayRedis(options: { port?: number } = {}): Promise<ThrowawayRedis> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    { stdio: "ignore" },
  );
  const failed = new Promise<never>((_, reject) => child.once("error", reject));
  failed.catch(() => undefined);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on("error", () => undefined);
    try {
      await Promise.race([client.connect(), failed]);
      await client.ping();
      await client.close();
      break;
    } catch (error) {
      client.destroy();
      if (Date.now() > deadline) {
        child.kill();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}
