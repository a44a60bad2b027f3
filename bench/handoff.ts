import { AccountRepository } from "../src/console/accounts.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { selectEmbedder } from "../src/retrieval/select-embedder.js";
import { runApp } from "../src/run.js";
import { MemoryStore } from "../src/store/memory-store.js";
import { FakeTelegram, fakeToken, textUpdate, type SentMessage } from "../test/channels/telegram/fake-telegram.js";
import { formatTable, summarise, type Summary } from "./stats.js";

/**
 * `npm run bench` (third part): the counsellor's side, over loopback HTTP with Telegram's Bot API faked
 * at the HTTP level (telegraf runs for real). Measured against the bot answering the same people on
 * the same channel in the same run:
 * - a counsellor's reply, from the console API call until Telegram is asked to send it;
 * - a person's message, from Telegram handing it over until the console's event stream carries it;
 * - the queue view with few and with many people waiting.
 * BENCH_HANDOFFS (default 60) people ask for a counsellor.
 */
const people = Number(process.env.BENCH_HANDOFFS ?? 60);
const password = "bench password long enough";

const log = createLogger({ level: "warn", personalData: false });
const telegram = await new FakeTelegram().start();
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: "warn",
  PORT: "0",
  HOST: "127.0.0.1",
  REDIS_URL: "",
  TELEGRAM_BOT_TOKEN: fakeToken,
  TELEGRAM_API_ROOT: telegram.url,
});
const store = new MemoryStore();
await new AccountRepository(store).add({ id: "bench", name: "Bench", role: "supervisor", countries: [] }, password);
const embedder = await selectEmbedder(config, log);
const running = await runApp(config, log, { store, embedder });
await running.relay;

// Resolves as soon as the fake Bot API records a message containing `needle` (no polling delay).
const waiters: { needle: string; done: () => void }[] = [];
const record = telegram.sent.push.bind(telegram.sent);
telegram.sent.push = (...messages: SentMessage[]) => {
  const length = record(...messages);
  for (const message of messages) {
    for (const waiter of waiters.filter((candidate) => message.text.includes(candidate.needle))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.done();
    }
  }
  return length;
};
const sentContaining = (needle: string) =>
  new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`Telegram was never sent "${needle}"`)), 30_000);
    waiters.push({
      needle,
      done: () => {
        clearTimeout(timer);
        done();
      },
    });
  });

