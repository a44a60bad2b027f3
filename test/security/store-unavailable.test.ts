import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { AccountRepository } from "../../src/console/accounts.js";
import { projectRoot } from "../../src/paths.js";
import { DirectLineClient, type DirectLineConversation } from "../helpers/app.js";
import { consoleClient, consolePassword, type ConsoleSession } from "../helpers/console-client.js";
import { RedisOutageRig, canRunOutageTests } from "../helpers/redis-outage.js";
import { startThrowawayRedis } from "../helpers/throwaway-redis.js";
import { FakeConnector } from "../channels/botframework/fake-connector.js";
import { FakeTelegram, fakeToken, textUpdate } from "../channels/telegram/fake-telegram.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "../channels/whatsapp-cloud/fake-graph.js";

const telegramSecret = "outage-secret-0123456789";

/** What an operator or a client sees of a refusal: the status and the error code. */
async function outcome(response: Response): Promise<{ status: number; code: string | null }> {
  const text = await response.text();
  try {
    return { status: response.status, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null };
  } catch {
    return { status: response.status, code: null };
  }
}

const unavailable = { status: 503, code: "RAHNAMA_ERR_STORE_UNAVAILABLE" };

/**
 * Issue 13, item 10: with Redis down, every request that needs the store was a 500 "Internal error"; it
 * is a 503 with the code STORE_UNAVAILABLE, which a client and a platform can retry and an operator can
 * grep for.
 */
describe.runIf(canRunOutageTests)("every route that needs the store, while Redis is down", { timeout: 180_000 }, () => {
  let telegram: FakeTelegram;
  const graph = new FakeGraph();
  let connector: FakeConnector;
  let rig: RedisOutageRig;
  let directLine: DirectLineClient;
  let chat: DirectLineConversation;
  let session: ConsoleSession;
  const console_ = consoleClient(() => rig.running.url);

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    await graph.start();
    connector = await FakeConnector.start();
    rig = await RedisOutageRig.start({
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_WEBHOOK_URL: "https://bot.mrc.example.org/webhooks/telegram",
      TELEGRAM_WEBHOOK_SECRET: telegramSecret,
      ...whatsappEnv(graph),
      BOTFRAMEWORK_EMULATOR_URL: connector.url,
    });
    const rahnama = await rig.running.ready;
    await new AccountRepository(rahnama.services.store).add(
      { id: "amina", name: "Amina", role: "counsellor", countries: ["BD"] },
      consolePassword,
    );
    directLine = new DirectLineClient(rig.running.url);
    chat = await directLine.start();
    session = await console_.login("amina");
    await rig.stopRedis();
  }, 180_000);
  afterAll(async () => {
    await rig?.close();
    await telegram?.close();
    await graph.stop();
    await connector?.close();
  });

  it("web chat: starting, writing and reading a conversation answer 503 STORE_UNAVAILABLE", async () => {
    const base = rig.running.url;
    expect(await outcome(await fetch(`${base}/v3/directline/conversations`, { method: "POST" }))).toEqual(unavailable);
    const written = await directLine.post(chat, { type: "message", from: { id: "person" }, text: "hello" });
    expect(await outcome(written)).toEqual(unavailable);
    const read = await fetch(`${base}/v3/directline/conversations/${chat.conversationId}/activities`, {
      headers: { authorization: `Bearer ${chat.token}` },
    });
    expect(await outcome(read)).toEqual(unavailable);
  });

  it("web chat: the live stream closes with 'try again later', not 'unauthorised', so the widget keeps its conversation", async () => {
    const socket = new WebSocket(chat.streamUrl);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })),
    );
    // 4401 and 4404 make the widget forget the conversation and start a new one (widget.js).
    expect(closed).toEqual({ code: 1013, reason: "RAHNAMA_ERR_STORE_UNAVAILABLE" });
  });

  it("webhooks: Telegram, WhatsApp Cloud and Bot Framework answer 503 STORE_UNAVAILABLE, so they deliver again", async () => {
    const base = rig.running.url;
    const telegramUpdate = await fetch(`${base}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": telegramSecret },
      body: JSON.stringify({ update_id: telegram.nextUpdateId(), ...textUpdate(7301, "hello", { messageId: 3 }) }),
    });
    expect(await outcome(telegramUpdate)).toEqual(unavailable);

    const body = JSON.stringify(webhookPayload("447700900301", { type: "text", text: { body: "hello" } }));
    const whatsapp = await fetch(`${base}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
    expect(await outcome(whatsapp)).toEqual(unavailable);

    const botFramework = await fetch(`${base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "message",
        id: randomUUID(),
        channelId: "emulator",
        serviceUrl: connector.url,
        from: { id: "user-1", role: "user" },
        recipient: { id: "rahnama-bot", role: "bot" },
        conversation: { id: `conv-${randomUUID()}` },
        text: "hello",
      }),
    });
    expect(await outcome(botFramework)).toEqual(unavailable);
  });

  it("console API: logging in and reading the queue answer 503 STORE_UNAVAILABLE", async () => {
    const login = await fetch(`${rig.running.url}/console/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "amina", password: consolePassword }),
    });
    expect(await outcome(login)).toEqual(unavailable);
    expect(await outcome(await console_.get("/session", session))).toEqual(unavailable);
    expect(await outcome(await console_.get("/queue", session))).toEqual(unavailable);
    const claim = await console_.post(`/conversations/webchat:${chat.conversationId}/claim`, session);
    expect(await outcome(claim)).toEqual(unavailable);
  });

  it("/readyz says not ready because of the store, while /healthz still answers", async () => {
    const readyz = await fetch(`${rig.running.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ status: "store-unavailable", checks: { store: false } });
    expect((await fetch(`${rig.running.url}/healthz`)).status).toBe(200);
  });
});

/** Runs the bot as an operator would (`npm start`), until it exits by itself. */
function startBot(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "src/main.ts")], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.runIf(canRunOutageTests)("starting with Redis unreachable", { timeout: 90_000 }, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "rahnama-no-redis-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("says so in one line, without a stack, and exits 69 (EX_UNAVAILABLE)", async () => {
    // A port where a Redis was a moment ago: nothing listens there now.
    const gone = await startThrowawayRedis();
    await gone.stop();
    const { code, stdout, stderr } = await startBot({
      REDIS_URL: `redis://:s3cret-password@127.0.0.1:${String(gone.port)}`,
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
    });
    expect(code).toBe(69);
    const lines = `${stdout}${stderr}`.split("\n").filter((line) => line.trim() !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^RAHNAMA_ERR_STORE_UNAVAILABLE: Cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+/);
    expect(lines[0]).not.toContain("s3cret-password");
    expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
  });
});
