import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChannelRegistration } from "../../../channels/channel-kit.js";
import { OptionMemory } from "../../../channels/shared/option-memory.js";
import { UserIdHasher } from "../../../channels/shared/user-ids.js";
import { GraphRefusedError } from "../../../channels/whatsapp-cloud/graph-client.js";
import { createWhatsAppCloudChannel, OutsideWindowError } from "../../../channels/whatsapp-cloud/index.js";
import { loadConfig } from "../../../src/config.js";
import type { BotPort } from "../../../src/core/channel.js";
import type { InboundInput, Outbound, QuickReply } from "../../../src/core/message.js";
import { RahnamaError } from "../../../src/errors.js";
import { createLogger } from "../../../src/log.js";
import { createMetrics } from "../../../src/metrics.js";
import { buildServer } from "../../../src/server/app.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { outbound } from "../../helpers/outbound.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "./fake-graph.js";

const reply = (text: string, quickReplies: QuickReply[] = []): Outbound => outbound(text, quickReplies);

/** The channel on its own: a stand-in bot, the real HTTP server and store, the fake Graph API. */
class Harness {
  readonly store = new MemoryStore();
  readonly inputs: InboundInput[] = [];
  readonly logLines: string[] = [];
  /** Every WhatsApp number that wrote in, to check none of them reached a log. */
  readonly numbers = new Set<string>();
  readonly userIds = UserIdHasher.withSalt("salt-for-whatsapp-tests");
  readonly options = new OptionMemory(this.store);
  replies: Outbound[] = [];
  ready = true;
  clock = Date.now();
  registration!: ChannelRegistration;
  app!: FastifyInstance;