const api = (path: string, init: RequestInit = {}) => fetch(`${running.url}/console/api${path}`, init);
const login = await api("/login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ id: "bench", password }),
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const { csrf } = (await login.json()) as { csrf: string };
const post = async (path: string, body: unknown) => {
  const response = await api(path, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${path} answered ${String(response.status)}`);
};
const timeQueue = async (reads: number): Promise<Summary> => {
  const samples: number[] = [];
  for (let i = 0; i < reads; i += 1) {
    const started = performance.now();
    await (await api("/queue", { headers: { cookie } })).arrayBuffer();
    samples.push(performance.now() - started);
  }
  return summarise(samples);
};

// 1. The bot's own answer on Telegram: a person asks for a counsellor.
const botTurn: number[] = [];
const chats = Array.from({ length: people }, (_, i) => 9_500_000 + i);
for (const chatId of chats.slice(0, 5)) {
  const heard = sentContaining("in the queue");
  telegram.push(textUpdate(chatId, "I want to talk to a counsellor"));
  await heard;
}
for (const chatId of chats.slice(5)) {
  // Until the answer's first message: Telegram paces later messages to a chat about a second apart.
  const heard = sentContaining("I have asked a counsellor");
  const started = performance.now();
  telegram.push(textUpdate(chatId, "I want to talk to a counsellor"));
  await heard;
  botTurn.push(performance.now() - started);
}
const queueFew = await timeQueue(20);

// 2. Counsellor replies, claimed one by one from the console API.
const relay: number[] = [];
for (const [i, chatId] of chats.entries()) {
  const key = `telegram:${String(chatId)}`;
  await post(`/conversations/${key}/claim`, {});
  const text = `Counsellor reply number ${String(i)}`;
  const delivered = sentContaining(text);
  const started = performance.now();
  await post(`/conversations/${key}/reply`, { text });
  await delivered;
  if (i >= 5) relay.push(performance.now() - started);
}

// 3. The person's answers reaching the console's event stream (the conversation is open there).
const events = await fetch(`${running.url}/console/api/events`, { headers: { cookie } });
const reader = (events.body as ReadableStream<Uint8Array>).getReader();
const decoder = new TextDecoder();
let buffered = "";
const arrived: { needle: string; done: () => void }[] = [];
void (async () => {
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    for (const waiter of arrived.filter((candidate) => buffered.includes(candidate.needle))) {
      arrived.splice(arrived.indexOf(waiter), 1);
      waiter.done();
    }
    buffered = buffered.slice(-4096);
  }
})();
const live: number[] = [];
for (const [i, chatId] of chats.entries()) {
  const key = `telegram:${String(chatId)}`;
  await (await api(`/conversations/${key}`, { headers: { cookie } })).arrayBuffer();
  const text = `answer from the person ${String(i)}`;
  const seen = new Promise<void>((done) => arrived.push({ needle: text, done }));
  const started = performance.now();
  telegram.push(textUpdate(chatId, text));
  await seen;
  if (i >= 5) live.push(performance.now() - started);
}
await reader.cancel();

// 4. The queue view with ten times as many people waiting (asking through the bot core, which is
// quicker to fill than Telegram's one-message-a-second pacing allows).
const { bot } = await running.ready;
for (let i = 0; i < people * 10; i += 1) {
  const conversation = `bench-queue-${String(i)}`;
  await bot.receive({
    id: `bench-queue-message-${String(i)}`,
    address: { channel: "webchat", user: conversation, conversation },
    text: i % 2 === 0 ? "I want to talk to a counsellor" : "talk to a human please",
    receivedAt: new Date(),
  });
}
const queueMany = await timeQueue(20);

await running.close();
await embedder.close();
await telegram.close();

const turn = summarise(botTurn);
const reply = summarise(relay);
const toConsole = summarise(live);
const row = (name: string, s: Summary) => [name, s.count, s.p50, s.p95, s.p99];
console.log(`\nRahnama handoff benchmark — ${String(people)} Telegram users (fake Bot API), embedder ${embedder.id}\n`);
console.log(
  formatTable(
    ["what", "n", "p50 ms", "p95 ms", "p99 ms"],
    [
      row("bot answers a request for a counsellor (first message)", turn),
      row("counsellor reply → Telegram sendMessage", reply),
      row("person's message → console event stream", toConsole),
      row(`GET /queue, ${String(people)} waiting`, queueFew),
      row(`GET /queue, ${String(people * 10)} waiting`, queueMany),
    ],
  ),
);
const ratios = {
  relayP50OverBotTurnP50: reply.p50 / turn.p50,
  toConsoleP50OverBotTurnP50: toConsole.p50 / turn.p50,
  queueManyOverFewP50: queueMany.p50 / queueFew.p50,
};
console.log(`\ncounsellor reply p50 / bot turn p50      = ${ratios.relayP50OverBotTurnP50.toFixed(3)}×`);
console.log(`person → console p50 / bot turn p50      = ${ratios.toConsoleP50OverBotTurnP50.toFixed(3)}×`);
console.log(`queue view p50, 10× the people waiting   = ${ratios.queueManyOverFewP50.toFixed(2)}×\n`);
console.log(
  JSON.stringify({
    people,
    embedder: embedder.id,
    botTurnMs: turn,
    relayMs: reply,
    toConsoleMs: toConsole,
    queueFewMs: queueFew,
    queueManyMs: queueMany,
    ratios,
  }),
);
