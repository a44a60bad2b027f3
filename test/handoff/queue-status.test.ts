import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatOpening, Desks, type Desk } from "../../src/handoff/desks.js";
import { QueueWatch } from "../../src/handoff/queue-watch.js";
import type { RunningApp } from "../../src/run.js";
import { FakeTelegram, fakeToken, textUpdate } from "../channels/telegram/fake-telegram.js";
import { startTestApp } from "../helpers/app.js";
import { scrapeMetrics } from "../helpers/metrics.js";
import { silentLog } from "../helpers/rahnama.js";

/** The local date in `timeZone` `days` from now, as YYYY-MM-DD. */
function localDate(days: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

const officeHours = { text: "09:00-17:00", start: 9 * 60, end: 17 * 60 };
/** Bangladesh's desk is shut today and tomorrow (a holiday), so whatever the hour it is closed now. */
const bangladesh: Desk = {
  id: "bd",
  name: "MRC Bangladesh",
  countries: ["BD"],
  languages: [],
  timeZone: "Asia/Dhaka",
  hours: {
    sun: [officeHours],
    mon: [officeHours],
    tue: [officeHours],
    wed: [officeHours],
    thu: [officeHours],
    fri: [],
    sat: [officeHours],
  },
  closedOn: [localDate(0, "Asia/Dhaka"), localDate(1, "Asia/Dhaka")],
};
const everyoneElse: Desk = {
  id: "all",
  name: "Counsellors",
  countries: [],
  languages: [],
  timeZone: "UTC",
  hours: null,
  closedOn: [],
};

describe("what a queued person is told, and told again", { timeout: 120_000 }, () => {
  const desks = new Desks([bangladesh, everyoneElse]);
  let telegram: FakeTelegram;
  let running: RunningApp;
  let watch: QueueWatch;
  let chat = 8_100_000;

  const counsellor = { id: "amina", role: "counsellor" as const };
  const services = async () => (await running.ready).services;
  const text = async (key: string, vars: Record<string, string | number> = {}) =>
    (await services()).texts.get("counsellor", key, "eng", vars).text;

  async function askForCounsellor(message: string): Promise<{ chatId: number; key: string; said: string }> {
    chat += 1;
    const chatId = chat;
    telegram.push(textUpdate(chatId, message));
    const requested = await text("requested");
    await telegram.waitFor(() => telegram.sentTo(chatId).find((m) => m.text.includes(requested.slice(0, 40))));
    // The queue notice comes last in the turn: either the place in the queue or the opening hours.
    await telegram.waitFor(() =>
      telegram.sentTo(chatId).find((m) => /in the queue|not at work right now/.test(m.text)),
    );
    return {
      chatId,
      key: `telegram:${String(chatId)}`,
      said: telegram
        .sentTo(chatId)
        .map((m) => m.text)
        .join("\n"),
    };
  }

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    running = await startTestApp({ env: { TELEGRAM_BOT_TOKEN: fakeToken, TELEGRAM_API_ROOT: telegram.url }, desks });
    const relay = await running.relay;
    const { desk, handoff, texts, conversations, metrics, logConversation } = await services();
    watch = new QueueWatch({
      logConversation,
      desk,
      handoff,
      desks,
      texts,
      conversations,
      notify: (k, t, at) => relay.notify(k, t, at),
      log: silentLog,
      metrics,
    });
  });
  afterAll(async () => {
    await running.close();
    await telegram.close();
  });

  it("outside the MRC's hours says when someone will answer, in the MRC's time zone, and what to do in an emergency", async () => {
    const { said } = await askForCounsellor("I am from Bangladesh, I want to talk to a counsellor");
    const opening = desks.nextOpening(bangladesh, new Date());
    expect(opening).not.toBeNull();
    expect(said).toContain(
      await text("outside_hours", { opening: formatOpening(opening as Date, "Asia/Dhaka", "eng") }),
    );
    // Bangladesh's emergency number (from hotlines.yaml, with its source) comes with it.
    expect(said).toMatch(/🚨 (?:<a href="tel:999">)?999\b/);
    expect(said).not.toMatch(/You are number/);
  });

  it("during hours gives the place in the queue, and a wait estimate only once recent claims allow one", async () => {
    const first = await askForCounsellor("I want to talk to a counsellor please");
    expect(first.said).toMatch(/You are number \d+ in the queue/);
    expect(first.said).not.toContain("Recently people have waited");

    // Three people are taken after ten minutes each: the estimate is what they waited.
    const { desk } = await services();
    const later = new Date(Date.now() + 10 * 60_000);
    for (const message of ["can i talk to a real person", "connect me to staff please", "human please, i need help"]) {
      const asked = await askForCounsellor(message);
      await desk.claim(asked.key, counsellor, later);
    }
    const next = await askForCounsellor("I need a counsellor");
    expect(next.said).toContain(await text("wait_estimate", { minutes: 10 }));
    // Those were the catch-all desk's waits: another MRC's desk has no figure of its own yet.
    const { handoff } = await services();
    expect(await handoff.recentWaitMinutes(new Date(), "all")).toBe(10);
    expect(await handoff.recentWaitMinutes(new Date(), "bd")).toBeNull();
    // Operators see the same on /metrics.
    const scraped = await scrapeMetrics(running.url);
    expect(scraped).toMatch(/rahnama_handoff_wait_seconds_count\{desk="all"\} 3/);
  });

  it("tells a person again when the wait grows well past what they heard, and not over and over", async () => {
    const { desk } = await services();
    const waiting = await askForCounsellor("talk to a counsellor");
    const place = (await desk.queue(new Date())).find((entry) => entry.conversationKey === waiting.key);
    const before = telegram.sentTo(waiting.chatId).length;

    const soon = await watch.tick(new Date(Date.now() + 5 * 60_000));
    expect(soon.told).not.toContain(waiting.key);
    const muchLater = new Date(Date.now() + 45 * 60_000);
    const late = await watch.tick(muchLater);
    expect(late.told).toContain(waiting.key);
    const queued = (await desk.queue(new Date())).filter((entry) => entry.priority === "normal").length;
    expect(await scrapeMetrics(running.url)).toContain(`rahnama_handoff_queue{priority="normal"} ${String(queued)}`);
    const grew = await telegram.waitFor(() =>
      telegram
        .sentTo(waiting.chatId)
        .slice(before)
        .find((m) => m.text.includes("taking longer")),
    );
    expect(grew.text).toContain(`number ${String(place?.position)}`);
    // Ten minutes on, not again; the console's transcript has what the bot said.
    expect((await watch.tick(new Date(muchLater.getTime() + 10 * 60_000))).told).not.toContain(waiting.key);
    const transcript = await (await services()).transcripts.read(waiting.key);
    expect(transcript.at(-1)).toMatchObject({ from: "bot", text: grew.text });
  });

  it("does not chase people outside their MRC's hours: they were told when someone answers", async () => {
    const { said, key } = await askForCounsellor("I am from Bangladesh and I need a counsellor");
    expect(said).toContain("not at work right now");
    const result = await watch.tick(new Date(Date.now() + 3 * 3600_000));
    expect(result.told).not.toContain(key);
  });

  it("snoozes a conversation for a follow-up: back in the queue when it is due, or as soon as the person writes", async () => {
    const { desk, conversations, handoff } = await services();
    const one = await askForCounsellor("I want to talk to someone, a counsellor");
    const two = await askForCounsellor("please connect me with counsellor");
    const now = new Date();
    for (const { key } of [one, two]) {
      await desk.claim(key, counsellor, now);
      await desk.snooze(key, counsellor, new Date(now.getTime() + 3600_000), now);
      expect((await conversations.get(key))?.handoff).toMatchObject({ status: "snoozed", assignee: "amina" });
    }
    const queued = async () => (await desk.queue(new Date())).map((entry) => entry.conversationKey);
    expect(await queued()).not.toContain(one.key);
    expect((await handoff.active()).find((entry) => entry.conversationKey === one.key)).toMatchObject({
      status: "snoozed",
    });

    // Not yet due: nothing moves. Due: back in the queue, recorded as the follow-up's doing.
    expect((await watch.tick(new Date(now.getTime() + 30 * 60_000))).woken).toEqual([]);
    expect((await watch.tick(new Date(now.getTime() + 2 * 3600_000))).woken).toContain(one.key);
    expect((await conversations.get(one.key))?.handoff.status).toBe("pending");
    expect(await queued()).toContain(one.key);
    expect((await handoff.history(one.key)).at(-1)).toMatchObject({ from: "snoozed", to: "pending", by: "follow-up" });

    // The other person writes before their follow-up is due: their case is live again at once.
    telegram.push(textUpdate(two.chatId, "hello? are you still there"));
    await vi.waitFor(async () => expect((await conversations.get(two.key))?.handoff.status).toBe("pending"), {
      timeout: 15_000,
    });
    expect(await queued()).toContain(two.key);

    // A snooze must be for later.
    await desk.claim(two.key, counsellor, new Date());
    await expect(desk.snooze(two.key, counsellor, new Date(Date.now() - 1000), new Date())).rejects.toMatchObject({
      code: "RAHNAMA_ERR_INPUT_INVALID",
    });
  });
});