  constructor(
    private readonly graph: FakeGraph,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  async start(): Promise<this> {
    const config = loadConfig(whatsappEnv(this.graph, this.extraEnv));
    const log = createLogger({
      level: "debug",
      personalData: false,
      destination: { write: (line: string) => void this.logLines.push(line) },
    });
    const metrics = createMetrics();
    const ready = () => this.ready;
    const receive: BotPort["receive"] = async (input) => {
      if (!this.ready) throw new RahnamaError("INDEX_NOT_READY");
      this.inputs.push(input);
      return this.replies;
    };
    const bot: BotPort = {
      get ready() {
        return ready();
      },
      receive,
    };
    const registration = await createWhatsAppCloudChannel(
      { config, log, bot, store: this.store, metrics, userIds: this.userIds, options: this.options },
      { now: () => this.clock, perUserIntervalMs: 0, rateLimitBackoffMs: 5 },
    );
    if (!registration?.plugin) throw new Error("the channel should be configured");
    this.registration = registration;
    this.app = await buildServer({
      config,
      log,
      metrics,
      plugins: [registration.plugin],
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await registration.adapter.start();
    return this;
  }

  async post(from: string, message: Record<string, unknown>): Promise<number> {
    this.numbers.add(from);
    return this.postPayload(webhookPayload(from, message));
  }

  async postPayload(payload: unknown): Promise<number> {
    const body = JSON.stringify(payload);
    const response = await this.app.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
    return response.statusCode;
  }

  async stop(): Promise<void> {
    await this.registration.adapter.stop();
    await this.app.close();
  }
}

describe("WhatsApp Cloud API channel", () => {
  const graph = new FakeGraph();
  let harness: Harness;

  beforeAll(() => graph.start());
  afterAll(() => graph.stop());
  afterEach(async () => {
    await harness.stop();
    const logs = harness.logLines.join("\n");
    expect(logs).not.toContain("secret words");
    for (const number of harness.numbers) expect(logs).not.toContain(number);
  });

  it("is off unless all four settings are set", async () => {
    harness = await new Harness(graph).start();
    const config = loadConfig({});
    const off = await createWhatsAppCloudChannel({
      config,
      log: createLogger({ level: "silent", personalData: false }),
      bot: { ready: true, receive: async () => [] },
      store: new MemoryStore(),
      metrics: createMetrics(),
      userIds: UserIdHasher.withSalt("salt-for-whatsapp-tests"),
      options: new OptionMemory(new MemoryStore()),
    });
    expect(off).toBeNull();
  });

  it("translates each kind of message into the bot's Inbound, and ignores the rest on purpose", async () => {
    harness = await new Harness(graph).start();
    const bd = "8801711000101";
    expect(await harness.post(bd, { type: "text", text: { body: "secret words" }, timestamp: "1790000000" })).toBe(200);
    expect(harness.inputs[0]).toMatchObject({
      address: { channel: "whatsapp", user: harness.userIds.hash("whatsapp", bd), conversation: bd },
      text: "secret words",
      attachments: [],
      hints: { country: "BD" },
      receivedAt: new Date(1_790_000_000_000),
    });
    expect(harness.inputs[0]?.id).toMatch(/^wamid\./);
    expect(harness.inputs[0]?.action).toBeUndefined();

    const media = [
      ["992900000102", "image", { id: "m1", mime_type: "image/jpeg", caption: "my contract" }, "TJ"],
      ["998900000103", "audio", { id: "m2", mime_type: "audio/ogg; codecs=opus" }, "UZ"],
      ["996700000104", "video", { id: "m3", mime_type: "video/mp4" }, "KG"],
      ["93700000105", "document", { id: "m4", mime_type: "application/pdf", filename: "x.pdf" }, "AF"],
      ["9647700000106", "sticker", { id: "m5", mime_type: "image/webp" }, "IQ"],
    ] as const;
    for (const [from, type, content, country] of media) {
      expect(await harness.post(from, { type, [type]: content })).toBe(200);
      expect(harness.inputs.at(-1)).toMatchObject({
        text: type === "image" ? "my contract" : "",
        attachments: [{ kind: type, reference: `whatsapp:media:${content.id}`, mimeType: content.mime_type }],
        hints: { country },
      });
    }
    await harness.post("79990000107", { type: "location", location: { latitude: 24.7136, longitude: 46.6753 } });
    expect(harness.inputs.at(-1)).toMatchObject({
      attachments: [{ kind: "location", reference: "24.7136,46.6753" }],
      hints: {},
    });
    await harness.post("923000000108", { type: "button", button: { text: "Yes", payload: "Yes" } });
    expect(harness.inputs.at(-1)).toMatchObject({ text: "Yes", hints: { country: "PK" } });

    const before = harness.inputs.length;
    expect(await harness.post("923000000108", { type: "reaction", reaction: { message_id: "x", emoji: "👍" } })).toBe(
      200,
    );
    expect(await harness.post("923000000108", { type: "unsupported", errors: [{ code: 131051 }] })).toBe(200);
    const elsewhere = webhookPayload("923000000108", { type: "text", text: { body: "hi" } }) as {
      entry: { changes: { value: { metadata: { phone_number_id: string } } }[] }[];
    };
    const change = elsewhere.entry[0]?.changes[0];
    if (change) change.value.metadata.phone_number_id = "999999999";
    expect(await harness.postPayload(elsewhere)).toBe(200);
    expect(harness.inputs).toHaveLength(before);
  });

  it("maps tapped buttons, list rows and typed numbers back to the offered actions", async () => {
    harness = await new Harness(graph).start();
    const from = "447700900201";
    const address = { channel: "whatsapp" as const, user: harness.userIds.hash("whatsapp", from), conversation: from };
    harness.replies = [
      reply("Pick one", [
        { title: "Costs", action: "intent:recruitment-costs" },
        { title: "Counsellor", action: "intent:counsellor" },
      ]),
    ];
    await harness.post(from, { type: "text", text: { body: "menu" } });
    const buttons = await graph.waitFor(() => graph.messagesTo(from).find((m) => m.interactive?.type === "button"));
    expect(buttons.interactive?.action.buttons?.map((b) => b.reply)).toEqual([
      { id: "o:1", title: "Costs" },
      { id: "o:2", title: "Counsellor" },
    ]);
    expect(await harness.options.action(address, 2)).toBe("intent:counsellor");
    harness.replies = [];

    await harness.post(from, {
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "o:2", title: "Counsellor" } },
    });
    expect(harness.inputs.at(-1)).toMatchObject({ text: "Counsellor", action: "intent:counsellor" });
    await harness.post(from, {
      type: "interactive",
      interactive: { type: "list_reply", list_reply: { id: "o:1", title: "Costs" } },
    });
    expect(harness.inputs.at(-1)).toMatchObject({ text: "Costs", action: "intent:recruitment-costs" });
    await harness.post(from, { type: "text", text: { body: "２" } });
    expect(harness.inputs.at(-1)).toMatchObject({ text: "２", action: "intent:counsellor" });
    // An id we did not give, or a number with no option behind it: the words go to the bot as they are.
    await harness.post(from, {
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "other", title: "Hi" } },
    });
    expect(harness.inputs.at(-1)?.action).toBeUndefined();
    await harness.post(from, { type: "text", text: { body: "7" } });
    expect(harness.inputs.at(-1)).toMatchObject({ text: "7" });
    expect(harness.inputs.at(-1)?.action).toBeUndefined();
    // A reply without options forgets the old ones: "1" now answers a question, it picks no option.
    harness.replies = [reply("How much are they asking?")];
    await harness.post(from, { type: "text", text: { body: "fee" } });
    await graph.waitFor(() => graph.messagesTo(from).some((m) => m.text?.body === "How much are they asking?"));
    await harness.post(from, { type: "text", text: { body: "1" } });
    expect(harness.inputs.at(-1)?.action).toBeUndefined();
    harness.replies = [];
    await harness.post(from, { type: "text", text: { body: "7" } });
    expect(harness.inputs.at(-1)).toMatchObject({ text: "7" });
    expect(harness.inputs.at(-1)?.action).toBeUndefined();
  });

