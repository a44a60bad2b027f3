import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import { Bot } from "../../src/core/bot.js";
import { conversationKey } from "../../src/core/conversation.js";
import { compose, type Stage } from "../../src/core/pipeline.js";
import { defaultStages } from "../../src/core/stages.js";
import type { TurnContext } from "../../src/core/turn.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { createLogger } from "../../src/log.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

const address = (conversation: string) => ({ channel: "webchat" as const, user: `user-${conversation}`, conversation });

describe("the bot core", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama();
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it("announces a handoff only once the conversation is saved, so the console can read what it hears of", async () => {
    const conversation = "announce-after-save";
    const key = conversationKey({ channel: "webchat", user: `user-${conversation}`, conversation });
    const readAtEvent: (string | null)[] = [];
    const listener = (event: { conversationKey: string }) => {
      if (event.conversationKey !== key) return;
      void rahnama.services.conversations.get(key).then((stored) => readAtEvent.push(stored?.handoff.status ?? null));
    };
    rahnama.services.handoff.events.on("event", listener);
    try {
      await chat(rahnama, conversation)("I want to talk to a counsellor");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readAtEvent).toEqual(["pending"]);
    } finally {
      rahnama.services.handoff.events.off("event", listener);
    }
  });

  it("greets and shows the menu of topics, a counsellor and the language choice", async () => {
    const replies = await chat(rahnama, "greet")("hello");
    expect(replies.map((r) => r.meta.intent)).toEqual(["greeting", "greeting"]);
    const actions = replies.at(-1)?.quickReplies.map((q) => q.action);
    expect(actions).toContain("intent:job-offer-check");
    expect(actions).toContain("intent:recruitment-costs");
    expect(actions).toContain("intent:counsellor");
    expect(actions).toContain("intent:change-language");
    expect(actions?.length).toBeLessThanOrEqual(10);
  });

  it("answers an Urdu greeting in Urdu, right to left", async () => {
    const [welcome] = await chat(rahnama, "urdu")("السلام علیکم! آپ کیسے ہیں؟");
    expect(welcome?.lang).toBe("urd");
    expect(welcome?.direction).toBe("rtl");
    expect(stripDirectionMarks(welcome?.text ?? "")).toBe(
      rahnama.services.texts.get("greeting", "welcome", "urd").text,
    );
    // Plain-text channels need the marks: the message opens right to left.
    expect(welcome?.text.startsWith("\u200F")).toBe(true);
  });

  it("answers Roman Urdu in Urdu", async () => {
    const replies = await chat(rahnama, "roman-urdu")("assalam o alaikum bhai mujhe kuch poochna hai");
    expect(replies[0]?.lang).toBe("urd");
  });

  it("answers a voice note in the user's language, offers a counsellor and keeps the media for them", async () => {
    const talk = chat(rahnama, "voice");
    await talk("السلام علیکم");
    const [reply] = await talk("", {
      attachments: [{ kind: "audio", reference: "telegram:file:AwACAgIAAxk", mimeType: "audio/ogg" }],
    });
    expect(stripDirectionMarks(reply?.text ?? "")).toBe(
      rahnama.services.texts.get("common", "media_received", "urd").text,
    );
    expect(reply?.quickReplies.map((q) => q.action)).toEqual(["intent:counsellor"]);
    const transcript = await rahnama.services.transcripts.read(conversationKey(address("voice")));
    expect(transcript.at(-2)?.media).toEqual([
      { kind: "audio", reference: "telegram:file:AwACAgIAAxk", mimeType: "audio/ogg" },
    ]);
  });

  it("answers a message delivered twice only once", async () => {
    const inbound = { id: "dup-1", address: address("dup"), text: "hello", receivedAt: new Date() };
    expect((await rahnama.bot.receive(inbound)).length).toBeGreaterThan(0);
    expect(await rahnama.bot.receive(inbound)).toEqual([]);
    const transcript = await rahnama.services.transcripts.read(conversationKey(address("dup")));
    expect(transcript.filter((entry) => entry.from === "user")).toHaveLength(1);
  });

  it("records a request for a counsellor in the store and says what happens next", async () => {
    const send = chat(rahnama, "counsellor");
    const [reply, place] = await send("I want to talk to a human");
    expect(reply?.meta.intent).toBe("counsellor");
    expect(reply?.meta.handoff).toEqual({ status: "pending" });
    expect(reply?.text).toBe(rahnama.services.texts.get("counsellor", "requested", "eng").text);
    const key = conversationKey(address("counsellor"));
    const requests = await rahnama.services.handoff.pendingRequests();
    expect(requests.filter((r) => r.conversationKey === key)).toMatchObject([
      { reason: "user-request", priority: "normal" },
    ]);
    const stored = await rahnama.services.conversations.get(key);
    expect(stored?.handoff.status).toBe("pending");
    // The person hears their place in the queue.
    const position = (await rahnama.services.desk.queue(new Date())).find(
      (entry) => entry.conversationKey === key,
    )?.position;
    expect(place?.text).toBe(
      rahnama.services.texts.get("counsellor", "queue_position", "eng", { position: position ?? -1 }).text,
    );

    const [again] = await send("counsellor please");
    expect(again?.text).toBe(rahnama.services.texts.get("counsellor", "already_requested", "eng").text);
    expect((await rahnama.services.handoff.pendingRequests()).filter((r) => r.conversationKey === key)).toHaveLength(1);
  });

  it.each([
    "I am in Dhaka, Bangladesh. I want to talk to a counsellor",
    "can i speak with a real person from the MRC please",
  ])("hands over when someone asks for a person in a longer message: %s", async (text) => {
    const replies = await chat(rahnama, `person-${text.length}`)(text);
    expect(replies[0]?.meta.intent).toBe("counsellor");
    expect(replies[0]?.meta.handoff).toEqual({ status: "pending" });
  });

  it("stays silent while a counsellor holds the conversation, but keeps the message", async () => {
    const send = chat(rahnama, "held");
    await send("talk to a counsellor");
    const key = conversationKey(address("held"));
    const conversation = await rahnama.services.conversations.get(key);
    if (!conversation) throw new Error("conversation missing");
    await rahnama.services.handoff.transition(conversation, "open", { by: "counsellor-1", at: new Date() });
    await rahnama.services.conversations.save(conversation);

    expect(await send("are you still there? what about my visa")).toEqual([]);
    const transcript = await rahnama.services.transcripts.read(key);
    expect(transcript.at(-1)).toMatchObject({ from: "user", text: "are you still there? what about my visa" });
  });

  it("escalates a person in danger before anything else, with contacts and a priority handoff", async () => {
    const send = chat(rahnama, "danger");
    await send("I am from Pakistan");
    const [reply] = await send("hello, my employer took my passport and does not let me leave");
    expect(reply?.meta.safety).toBe(true);
    expect(reply?.meta.intent).toBe("safety");
    expect(reply?.text).toContain(rahnama.services.texts.get("safety", "alert", "eng").text);
    expect(reply?.text).toContain("0304 1112123");
    const stored = await rahnama.services.conversations.get(conversationKey(address("danger")));
    expect(stored?.handoff).toMatchObject({ status: "pending", priority: "high", reason: "safety" });
    expect(stored?.safety).toBe(true);
  });

  it("answers the question asked with unpaid wages after the alert, but nothing beside a threat", async () => {
    const send = chat(rahnama, "wages-question");
    const asked = await send(
      "my company in dubai has not paid my salary for 5 months. which officer at the pakistani consulate should i meet?",
    );
    // Months of unpaid wages, asked as a question: the bot asks whether someone is in danger now.
    expect(asked[0]?.meta.triage).toBe(true);
    const replies = await send("Yes, now", { action: "safety:danger-yes" });
    expect(replies[0]?.meta.safety).toBe(true);
    expect(replies[0]?.text).toContain(rahnama.services.texts.get("safety", "alert", "eng").text);
    const answer = replies.slice(1).find((reply) => reply.citations.length > 0);
    expect(answer?.text).toMatch(/Community Welfare Attach/);

    const threatened = await chat(
      rahnama,
      "threat-question",
    )("my kafeel says he will kill me if i complain. which officer at the consulate should i meet?");
    expect(threatened[0]?.meta.safety).toBe(true);
    expect(threatened.flatMap((reply) => reply.citations)).toEqual([]);
  });

  it("quotes an old figure with a warning that it may have changed, in the person's language", async () => {
    const leaflet = rahnama.services.knowledge.leaflet("bd-migration-cost-ceilings", ["eng"]);
    const firstSection = leaflet?.sections[0];
    expect(firstSection?.text).toMatch(/Tk 1,65,000/);
    const [english] = await chat(rahnama, "old-figure-eng")("", { action: "leaflet:bd-migration-cost-ceilings" });
    const years = rahnama.services.knowledge.outdatedYears(
      firstSection?.text ?? "",
      firstSection?.heading ?? "",
      new Date(),
    );
    expect(years.length).toBeGreaterThan(0);
    expect(english?.text).toContain(
      rahnama.services.texts.get("common", "figures_dated", "eng", { years: years.join(", ") }).text,
    );

    const send = chat(rahnama, "old-figure-ben");
    await send("বাংলা", { action: "lang:ben" });
    const [bengali] = await send("", { action: "leaflet:bd-migration-cost-ceilings" });
    expect(bengali?.lang).toBe("ben");
    expect(stripDirectionMarks(bengali?.text ?? "")).toMatch(
      new RegExp(
        rahnama.services.texts
          .get("common", "figures_dated", "ben", { years: "\\d{4}(, \\d{4})*" })
          .text.replace(/[.?]/g, "\\$&"),
      ),
    );
  });

  it("quotes a recent figure without that warning", async () => {
    const [reply] = await chat(rahnama, "new-figure")("", { action: "leaflet:dest-malaysia-work-rules" });
    const first = rahnama.services.knowledge.leaflet("dest-malaysia-work-rules", ["eng"])?.sections[0];
    expect(reply?.text).toContain(first?.text.slice(0, 60));
    expect(first?.text).toMatch(/\d+ hours/);
    expect(rahnama.services.knowledge.outdatedYears(first?.text ?? "", first?.heading ?? "", new Date())).toEqual([]);
    expect(reply?.text).not.toContain("may have changed since. Ask your MRC for today's figures");
  });

  it("keeps the language the user chose, even when they then write in English", async () => {
    const send = chat(rahnama, "choose-language");
    const [changed] = await send("বাংলা", { action: "lang:ben" });
    expect(changed?.text).toBe(rahnama.services.texts.get("change-language", "changed", "ben").text);
    const [thanks] = await send("thank you");
    expect(thanks?.lang).toBe("ben");
  });

  it("asks for a shorter message instead of searching a wall of text", async () => {
    const [reply] = await chat(rahnama, "long")("visa ".repeat(1_000));
    expect(reply?.text).toBe(rahnama.services.texts.get("common", "too_long", "eng", { max: 2000 }).text);
  });

  it("escalates a cry for help even when it is longer than a message may be", async () => {
    const story = `${"I came here two years ago and worked in a house. ".repeat(45)}Now my employer locks me in and beats me every night, please help me.`;
    expect(story.length).toBeGreaterThan(2000);
    const [reply] = await chat(rahnama, "long-crisis")(story);
    expect(reply?.meta.safety).toBe(true);
    expect(reply?.text).toContain(rahnama.services.texts.get("safety", "alert", "eng").text);
  });

  it("offers the likely topics when it is unsure, and answers the question once a topic is tapped", async () => {
    const send = chat(rahnama, "grey-zone");
    const offered = await send("my agent seems strange");
    const last = offered.at(-1);
    expect(last?.meta.intent).toBe("fallback");
    const topics = last?.quickReplies
      .map((q) => q.action)
      .filter((a) => a.startsWith("intent:") && a !== "intent:counsellor");
    expect(topics?.length).toBeGreaterThan(0);
    expect(topics?.length).toBeLessThanOrEqual(3);
    expect(topics).toContain("intent:agency-licence");
    const answered = await send("", { action: "intent:agency-licence" });
    expect(answered[0]?.meta.intent).toBe("agency-licence");
    expect(answered.some((reply) => reply.citations.length > 0)).toBe(true);
  });

  it("handles two messages of one person one after the other, never both on stale state", async () => {
    const send = chat(rahnama, "parallel");
    await Promise.all([send("hello"), send("thanks"), send("bye")]);
    const stored = await rahnama.services.conversations.get(conversationKey(address("parallel")));
    expect(stored?.turns).toBe(3);
  });
});

