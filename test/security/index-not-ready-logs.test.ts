import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { Embedder } from "../../src/retrieval/embedder.js";
import { runApp, type RunningApp } from "../../src/run.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "../channels/whatsapp-cloud/fake-graph.js";
import { DirectLineClient } from "../helpers/app.js";
import { sharedEmbedder, testConfig } from "../helpers/rahnama.js";

interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly code?: string;
  readonly err?: unknown;
}

/**
 * Issue 13 (Low): while the knowledge index loads after a restart, requests are refused with 503
 * RAHNAMA_ERR_INDEX_NOT_READY so that platforms deliver again. That is expected, so each is one short
 * line, not an error with a stack that buries real failures.
 */
describe("requests while the index is still loading", { timeout: 120_000 }, () => {
  const graph = new FakeGraph();
  const lines: LogLine[] = [];
  let running: RunningApp;
  let loaded: () => void = () => undefined;

  beforeAll(async () => {
    await graph.start();
    const real = await sharedEmbedder();
    const gate = new Promise<void>((resolve) => (loaded = resolve));
    // Start-up gives the embedder its memory back once the index and examples are embedded: held here,
    // the app stays not ready for as long as the test needs.
    const held: Embedder = {
      id: real.id,
      dimension: real.dimension,
      languages: real.languages,
      embedQueries: (texts) => real.embedQueries(texts),
      embedPassages: (texts) => real.embedPassages(texts),
      releaseMemory: () => gate,
      close: async () => undefined,
    };
    const log = createLogger({
      level: "debug",
      personalData: false,
      destination: {
        write: (chunk: string) => {
          for (const line of chunk.split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
        },
      },
    });
    running = await runApp(testConfig(whatsappEnv(graph)), log, { store: new MemoryStore(), embedder: held });
  });
  afterAll(async () => {
    loaded();
    await running?.close();
    await graph.stop();
  });

  it("are answered 503 and logged as one info line each, without an error or a stack", async () => {
    const body = JSON.stringify(webhookPayload("8801711555123", { type: "text", text: { body: "hello" } }));
    const whatsApp = await fetch(`${running.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
    expect(whatsApp.status).toBe(503);
    const directLine = new DirectLineClient(running.url);
    const conversation = await directLine.start();
    const webChat = await directLine.post(conversation, { type: "message", from: { id: "person" }, text: "hello" });
    expect(webChat.status).toBe(503);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(503);

    const notReady = lines.filter((line) => line.code === "RAHNAMA_ERR_INDEX_NOT_READY");
    expect(notReady).toHaveLength(2);
    for (const line of notReady) {
      expect(line.level).toBe(30);
      expect(line.err).toBeUndefined();
      expect(JSON.stringify(line)).not.toContain("stack");
    }
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);

    loaded();
    await running.ready;
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
  });
});