  it("answers 503 while the bot is not ready, so Meta delivers again later", async () => {
    harness = await new Harness(graph).start();
    harness.ready = false;
    const from = "447700900301";
    expect(await harness.post(from, { type: "text", text: { body: "hello" } })).toBe(503);
    harness.ready = true;
    harness.replies = [reply("Hi!")];
    expect(await harness.post(from, { type: "text", text: { body: "hello" } })).toBe(200);
    await graph.waitFor(() => graph.messagesTo(from).length === 1);
    expect(harness.inputs).toHaveLength(1);
  });

  it("retries rate-limited and failed sends: all delivered, in order, none twice", async () => {
    harness = await new Harness(graph).start();
    const from = "447700900401";
    harness.replies = Array.from({ length: 6 }, (_, i) => reply(`part ${String(i + 1)}`));
    const receivedBefore = graph.received.length;
    graph.refuse(
      "ok",
      { status: 400, code: 130429 },
      "ok",
      { status: 400, code: 131056 },
      { status: 400, code: 131056 },
      { status: 503 },
      "ok",
      { status: 500, code: 2 },
    );
    await harness.post(from, { type: "text", text: { body: "secret words" } });
    await graph.waitFor(() => graph.messagesTo(from).length >= 6);
    expect(graph.messagesTo(from).map((m) => m.text?.body)).toEqual([
      "part 1",
      "part 2",
      "part 3",
      "part 4",
      "part 5",
      "part 6",
    ]);
    const attempts = graph.received.slice(receivedBefore).filter((r) => r.body.to === from);
    expect(attempts).toHaveLength(11);
  });

  it("gives up a message Meta refuses for good, logs it without personal data, and sends the rest", async () => {
    harness = await new Harness(graph).start();
    const from = "99123450000";
    harness.replies = [reply("secret words one"), reply("secret words two")];
    graph.refuse({ status: 400, code: 131026 });
    await harness.post(from, { type: "text", text: { body: "secret words" } });
    await graph.waitFor(() => graph.messagesTo(from).length === 1);
    expect(graph.messagesTo(from)[0]?.text?.body).toBe("secret words two");
    await graph.waitFor(() => harness.logLines.some((line) => line.includes("given up")));
    const givenUp = harness.logLines.find((line) => line.includes("given up")) ?? "";
    expect(JSON.parse(givenUp)).toMatchObject({ channel: "whatsapp", code: 131026, status: 400 });

    graph.refuse({ status: 401, code: 190 });
    await expect(
      harness.registration.adapter.send({ channel: "whatsapp", user: "h", conversation: from }, [reply("later")]),
    ).rejects.toBeInstanceOf(GraphRefusedError);
  });

  it("keeps to the 24-hour window: free text inside, nothing and OutsideWindowError outside", async () => {
    harness = await new Harness(graph).start();
    const from = "447700900501";
    const address = { channel: "whatsapp" as const, user: "h", conversation: from };
    await harness.post(from, {
      type: "text",
      text: { body: "hello" },
      timestamp: String(Math.floor(harness.clock / 1000)),
    });
    harness.clock += 23 * 3600 * 1000;
    await harness.registration.adapter.send(address, [reply("Counsellor: inside")]);
    expect(graph.messagesTo(from).map((m) => m.text?.body)).toEqual(["Counsellor: inside"]);

    harness.clock += 2 * 3600 * 1000;
    await expect(harness.registration.adapter.send(address, [reply("Counsellor: outside")])).rejects.toBeInstanceOf(
      OutsideWindowError,
    );
    expect(graph.messagesTo(from)).toHaveLength(1);
    expect(harness.logLines.some((line) => line.includes("WHATSAPP_OUTSIDE_WINDOW"))).toBe(true);

    // "Delete my data" drops the window mark too.
    harness.clock -= 2 * 3600 * 1000;
    expect(await harness.store.get(`whatsapp:last-inbound:${from}`)).not.toBeNull();
    await harness.registration.eraser?.(address);
    expect(await harness.store.get(`whatsapp:last-inbound:${from}`)).toBeNull();
  });

  it("sends the approved template outside the window when one is configured", async () => {
    harness = await new Harness(graph, { WHATSAPP_CLOUD_TEMPLATE: "counsellor_replied" }).start();
    const from = "447700900601";
    const address = { channel: "whatsapp" as const, user: "h", conversation: from };
    await harness.post(from, {
      type: "text",
      text: { body: "hello" },
      timestamp: String(Math.floor(harness.clock / 1000)),
    });
    harness.clock += 30 * 3600 * 1000;
    await harness.registration.adapter.send(address, [reply("Counsellor: outside")]);
    expect(graph.messagesTo(from)).toEqual([
      expect.objectContaining({
        type: "template",
        template: { name: "counsellor_replied", language: { code: "en" } },
      }),
    ]);

    // Meta's own word wins: code 131047 (re-engagement) inside our window also falls back to the template.
    harness.clock -= 29 * 3600 * 1000;
    graph.refuse({ status: 400, code: 131047 });
    await harness.registration.adapter.send(address, [reply("Counsellor: again")]);
    expect(graph.messagesTo(from).map((m) => m.type)).toEqual(["template", "template"]);
  });
});