describe("failures inside a turn", () => {
  it("apologise in the user's language and log the error code without the message", async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "debug",
      personalData: false,
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    const rahnama = await testRahnama({ log });
    const broken: Stage<TurnContext> = {
      name: "broken",
      description: "fails on purpose",
      async run() {
        throw new Error("database on fire");
      },
    };
    const bot = new Bot(rahnama.services, [...defaultStages.slice(0, -1), broken]);
    const secret = "سلام، میرا نمبر 03001234567 ہے اور میرا پاسپورٹ";
    const [reply] = await bot.receive({ id: "boom-1", address: address("boom"), text: secret, receivedAt: new Date() });
    expect(stripDirectionMarks(reply?.text ?? "")).toBe(rahnama.services.texts.get("common", "error", "urd").text);
    const logged = lines.join("");
    expect(logged).toContain("RAHNAMA_ERR_TURN_FAILED");
    expect(logged).toContain('"stage":"broken"');
    expect(logged).not.toContain("03001234567");
    expect(logged).not.toContain("پاسپورٹ");

    // The bot keeps serving after a failure.
    const [next] = await rahnama.bot.receive({
      id: "boom-2",
      address: address("boom"),
      text: "hello",
      receivedAt: new Date(),
    });
    expect(next?.meta.intent).toBe("greeting");
    await rahnama.close();
  });

  it("time out with an apology when a turn takes too long", async () => {
    const rahnama = await testRahnama({ env: { TURN_TIMEOUT_MS: "200" } });
    const slow: Stage<TurnContext> = {
      name: "slow",
      description: "waits too long",
      async run() {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      },
    };
    const bot = new Bot(rahnama.services, [...defaultStages.slice(0, -1), slow]);
    const [reply] = await bot.receive({
      id: "slow-1",
      address: address("slow"),
      text: "hello",
      receivedAt: new Date(),
    });
    expect(reply?.text).toBe(rahnama.services.texts.get("common", "error", "eng").text);
    await rahnama.close();
  });

  it("refuse an inbound message without an address as the adapter's bug", async () => {
    const rahnama = await testRahnama();
    await expect(rahnama.bot.receive({ id: "x", text: "hi", receivedAt: new Date() } as never)).rejects.toMatchObject({
      code: "RAHNAMA_ERR_INPUT_INVALID",
    });
    await rahnama.close();
  });
});

describe("the pipeline", () => {
  it("runs stages in order, in and out", async () => {
    const order: string[] = [];
    const stage = (name: string): Stage<object> => ({
      name,
      description: name,
      async run(_ctx, next) {
        order.push(`${name}:in`);
        await next();
        order.push(`${name}:out`);
      },
    });
    await compose([stage("a"), stage("b")])({});
    expect(order).toEqual(["a:in", "b:in", "b:out", "a:out"]);
  });

  it("refuses a stage that calls next twice, which would answer twice", async () => {
    const twice: Stage<object> = {
      name: "twice",
      description: "buggy",
      async run(_ctx, next) {
        await next();
        await next();
      },
    };
    await expect(compose([twice])({})).rejects.toMatchObject({ code: "RAHNAMA_ERR_PIPELINE_NEXT_TWICE" });
  });
});
