import { readFileSync } from "node:fs";
import path from "node:path";
import { createRahnama } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import type { InboundInput } from "../src/core/message.js";
import { createLogger } from "../src/log.js";
import { runApp } from "../src/run.js";
import { selectEmbedder } from "../src/retrieval/select-embedder.js";
import { MemoryStore } from "../src/store/memory-store.js";
import { projectRoot } from "../src/paths.js";
import { isOffTopic, loadQuestions, questionFiles } from "./evaluate.js";
import { formatTable, runConcurrently, summarise, type Summary } from "./stats.js";

/**
 * `npm run bench`: the message pipeline in-process and through Direct Line over loopback, next to the
 * bare embedder measured in the same run, so pipeline overhead reads as a ratio, not a machine-bound
 * number. Settings: BENCH_MESSAGES (default 240), BENCH_CONCURRENCY (default 8).
 */
const totalMessages = Number(process.env.BENCH_MESSAGES ?? 240);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

/**
 * Leaflet questions in every language, from the evaluation sets. Each phase below gets its own slice:
 * the embedder remembers recent queries (a turn embeds a message once for the classifier and once for
 * the search), and a question asked again in a later phase would be measured without its embedding.
 */
const leafletQuestions = (await loadQuestions(await questionFiles(path.join(projectRoot, "test", "eval"))))
  .filter((q) => !isOffTopic(q))
  .map((q) => q.question);
const englishQuestions = (
  JSON.parse(readFileSync(new URL("../test/retrieval/english-questions.json", import.meta.url), "utf8")) as {
    question: string;
  }[]
).map((q) => q.question);
const intentMessages = [
  "hello",
  "thanks a lot",
  "bye",
  "menu",
  "change language",
  "ধন্যবাদ",
  "السلام علیکم",
  "спасибо",
  "salom",
];
/** Two intent messages for every leaflet question: roughly what MRC chat logs look like. */
const questionsPerPhase = Math.ceil(totalMessages / 3);
const mixFor = (phase: number) =>
  Array.from({ length: totalMessages }, (_, i) =>
    i % 3 === 2
      ? (leafletQuestions[(phase * questionsPerPhase + Math.floor(i / 3)) % leafletQuestions.length] ?? "")
      : (intentMessages[i % intentMessages.length] ?? ""),
  );
if (leafletQuestions.length < questionsPerPhase * 3) {
  console.warn(
    `Only ${leafletQuestions.length} leaflet questions: later phases repeat some (their embeddings are cached).`,
  );
}

const log = createLogger({ level: "warn", personalData: false });
// One loopback client stands for many users: lift the per-IP rate limit.
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: "warn",
  PORT: "0",
  HOST: "127.0.0.1",
  REDIS_URL: "",
  RATE_LIMIT_PER_MINUTE: "100000",
});
const embedder = await selectEmbedder(config, log);

// 1. The bare embedder, one query at a time: the floor under the retrieval path.
for (const question of ["warm up one", "warm up two", "warm up three"]) await embedder.embedQueries([question]);
const embedSamples: number[] = [];
for (const question of englishQuestions) {
  const started = performance.now();
  await embedder.embedQueries([question]);
  embedSamples.push(performance.now() - started);
}
const embed = summarise(embedSamples);

// 2. The bot core in-process, sequential (latency per path) and concurrent (throughput).
const rahnama = await createRahnama(config, log, { store: new MemoryStore(), embedder });
let counter = 0;
const inbound = (text: string, conversation: string): InboundInput => {
  counter += 1;
  return {
    id: `bench-${counter}`,
    address: { channel: "webchat", user: conversation, conversation },
    text,
    receivedAt: new Date(),
  };
};
// A reply that quotes a leaflet searched the index (whether a topic intent or the fallback asked).
const byPath: Record<"intent" | "retrieval", number[]> = { intent: [], retrieval: [] };
for (const text of intentMessages) await rahnama.bot.receive(inbound(text, "warm-up"));
for (const [i, text] of mixFor(0).entries()) {
  const started = performance.now();
  const replies = await rahnama.bot.receive(inbound(text, `seq-${i % 20}`));
  const elapsed = performance.now() - started;
  byPath[replies.some((reply) => reply.citations.length > 0) ? "retrieval" : "intent"].push(elapsed);
}
const coreMix = mixFor(1);
const coreWall = await runConcurrently(coreMix, concurrency, async (text, i) => {
  await rahnama.bot.receive(inbound(text, `conc-${i % (concurrency * 4)}`));
});

