import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import { conversationKey } from "../../src/core/conversation.js";
import type { Outbound } from "../../src/core/message.js";
import { formatAmount } from "../../src/nlu/amounts.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import type { LanguageCode } from "../../src/i18n/languages.js";
import { handoffIndexes } from "../../src/handoff/handoff.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { chat, silentLog, testRahnama } from "../helpers/rahnama.js";

const key = (conversation: string) =>
  conversationKey({ channel: "webchat", user: `user-${conversation}`, conversation });
const tap = (action: string) => ({ action });
const texts = (replies: readonly Outbound[]) => replies.map((reply) => stripDirectionMarks(reply.text));
const actions = (replies: readonly Outbound[]) => replies.flatMap((reply) => reply.quickReplies.map((q) => q.action));

describe("guided flows", () => {
  let rahnama: Rahnama;
  let store: MemoryStore;
  const text = (intent: string, id: string, lang: LanguageCode = "eng", vars: Record<string, string> = {}) =>
    rahnama.services.texts.get(intent, id, lang, vars).text;

  beforeAll(async () => {
    store = new MemoryStore();
    rahnama = await testRahnama({ store });
  });
  afterAll(async () => {
    await rahnama.close();
  });

  describe("asking for a person in the middle of a flow", () => {
    it("leaves the flow and queues the person, in English and in Bengali, instead of reading it as an answer", async () => {
      for (const [conversation, ask] of [
        ["mid-flow-eng", "I want to talk to a counsellor"],
        ["mid-flow-ben", "কাউন্সেলরের সাথে কথা বলতে চাই"],
      ] as const) {
        const send = chat(rahnama, conversation);
        const started = await send("how much can an agency charge me to go to Saudi Arabia from Bangladesh?");
        expect(started[0]?.meta.intent).toBe("fee-check");
        const replies = await send(ask);
        expect(replies[0]?.meta.intent).toBe("counsellor");
        const stored = await rahnama.services.conversations.get(key(conversation));
        expect(stored?.flow).toBeNull();
        expect(stored?.handoff.status).toBe("pending");
      }
    });

    it("still takes the flow's answers that are not a request for a person", async () => {
      const send = chat(rahnama, "mid-flow-amount");
      await send("how much can an agency charge me to go to Saudi Arabia from Bangladesh?");
      const replies = await send("450000 taka");
      expect(replies[0]?.meta.intent).toBe("fee-check");
      expect((await rahnama.services.conversations.get(key("mid-flow-amount")))?.handoff.status).toBe("bot");
    });
  });

  describe("job offer check", () => {
    it("starts from a typed question and asks the red-flag questions one by one with yes/no buttons", async () => {
      const send = chat(rahnama, "offer-typed");
      const replies = await send("I got a job offer from an agent, can you check if it is real?");
      expect(replies[0]?.meta.intent).toBe("job-offer-check");
      expect(texts(replies)).toContain(text("job-offer-check", "q_fees"));
      expect(actions(replies)).toEqual(expect.arrayContaining(["flow:yes", "flow:no", "flow:unsure", "flow:stop"]));
      const next = await send("no", {});
      expect(texts(next)).toEqual([text("job-offer-check", "q_passport")]);
    });

    it("calls a kept passport high risk and puts the case first in the counsellors' queue", async () => {
      const send = chat(rahnama, "offer-high");
      await send("", tap("intent:job-offer-check"));
      await send("", tap("flow:no")); // fees
      await send("", tap("flow:yes")); // passport kept: serious on its own
      await send("", tap("flow:yes")); // contract
      await send("", tap("flow:no")); // differs
      await send("", tap("flow:yes")); // licence
      const result = await send("", tap("flow:no")); // pressure
      expect(texts(result)[0]).toContain(text("job-offer-check", "result_high", "eng", { flags: "" }).slice(0, 30));
      expect(texts(result)[0]).toContain(text("job-offer-check", "flag_passport"));
      const requests = await rahnama.services.handoff.pendingRequests();
      expect(requests.filter((r) => r.conversationKey === key("offer-high"))).toMatchObject([
        { reason: "flow", priority: "high" },
      ]);
      // The leaflets behind the questions come as buttons.
      expect(actions(result)).toContain("leaflet:trafficking-warning-signs");
      const state = await rahnama.services.conversations.get(key("offer-high"));
      expect(state?.flow).toBeNull();
      const outcomes = (await rahnama.services.metrics.flowOutcomes.get()).values;
      expect(outcomes).toContainEqual(
        expect.objectContaining({ labels: { flow: "job-offer-check", outcome: "high-risk" } }),
      );
    });

    it("drops the questions when the person writes that they are in danger, and escalates", async () => {
      const send = chat(rahnama, "offer-crisis");
      await send("", tap("intent:job-offer-check"));
      const replies = await send("my boss locked me in the house and took my passport, please help me");
      expect(replies[0]?.meta.safety).toBe(true);
      expect((await rahnama.services.conversations.get(key("offer-crisis")))?.flow).toBeNull();
    });

    it("calls a clean offer low risk, asks no counsellor unbidden but offers one", async () => {
      const send = chat(rahnama, "offer-low");
      await send("", tap("intent:job-offer-check"));
      for (const answer of ["no", "no", "yes", "no", "yes"]) await send("", tap(`flow:${answer}`));
      const result = await send("", tap("flow:no"));
      expect(texts(result)[0]).toBe(text("job-offer-check", "result_low", "eng", { flags: "" }));
      expect(actions(result)).toContain("intent:counsellor");
      const requests = await rahnama.services.handoff.pendingRequests();
      expect(requests.some((r) => r.conversationKey === key("offer-low"))).toBe(false);
    });

    it("understands the answers typed in the person's language", async () => {
      const send = chat(rahnama, "offer-bengali");
      const first = await send("আমার একটা চাকরির অফার এসেছে, এটা আসল কিনা যাচাই করবেন?");
      expect(first[0]?.meta.intent).toBe("job-offer-check");
      expect(first[0]?.lang).toBe("ben");
      const yes = rahnama.services.texts.get("common", "btn_yes", "ben").text;
      const next = await send(yes);
      expect(texts(next)).toEqual([rahnama.services.texts.get("job-offer-check", "q_passport", "ben").text]);
      const state = await rahnama.services.conversations.get(key("offer-bengali"));
      expect(state?.flow?.data).toEqual({ fees: "yes" });
    });

    it("ends on 'stop' in any language and says how to come back", async () => {
      for (const [conversation, stop] of [
        ["offer-stop-eng", "stop"],
        ["offer-stop-urd", "بند کرو"],
        ["offer-stop-rus", "Стоп!"],
      ] as const) {
        const send = chat(rahnama, conversation);
        await send("", tap("intent:job-offer-check"));
        const replies = await send(stop);
        expect(replies.length, conversation).toBeGreaterThan(0);
        const lang = replies[0]?.lang ?? "eng";
        expect(texts(replies).join("\n")).toContain(rahnama.services.texts.get("common", "flow_cancelled", lang).text);
        expect((await rahnama.services.conversations.get(key(conversation)))?.flow).toBeNull();
      }
    });

    it("takes a new question typed mid-flow as a new question instead of looping on the buttons", async () => {
      const send = chat(rahnama, "offer-switch");
      await send("", tap("intent:job-offer-check"));
      const again = await send("what documents do I need for a work visa in Malaysia?");
      expect(texts(again)).toContain(text("job-offer-check", "q_fees"));
      const answer = await send("what documents do I need for a work visa in Malaysia?");
      expect(answer[0]?.meta.intent).not.toBe("job-offer-check");
      expect(answer.some((reply) => reply.citations.length > 0 || reply.meta.intent === "documents")).toBe(true);
      expect((await rahnama.services.conversations.get(key("offer-switch")))?.flow).toBeNull();
    });
  });

  describe("fee check", () => {
    async function check(conversation: string, origin: string, destination: string, amount: string) {
      const send = chat(rahnama, conversation);
      const start = await send("", tap("intent:fee-check"));
      expect(texts(start)).toEqual([text("fee-check", "ask_origin")]);
      expect(actions(start)).toContain("flow:country:BD");
      const asked = await send("", tap(`flow:country:${origin}`));
      expect(texts(asked)).toEqual([text("fee-check", "ask_destination")]);
      const amountAsked = await send("", tap(`flow:country:${destination}`));
      expect(texts(amountAsked)).toEqual([text("fee-check", "ask_amount")]);
      return send(amount);
    }

    it("gives an agency's service charge for Pakistan with the lower maximum for a job found yourself", async () => {
      const send = chat(rahnama, "fee-self-found");
      await send("OEP zyada se zyada kitni service fee le sakta hai?");
      const answer = stripDirectionMarks(texts(await send("اور اگر نوکری میں نے خود ڈھونڈی ہو تو؟")).join("\n"));
      expect(answer).toMatch(/15,000/);
      expect(answer).toMatch(/6,000/);
      expect(answer).toContain(text("fee-check", "service_charge_self_found", "urd").slice(0, 20));
    });

    it("says a fee above Bangladesh's maximum for Malaysia is too much, with the source and its date", async () => {
      const [reply] = await check("fee-over", "BD", "MY", "450000 taka");
      const answer = stripDirectionMarks(reply?.text ?? "");
      expect(answer).toContain("Tk 4,50,000 is MORE than the maximum of Tk 78,990");
      expect(answer).toMatch(/Source: .+ \(\d{4}-\d{2}-\d{2}\)/);
      expect(reply?.quickReplies.map((q) => q.action)).toContain("leaflet:fair-recruitment-no-fees");
    });

    it("reads a bare number in the home currency and says when it is within the maximum", async () => {
      const [reply] = await check("fee-within", "BD", "MY", "70000");
      expect(stripDirectionMarks(reply?.text ?? "")).toContain("Tk 70,000 is not more than the maximum of Tk 78,990");
    });

    it("says that women going from Bangladesh to Saudi Arabia pay nothing, and men up to the cap", async () => {
      const [reply] = await check("fee-sa", "BD", "SA", "2 lakh taka");
      const answer = stripDirectionMarks(reply?.text ?? "");
      expect(answer).toContain("Tk 2,00,000 is MORE than the maximum of Tk 1,65,000");
      expect(answer).toContain("Tk 0");
    });

    it("names the year a Bangladesh ceiling was set and that it may have changed, in English and in Bengali", async () => {
      const [reply] = await check("fee-year", "BD", "SG", "3 lakh taka");
      const answer = stripDirectionMarks(reply?.text ?? "");
      expect(answer).toContain("MORE than the maximum of Tk 2,62,270");
      expect(answer).toContain("This maximum is from 2018 and may have changed since");

      const send = chat(rahnama, "fee-year-ben");
      await send("আমি বাংলাদেশ থেকে");
      await send("", tap("intent:fee-check"));
      await send("", tap("flow:country:SA"));
      const [bengali] = await send("৪ লাখ টাকা");
      const bengaliAnswer = stripDirectionMarks(bengali?.text ?? "");
      const saudiYears = rahnama.services.fees.forRoute("BD", "SA").map((rule) => String(rule.as_of));
      expect(saudiYears.length).toBeGreaterThan(0);
      for (const year of saudiYears) expect(bengaliAnswer).toContain(text("fee-check", "as_of", "ben", { year }));
    });

    it("for Pakistan explains the licensed promoter's service charge rather than a total cap", async () => {
      const [reply] = await check("fee-pk", "PK", "SA", "Rs 300000");
      const answer = stripDirectionMarks(reply?.text ?? "");
      expect(answer).toContain("Rs 15,000");
      expect(answer).not.toContain("MORE than");
    });

    it("invents no figure for a route it has no official maximum for, and points to the MRC", async () => {
      const [reply] = await check("fee-unknown", "AF", "other", "3000 dollars");
      const answer = stripDirectionMarks(reply?.text ?? "");
      expect(answer).toContain(text("fee-check", "unknown", "eng", { route: "" }).split("{")[0]?.slice(0, 20) ?? "");
      expect(answer).not.toMatch(/maximum of/);
      expect(reply?.quickReplies.map((q) => q.action)).toContain("intent:counsellor");
    });

    it("asks nothing the question already said: origin, destination and amount in one message", async () => {
      const replies = await chat(
        rahnama,
        "fee-prefilled",
      )("I am from Bangladesh, the agent wants 3 lakh taka for Malaysia, is this fee legal?");
      expect(replies[0]?.meta.intent).toBe("fee-check");
      expect(stripDirectionMarks(replies[0]?.text ?? "")).toContain(
        "Tk 3,00,000 is MORE than the maximum of Tk 78,990",
      );
    });

    it("asks only for what is missing", async () => {
      const send = chat(rahnama, "fee-partial");
      const first = await send("agent is asking 5 lakh taka for Saudi, is that allowed?");
      expect(first[0]?.meta.intent).toBe("fee-check");
      expect(texts(first)).toEqual([text("fee-check", "ask_origin")]);
      const [verdict] = await send("", tap("flow:country:BD"));
      expect(stripDirectionMarks(verdict?.text ?? "")).toContain("Tk 5,00,000 is MORE than the maximum of Tk 1,65,000");
    });

    it("takes a destination outside the buttons from the question itself (Lebanon, in Bengali)", async () => {
      const replies = await chat(rahnama, "fee-lebanon")("লেবাননে যাওয়ার সরকারি খরচ কত টাকা?");
      const answer = stripDirectionMarks(texts(replies).join("\n"));
      const [lebanon] = rahnama.services.fees.forRoute("BD", "LB");
      expect(lebanon).toBeDefined();
      expect(answer).toContain(formatAmount(lebanon?.maximum ?? 0, lebanon?.currency ?? ""));
    });

    it("answers a destination's own cap on agency fees from its leaflet when the asker's country is unknown", async () => {
      const replies = await chat(
        rahnama,
        "fee-singapore",
      )("the agency in singapore wants 3 months salary, what is the max a singapore agency can charge?");
      expect(texts(replies)).not.toContain(text("fee-check", "ask_origin"));
      expect(replies.flatMap((reply) => reply.citations.map((c) => c.leafletId))).toContain(
        "dest-singapore-work-permit",
      );
    });

    it("asks again once when the amount cannot be read", async () => {
      const send = chat(rahnama, "fee-unclear");
      await send("", tap("intent:fee-check"));
      await send("Bangladesh");
      await send("", tap("flow:country:MY"));
      const unclear = await send("a lot of money");
      expect(texts(unclear)).toEqual([text("fee-check", "amount_unclear")]);
    });
  });

  describe("returning home", () => {
    it("asks the country, answers each need from returnee leaflets, and ends with the MRC's contacts", async () => {
      const send = chat(rahnama, "returnee");
      const start = await send("", tap("intent:returning-home"));
      expect(texts(start)).toEqual([text("find-mrc", "which_country")]);
      const needs = await send("", tap("flow:country:BD"));
      expect(texts(needs)).toEqual([text("returning-home", "intro")]);
      expect(actions(needs)).toContain("flow:need:work");
      const work = await send("", tap("flow:need:work"));
      expect(work.some((reply) => reply.citations.length > 0)).toBe(true);
      expect(actions(work)).toContain("flow:need:done");
      const done = await send("", tap("flow:need:done"));
      const closing = stripDirectionMarks(done[0]?.text ?? "");
      expect(closing).toContain(text("returning-home", "done"));
      const bangladeshCentre = rahnama.services.directory.centres.find((centre) => centre.country === "BD");
      expect(bangladeshCentre).toBeDefined();
      expect(closing).toContain(bangladeshCentre?.name ?? "missing");
      expect((await rahnama.services.conversations.get(key("returnee")))?.flow).toBeNull();
    });
  });

  describe("feedback", () => {
    it("keeps a rating and comment with the conversation and thanks the person", async () => {
      const send = chat(rahnama, "feedback");
      const start = await send("I want to give feedback about this bot");
      expect(start[0]?.meta.intent).toBe("feedback");
      expect(actions(start)).toEqual([
        "flow:rating:1",
        "flow:rating:2",
        "flow:rating:3",
        "flow:rating:4",
        "flow:rating:5",
      ]);
      await send("4");
      const thanks = await send("The fee check helped me");
      expect(texts(thanks)).toEqual([text("feedback", "thanks")]);
      const stored = await store.range(`feedback:${key("feedback")}`, 0, -1);
      expect(stored.map((entry) => JSON.parse(entry) as unknown)).toMatchObject([
        { rating: 4, about: "bot", comment: "The fee check helped me", lang: "eng" },
      ]);
    });
  });
});

