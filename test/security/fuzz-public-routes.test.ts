import { createServer, type ClientRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { textUpdate } from "../channels/telegram/fake-telegram.js";
import { sign, webhookPayload } from "../channels/whatsapp-cloud/fake-graph.js";
import type { ActivityJson, DirectLineConversation } from "../helpers/app.js";
import type { ConsoleSession } from "../helpers/console-client.js";
import { startPublicRoutesApp, telegramSecret, type PublicRoutesApp } from "./public-routes-app.js";

/**
 * Issue 13 (Low): random requests against every public route must never get a 5xx or bring the process
 * down. Seeded, so a failure can be replayed: FUZZ_SEED=<seed> FUZZ_RUNS=<n> CI=true npx vitest run
 * test/security/fuzz-public-routes.test.ts. Bounded by the number of inputs, not by time.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20_261_213);
const runs = Number(process.env.FUZZ_RUNS ?? 1_000);

/** mulberry32: small, fast and the same on every machine. */
class Random {
  #state: number;
  constructor(seedValue: number) {
    this.#state = seedValue >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

const alphabets = [
  "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,?!",
  "আমি দালালকে টাকা দিয়েছি ভিসা পাসপোর্ট",
  "میرا پاسپورٹ مالک نے لے لیا مدد",
  "мой паспорт забрали помогите работа",
  "پاسپورت ویزا کار کمک",
  "😀👍🏽🇧🇩‍❤️",
  "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff\u0301",
  "\u0000\u0001\u0007\b\t\n\r\u001b\u007f",
  "\ud800\udc00\udfff\ud83d",
  "'\"<>&%{}[]\\/$`;|*",
];

const nastyStrings = [
  "",
  " ",
  "../../../../etc/passwd",
  "..%2f..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e%2f",
  "....//....//",
  "%00",
  "%",
  "%ED%A0%80",
  "%C0%AF",
  "\u0000",
  "__proto__",
  "constructor",
  "prototype",
  "%s%s%s%n",
  "${7*7}{{7*7}}",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "NaN",
  "-1",
  "1e309",
  "9007199254740993",
  "null",
  "o:1",
  "intent:counsellor",
  "safety:danger-yes",
  "telegram:1",
  "webchat:abc",
  "whatsapp:8801711000000",
];

function randomString(r: Random): string {
  if (r.chance(0.25)) return r.pick(nastyStrings);
  if (r.chance(0.05)) return r.pick(alphabets).repeat(1 + r.int(r.chance(0.5) ? 400 : 12_000));
  // UTF-16 code units on purpose: half an emoji is one of the things a client may send.
  const alphabet = r.pick(alphabets);
  const length = r.pick([1, 3, 8, 20, 60, 300]);
  let text = "";
  for (let i = 0; i < length; i += 1) text += alphabet.charAt(r.int(alphabet.length));
  return text;
}

function randomNumber(r: Random): number {
  return r.pick([0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 4_294_967_296, -2_147_483_649, r.int(1e9)]);
}

function randomValue(r: Random, depth = 0): unknown {
  const kind = r.int(depth > 3 ? 4 : 7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return randomNumber(r);
    case 3:
      return randomString(r);
    case 4:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    default: {
      const value: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i -= 1) value[randomString(r).slice(0, 40)] = randomValue(r, depth + 1);
      return value;
    }
  }
}

/** Nesting written as text: a value this deep cannot even be built and stringified in the test. */
function deepText(r: Random): string {
  const levels = r.pick([40, 63, 65, 200, 5_000, 10_000, 30_000]);
  return r.chance(0.5)
    ? `${"[".repeat(levels)}${"]".repeat(levels)}`
    : `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}

type Json = Record<string, unknown>;

/** The paths of every value in a JSON tree, for mutations. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const found: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => found.push(...paths(item, [...prefix, i])));
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...prefix, key]));
  return found;
}

/** A valid payload with one to three things wrong: a field gone, of the wrong type, huge, unicode, deep. */
function mutated(r: Random, template: Json): string {
  const copy = JSON.parse(JSON.stringify(template)) as Json;
  let deep: string | null = null;
  for (let n = 1 + r.int(3); n > 0; n -= 1) {
    const all = paths(copy).filter((p) => p.length > 0);
    if (all.length === 0) {
      copy[randomString(r).slice(0, 30)] = randomValue(r);
      continue;
    }
    const target = r.pick(all);
    const parentPath = target.slice(0, -1);
    const key = target[target.length - 1] as string | number;
    let parent: unknown = copy;
    for (const step of parentPath) parent = (parent as Record<string | number, unknown>)[step];
    if (!parent || typeof parent !== "object") continue;
    const holder = parent as Record<string | number, unknown>;
    const op = r.int(5);
    if (op === 0) {
      if (Array.isArray(holder)) holder.splice(Number(key), 1);
      else Reflect.deleteProperty(holder, key);
    } else if (op === 1) holder[key] = randomValue(r);
    else if (op === 2) holder[key] = randomString(r);
    else if (op === 3) holder[key] = "__DEEP__";
    else holder[randomString(r).slice(0, 30)] = randomValue(r);
    if (op === 3) deep = deepText(r);
  }
  const text = JSON.stringify(copy);
  return deep ? text.replace('"__DEEP__"', deep) : text;
}

/** A body: mostly a broken version of what the route expects, else anything at all. */
function randomBody(r: Random, template: Json | null): string {
  const roll = r.int(10);
  if (template && roll < 5) return mutated(r, template);
  if (roll === 5) return deepText(r);
  if (roll === 6) return r.pick(["", "{", "[1,", '{"a":}', "nul", "\u0000", "{}{}", '"\\ud800"', "\ufeff{}"]);
  if (roll === 7 && template) return JSON.stringify(template);
  if (roll === 8) return randomString(r);
  return JSON.stringify(randomValue(r));
}

const contentTypes = [
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json; charset=utf-16le",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/vnd.api+json",
  "",
];

/** encodeURIComponent, which throws on half an emoji: that half goes as the raw bytes a client could send. */
function enc(text: string): string {
  const lone = /([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/;
  return text
    .split(lone)
    .map((part, i) => (i % 2 === 1 ? "%ED%A0%80" : encodeURIComponent(part)))
    .join("");
}

/** A header value fetch accepts (Latin-1, no line breaks), from anything random. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "").slice(0, 2_000);
}

function randomHeaders(r: Random): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.chance(0.3))
    headers.authorization = headerSafe(`${r.pick(["Bearer ", "Basic ", "", "bearer  "])}${randomString(r)}`);
  if (r.chance(0.3))
    headers.cookie = headerSafe(`${r.pick(["rahnama_console=", "rahnama_console_device=", ""])}${randomString(r)}`);
  if (r.chance(0.2)) headers["x-forwarded-for"] = headerSafe(r.pick(["1.2.3.4", "::1, 10.0.0.1", randomString(r)]));
  if (r.chance(0.1)) headers.origin = headerSafe(r.pick(["https://mrc.example.org", "null", randomString(r)]));
  if (r.chance(0.1)) headers["x-csrf-token"] = headerSafe(randomString(r));
  if (r.chance(0.1)) headers.accept = headerSafe(r.pick(["*/*", "text/event-stream", randomString(r)]));
  return headers;
}

/** A path segment: usually the right kind of id, else anything, encoded or not. */
function segment(r: Random, good: string): string {
  if (r.chance(0.5)) return good;
  const text = r.chance(0.5) ? r.pick(nastyStrings) : randomString(r);
  return r.chance(0.7) ? enc(text).slice(0, 600) : headerSafe(text).replace(/[?#]/g, "");
}

interface Input {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

describe("random requests against every public route", { timeout: 600_000 }, () => {
  let app: PublicRoutesApp;
  let connector: { url: string; close: () => Promise<void> };
  let chat: DirectLineConversation;
  let session: ConsoleSession;

  beforeAll(async () => {
    // The Bot Framework Emulator's connector, where replies go in emulator mode: takes anything.
    const server: Server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end('{"id":"sent"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    connector = { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
    app = await startPublicRoutesApp({
      BOTFRAMEWORK_EMULATOR_URL: url,
      RATE_LIMIT_PER_MINUTE: "100000",
      WEBCHAT_NEW_CONVERSATIONS_PER_HOUR: "100000",
    });
    await app.running.ready;
    chat = await app.directLine.start();
    session = await app.console.login("amina");
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
  });

  it("refuses with 400 what the fuzz found answered with 500: a Bot Framework activity with a number for channelId, or half an emoji in an id", async () => {
    const activity = {
      type: "message",
      id: "a293111544",
      channelId: 0,
      serviceUrl: connector.url,
      from: { id: "user-1", role: "user" },
      recipient: { id: "bot", role: "bot" },
      conversation: { id: "c605754886" },
      locale: "en-US",
      text: "hello",
    };
    expect((await app.post("/api/messages", JSON.stringify(activity))).status).toBe(400);
    for (const field of ["serviceUrl", "locale", "text", "replyToId"]) {
      expect(
        (await app.post("/api/messages", JSON.stringify({ ...activity, channelId: "emulator", [field]: 7 }))).status,
      ).toBe(400);
    }
    expect(
      (await app.post("/api/messages", JSON.stringify({ ...activity, channelId: "emulator", conversation: "c1" })))
        .status,
    ).toBe(400);
    // Half a surrogate pair in an id that goes into the connector's URL (seed 7).
    for (const broken of [{ id: "a\ud83d" }, { conversation: { id: "c\udf00" } }]) {
      const body = JSON.stringify({ ...activity, channelId: "emulator", ...broken });
      expect((await app.post("/api/messages", body)).status).toBe(400);
    }
    expect((await app.post("/api/messages", JSON.stringify({ ...activity, channelId: "emulator" }))).status).toBe(200);
  });

  it("closes a WebSocket upgrade to a URL it cannot decode (found by the fuzz: its socket stayed open for good)", async () => {
    const sockets: Socket[] = [];
    const onUpgrade = (request: IncomingMessage) => sockets.push(request.socket);
    app.running.app.server.on("upgrade", onUpgrade);
    const clients: ClientRequest[] = [];
    try {
      for (const id of ["%C0%AF", "%", "%ED%A0%80"]) {
        const url = `${app.running.url.replace("http", "ws")}/v3/directline/conversations/${id}/stream?t=${chat.token}`;
        const status = await new Promise((resolve) => {
          const socket = new WebSocket(url);
          // The client keeps its end open, as a careless or hostile one would.
          socket.on("unexpected-response", (request, response) => {
            clients.push(request);
            response.resume();
            resolve(response.statusCode);
          });
          socket.on("error", () => resolve("error"));
        });
        expect(status).toBe(400);
      }
      await vi.waitFor(() => expect(sockets.map((socket) => socket.destroyed)).toEqual([true, true, true]), {
        timeout: 10_000,
      });
    } finally {
      app.running.app.server.off("upgrade", onUpgrade);
      for (const request of clients) request.destroy();
    }
  });

  it(`answers ${String(runs)} seeded random requests (seed ${String(seed)}) without a 5xx, then still chats`, async () => {
    const r = new Random(seed);
    const histogram: Record<string, number> = {};
    const failures: string[] = [];
    const bearer = { authorization: `Bearer ${chat.token}` };
    const logged = { cookie: session.cookie, "x-csrf-token": session.csrf };
    const activity: Json = { type: "message", from: { id: "fuzz" }, text: "hello", locale: "en-US" };
    const botActivity = (): Json => ({
      type: "message",
      id: `a${String(r.int(1e9))}`,
      channelId: "emulator",
      serviceUrl: connector.url,
      from: { id: "user-1", role: "user" },
      recipient: { id: "bot", role: "bot" },
      conversation: { id: `c${String(r.int(1e9))}` },
      locale: "en-US",
      text: "hello",
    });
    const conversationKey = `webchat:${chat.conversationId}`;

    const generators: ((r: Random) => Input)[] = [
      () => ({
        route: "dl generate",
        method: "POST",
        path: "/v3/directline/tokens/generate",
        headers: randomHeaders(r),
        body: randomBody(r, {}),
      }),
      () => ({
        route: "dl refresh",
        method: "POST",
        path: "/v3/directline/tokens/refresh",
        headers: r.chance(0.5) ? { ...bearer } : randomHeaders(r),
        body: randomBody(r, {}),
      }),
      () => ({
        route: "dl start",
        method: "POST",
        path: "/v3/directline/conversations",
        headers: r.chance(0.3) ? { ...bearer } : randomHeaders(r),
        body: randomBody(r, {}),
      }),
      () => ({
        route: "dl get",
        method: "GET",
        path: `/v3/directline/conversations/${segment(r, chat.conversationId)}${r.chance(0.5) ? `?watermark=${enc(randomString(r).slice(0, 50))}` : ""}`,
        headers: r.chance(0.6) ? { ...bearer } : randomHeaders(r),
      }),
      () => ({
        route: "dl activities get",
        method: "GET",
        path: `/v3/directline/conversations/${segment(r, chat.conversationId)}/activities?watermark=${enc(r.chance(0.5) ? String(randomNumber(r)) : randomString(r).slice(0, 50))}`,
        headers: r.chance(0.6) ? { ...bearer } : randomHeaders(r),
      }),
      () => ({
        route: "dl activities post",
        method: "POST",
        path: `/v3/directline/conversations/${segment(r, chat.conversationId)}/activities`,
        headers: { ...(r.chance(0.8) ? bearer : randomHeaders(r)) },
        body: randomBody(r, activity),
      }),
      () => ({
        route: "telegram",
        method: "POST",
        path: "/webhooks/telegram",
        headers: r.chance(0.8)
          ? { "x-telegram-bot-api-secret-token": telegramSecret }
          : { "x-telegram-bot-api-secret-token": headerSafe(randomString(r)) },
        body: randomBody(r, { update_id: r.int(1e9), ...textUpdate(8000 + r.int(50), "hello") }),
      }),
      () => {
        const body = randomBody(
          r,
          webhookPayload(`88017${String(10_000_000 + r.int(1_000))}`, { type: "text", text: { body: "hello" } }),
        );
        const signature = r.chance(0.75)
          ? sign(body)
          : headerSafe(r.pick([`${sign(body)}00`, "sha256=", "sha1=abc", randomString(r)]));
        return {
          route: "whatsapp",
          method: "POST",
          path: "/webhooks/whatsapp",
          headers: { "x-hub-signature-256": signature },
          body,
        };
      },
      () => ({
        route: "whatsapp verify",
        method: "GET",
        path: `/webhooks/whatsapp?hub.mode=${enc(r.pick(["subscribe", randomString(r)]))}&hub.verify_token=${enc(randomString(r))}&hub.challenge=${enc(randomString(r).slice(0, 200))}${r.chance(0.3) ? "&hub.mode=subscribe" : ""}`,
        headers: randomHeaders(r),
      }),
      () => ({
        route: "botframework",
        method: "POST",
        path: "/api/messages",
        headers: randomHeaders(r),
        body: randomBody(r, botActivity()),
      }),
      () => ({
        route: "console login",
        method: "POST",
        path: "/console/api/login",
        headers: randomHeaders(r),
        body: randomBody(r, { id: "amina", password: `wrong ${String(r.int(100))}` }),
      }),
      () => ({
        route: "console session",
        method: "GET",
        path: "/console/api/session",
        headers: r.chance(0.5) ? { ...logged } : randomHeaders(r),
      }),
      () => ({
        route: "console read",
        method: "GET",
        path: r.pick([
          `/console/api/conversations/${segment(r, enc(conversationKey))}`,
          `/console/api/queue`,
          `/console/api/knowledge-gaps?days=${enc(randomString(r).slice(0, 30))}`,
          `/console/api/accounts/${segment(r, "amina")}/sessions`,
        ]),
        headers: r.chance(0.7) ? { ...logged } : randomHeaders(r),
      }),
      () => ({
        route: "console write",
        method: "POST",
        path: `/console/api/${r.pick([
          `conversations/${segment(r, enc(conversationKey))}/${r.pick(["claim", "reply", "notes", "resolve", "snooze", "release", "transfer"])}`,
          `accounts/${segment(r, "amina")}/sessions/end`,
        ])}`,
        headers: r.chance(0.7) ? { ...logged } : randomHeaders(r),
        body: randomBody(
          r,
          r.pick([
            { text: "hello" },
            { outcome: "answered" },
            { until: new Date().toISOString() },
            { to: "amina" },
            { country: "PK" },
            {},
          ]),
        ),
      }),
      () => ({
        route: "health",
        method: "GET",
        path: r.pick(["/healthz", "/readyz", "/metrics"]),
        headers: randomHeaders(r),
      }),
      () => ({
        route: "other paths",
        method: r.pick(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
        path:
          r.pick(["/", "/console/", "/console/", "/v3/directline/", "/webhooks/", "/api/", "/static/"]) +
          segment(r, "index.html"),
        headers: randomHeaders(r),
        ...(r.chance(0.5) ? { body: randomBody(r, null) } : {}),
      }),
    ];

    const request = async (input: Input): Promise<number | string> => {
      const contentType = input.body === undefined ? "" : r.pick(contentTypes);
      const headers = { ...input.headers, ...(contentType ? { "content-type": contentType } : {}) };
      const hasBody = input.body !== undefined && input.method !== "GET" && input.method !== "HEAD";
      try {
        const response = await fetch(`${app.running.url}${input.path}`, {
          method: input.method,
          headers,
          ...(hasBody ? { body: input.body } : {}),
          signal: AbortSignal.timeout(60_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        return response.status;
      } catch (error) {
        // A request fetch itself refuses (a URL it will not send) says nothing about the server.
        if (error instanceof TypeError && !/fetch failed/.test(error.message)) return "not sent";
        return `no answer (${error instanceof Error ? error.name : "error"})`;
      }
    };

    /** The Direct Line stream with a random token and watermark: opened, or closed with a 44xx code. */
    const stream = (): Promise<string> =>
      new Promise((resolve) => {
        const t = r.chance(0.5)
          ? chat.token
          : `${chat.token}${r.pick([".x", "", "x"])}${enc(randomString(r).slice(0, 100))}`;
        const watermark = r.chance(0.5) ? `&watermark=${enc(randomString(r).slice(0, 40))}` : "";
        const id = segment(r, chat.conversationId);
        const socket = new WebSocket(
          `${app.running.url.replace("http", "ws")}/v3/directline/conversations/${id}/stream?t=${enc(t)}${watermark}`,
        );
        let outcome: string | null = null;
        const done = (result: string) => {
          clearTimeout(timer);
          outcome ??= result;
          socket.removeAllListeners();
          socket.on("error", () => undefined);
          socket.terminate();
          resolve(outcome);
        };
        const timer = setTimeout(() => done("no answer (stream)"), 20_000);
        // The token is checked once the socket is open: refused, it closes at once with 4401 or 4404.
        socket.on("open", () => {
          setTimeout(() => {
            if (socket.readyState !== WebSocket.OPEN) return;
            outcome = "ws open";
            socket.close(1000);
          }, 300);
        });
        socket.on("close", (code) => done(`ws ${String(code)}`));
        socket.on("unexpected-response", (_request, response) => {
          response.resume();
          done(String(response.statusCode));
        });
        socket.on("error", () => done("ws error"));
      });

    for (let run = 0; run < runs; run += 1) {
      let outcome: number | string;
      let input: Input | null = null;
      if (r.chance(0.04)) outcome = await stream();
      else {
        input = r.pick(generators)(r);
        outcome = await request(input);
      }
      const status = typeof outcome === "number" ? outcome : Number(outcome) || outcome;
      histogram[String(status)] = (histogram[String(status)] ?? 0) + 1;
      const readinessSaysNo = input?.path === "/readyz" && status === 503;
      if ((typeof status === "number" && status >= 500 && !readinessSaysNo) || String(status).startsWith("no answer")) {
        failures.push(
          `#${String(run)} ${String(status)} ${input ? `${input.route}: ${input.method} ${input.path.slice(0, 120)} ${(input.body ?? "").slice(0, 200)}` : "stream"}`,
        );
      }
    }

    console.log(
      `fuzz: seed ${String(seed)}, ${String(runs)} inputs tried; statuses ${JSON.stringify(histogram)}; 5xx ${String(failures.length)}`,
    );
    expect(failures).toEqual([]);

    // The process is still there and still does its job: a person's next message is answered.
    expect((await fetch(`${app.running.url}/healthz`)).status).toBe(200);
    const fresh = await app.directLine.start();
    const posted = await app.directLine.post(fresh, {
      type: "message",
      from: { id: "after" },
      text: "How do I get a work visa for Malaysia?",
    });
    expect(posted.status).toBe(200);
    const { activities } = await app.directLine.activities(fresh);
    const answers = activities.filter((a: ActivityJson) => a.from.role === "bot" && a.type === "message");
    expect(answers.length).toBeGreaterThan(0);
  });
});