// 3. The whole server: Direct Line over loopback HTTP, as the widget uses it.
const running = await runApp(config, log, { store: new MemoryStore(), embedder });
await running.ready;
const conversations = await Promise.all(
  Array.from({ length: concurrency }, async () => {
    const response = await fetch(`${running.url}/v3/directline/conversations`, { method: "POST" });
    return (await response.json()) as { conversationId: string; token: string };
  }),
);
const httpSamples: number[] = [];
const httpMix = mixFor(2);
const httpWall = await runConcurrently(httpMix, concurrency, async (text, i) => {
  const conversation = conversations[i % conversations.length];
  if (!conversation) return;
  const started = performance.now();
  const response = await fetch(`${running.url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
    method: "POST",
    headers: { authorization: `Bearer ${conversation.token}`, "content-type": "application/json" },
    body: JSON.stringify({ type: "message", from: { id: "bench" }, text }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`Direct Line answered ${response.status}`);
  httpSamples.push(performance.now() - started);
});
const http = summarise(httpSamples);
await running.close();
await rahnama.close();

const intent = summarise(byPath.intent);
const retrieval = summarise(byPath.retrieval);
const row = (name: string, s: Summary, perSecond: number | string) => [name, s.count, perSecond, s.p50, s.p95, s.p99];
console.log(
  `\nRahnama benchmark — ${totalMessages} messages (1 in 3 a leaflet question, in every language, none asked twice), concurrency ${concurrency}, embedder ${embedder.id}\n`,
);
console.log(
  formatTable(
    ["what", "n", "msg/s", "p50 ms", "p95 ms", "p99 ms"],
    [
      row("bare embedder, 1 query", embed, 1000 / embed.mean),
      row("core: intent path (no leaflet)", intent, 1000 / intent.mean),
      row("core: leaflet answer", retrieval, 1000 / retrieval.mean),
      [`core: mixed, ${concurrency} concurrent`, coreMix.length, (coreMix.length / coreWall) * 1000, "", "", ""],
      row(`Direct Line HTTP, ${concurrency} concurrent`, http, (httpMix.length / httpWall) * 1000),
    ],
  ),
);
const ratios = {
  retrievalP50OverEmbedderP50: retrieval.p50 / embed.p50,
  intentP50OverEmbedderP50: intent.p50 / embed.p50,
  directLineThroughputOverCore: httpMix.length / httpWall / (coreMix.length / coreWall),
};
console.log(
  `\nleaflet answer p50 / bare embedder p50 = ${ratios.retrievalP50OverEmbedderP50.toFixed(2)}×  (pipeline overhead on top of embedding)`,
);
console.log(`intent p50 / bare embedder p50    = ${ratios.intentP50OverEmbedderP50.toFixed(2)}×`);
console.log(`Direct Line msg/s / core msg/s    = ${ratios.directLineThroughputOverCore.toFixed(2)}×\n`);
console.log(
  JSON.stringify({
    messages: totalMessages,
    concurrency,
    embedder: embedder.id,
    embedderMs: embed,
    intentMs: intent,
    retrievalMs: retrieval,
    coreMessagesPerSecond: (coreMix.length / coreWall) * 1000,
    directLineMs: http,
    directLineMessagesPerSecond: (httpMix.length / httpWall) * 1000,
    ratios,
  }),
);
await embedder.close();