describe("delete my data", () => {
  async function conversationKeysIn(store: Store, conversation: string): Promise<string[]> {
    return (await store.keysWithPrefix("")).filter((candidate) => candidate.includes(conversation));
  }

  async function talkThenErase(store: Store, conversation: string) {
    const rahnama = await testRahnama({ store });
    try {
      const send = chat(rahnama, conversation);
      await send("how much can an agency charge me to go to Saudi Arabia from Bangladesh?");
      await send("I want to talk to a counsellor");
      await send("", tap("intent:feedback"));
      await send("", tap("flow:rating:5"));
      await send("", tap("flow:skip"));
      expect((await conversationKeysIn(store, conversation)).length).toBeGreaterThanOrEqual(5);

      const confirm = await send("please delete my data");
      expect(confirm[0]?.meta.intent).toBe("delete-my-data");
      expect(actions(confirm)).toEqual(["flow:erase", "flow:keep"]);
      const done = await send("", tap("flow:erase"));
      expect(texts(done)).toEqual([rahnama.services.texts.get("delete-my-data", "done", "eng").text]);
      // The shared queue indexes no longer name the person (checked before any read could tidy them).
      for (const index of Object.values(handoffIndexes)) {
        expect((await store.sortedRange(index)).filter((entry) => entry.member.includes(conversation))).toEqual([]);
      }
      const pending = await rahnama.services.handoff.pendingRequests();
      expect(pending.some((request) => request.conversationKey === key(conversation))).toBe(false);
      return await conversationKeysIn(store, conversation);
    } finally {
      await rahnama.close();
    }
  }

  it("leaves nothing of the conversation in memory: state, transcript, handoff, feedback, duplicate marks", async () => {
    const conversation = `erase-${randomUUID()}`;
    expect(await talkThenErase(new MemoryStore(), conversation)).toEqual([]);
  });

  const redisUrl = inject("redisUrl");
  it.runIf(redisUrl)("leaves nothing of the conversation in Redis", async () => {
    const store = await RedisStore.connect(redisUrl ?? "", `test:${randomUUID()}:`, silentLog);
    try {
      expect(await talkThenErase(store, `erase-${randomUUID()}`)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("keeps everything when the person says no, and never erases on a mistyped word", async () => {
    const store = new MemoryStore();
    const rahnama = await testRahnama({ store });
    try {
      const conversation = `keep-${randomUUID()}`;
      const send = chat(rahnama, conversation);
      await send("hello");
      await send("delete my data");
      const kept = await send("no");
      expect(texts(kept)).toEqual([rahnama.services.texts.get("delete-my-data", "kept", "eng").text]);
      await send("delete my data");
      await send("what?");
      const transcript = await rahnama.services.transcripts.read(key(conversation));
      expect(transcript.filter((entry) => entry.from === "user").length).toBe(5);
    } finally {
      await rahnama.close();
    }
  });

  it("does not touch another conversation whose id begins the same way", async () => {
    const store = new MemoryStore();
    const rahnama = await testRahnama({ store });
    try {
      const id = `prefix-${randomUUID()}`;
      await chat(rahnama, `${id}-long`)("hello");
      const send = chat(rahnama, id);
      await send("delete my data");
      await send("", tap("flow:erase"));
      expect(await rahnama.services.conversations.get(key(`${id}-long`))).not.toBeNull();
      expect(await rahnama.services.conversations.get(key(id))).toBeNull();
    } finally {
      await rahnama.close();
    }
  });
});

describe("flows survive a restart", () => {
  const redisUrl = inject("redisUrl");
  it.runIf(redisUrl)("a fee check started before a restart goes on after it, with Redis", async () => {
    const prefix = `test:${randomUUID()}:`;
    const conversation = `restart-${randomUUID()}`;
    const before = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    const first = await testRahnama({ store: before });
    await chat(first, conversation)("", tap("intent:fee-check"));
    await chat(first, conversation)("", tap("flow:country:BD"));
    await first.close();
    await before.close();

    const after = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    const second = await testRahnama({ store: after });
    try {
      const asked = await chat(second, conversation)("", tap("flow:country:MY"));
      expect(texts(asked)).toEqual([second.services.texts.get("fee-check", "ask_amount", "eng").text]);
      const [verdict] = await chat(second, conversation)("100000 taka");
      expect(stripDirectionMarks(verdict?.text ?? "")).toContain("MORE than the maximum of Tk 78,990");
    } finally {
      await second.close();
      await after.close();
    }
  });
});
