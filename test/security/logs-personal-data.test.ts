import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import { createLogger } from "../../src/log.js";
import { runApp, type RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { FakeTelegram, fakeToken } from "../channels/telegram/fake-telegram.js";
import { FakeGraph, sign, webhookPayload, whatsappEnv } from "../channels/whatsapp-cloud/fake-graph.js";
import { DirectLineClient } from "../helpers/app.js";
import { consoleClient } from "../helpers/console-client.js";
import { sharedEmbedder, testConfig } from "../helpers/rahnama.js";
import { canRunOutageTests, crisisMessage } from "../helpers/redis-outage.js";
import { startThrowawayRedis, type ThrowawayRedis } from "../helpers/throwaway-redis.js";

const telegramSecret = "logs-secret-0123456789";

/** The people of the session: who they are on each channel, and what they write. */
const person = {
  phone: "8801711555123",
  whatsAppName: "Nasrin Akhter",
  telegramId: 736201458,
  telegramFirst: "Karimuddin",
  telegramLast: "Bhuiyan",
  telegramUsername: "karim_bhuiyan_77",
  webUserId: "web-visitor-5f3a9c",
  webName: "Farida Rahmani",
};

const texts = {
  web: "Hello, my name is Farida Rahmani and my employer in Jeddah kept my work visa",
  webCrisis: crisisMessage,
  telegram: "Salam, Karimuddin here, what does a work permit cost for Saudi Arabia",
  whatsAppHandoff: "I am from Bangladesh, I want to talk to a counsellor about my salary",
  whatsAppHeld: "My employer in Riyadh keeps my salary since March, 3 months now",
  counsellorReply: "Dear Nasrin, please send a photo of your contract and the salary slips",
  counsellorNote: "Nasrin says the employer is a cleaning company in Riyadh",
  telegramDuringOutage: "Karimuddin again, nobody answers my question about the permit",
  whatsAppDuringOutage: "They took my passport here in Riyadh and beat me, please help",
};

/** Every spelling of who the people are, and everything they and the counsellor wrote. */
function personalStrings(webConversationId: string): Record<string, string> {
  return {
    "phone number": person.phone,
    "phone number with +": `+${person.phone}`,
    "phone number, national": `0${person.phone.slice(3)}`,
    "phone number, subscriber digits": person.phone.slice(3),
    "Telegram chat and user id": String(person.telegramId),
    "Telegram first name": person.telegramFirst,
    "Telegram last name": person.telegramLast,
    "Telegram username": person.telegramUsername,
    "WhatsApp profile name": person.whatsAppName,
    "web chat user id": person.webUserId,
    "web chat name": person.webName,
    "web chat conversation id": webConversationId,
    ...Object.fromEntries(Object.entries(texts).map(([name, text]) => [`message text (${name})`, text])),
  };
}

/**
 * What the bot said to each person, a line of each message: an apology to a cry for help names where
 * the person seems to be. Markup taken out; short lines (a button's title) are too common to tell.
 */
function saidToThem(sent: readonly string[]): Record<string, string> {
  const lines = sent.flatMap((text) =>
    text
      .replace(/<[^>]+>/g, "")
      .split("\n")
      .map((line) => line.replace(/[*_]/g, "").trim())
      .filter((line) => line.length >= 25 && !/[&"\\]/.test(line)),
  );
  return Object.fromEntries([...new Set(lines)].map((line, index) => [`bot's words to them #${String(index)}`, line]));
}

/** Each log line that holds one of `needles`, named by what it leaks. */
function leaks(lines: readonly string[], needles: Record<string, string>): string[] {
  const found: string[] = [];
  for (const line of lines) {
    const lower = line.toLowerCase();
    for (const [what, needle] of Object.entries(needles)) {
      if (lower.includes(needle.toLowerCase())) found.push(`${what}: ${line.slice(0, 400)}`);
    }
  }
  return found;
}

/**
 * The whole app on a Redis of its own (stopped for a while to make turns fail), with Telegram and
 * WhatsApp Cloud faked at the HTTP level, logging at trace level into `lines`.
 */
class LoggedSession {
  readonly lines: string[] = [];
  running!: RunningApp;
  redis!: ThrowawayRedis;
  store!: RedisStore;
  readonly telegram = new FakeTelegram();
  readonly graph = new FakeGraph();
  readonly console = consoleClient(() => this.running.url);

  async start(personalData: boolean): Promise<this> {
    await this.telegram.start();
    await this.graph.start();
    this.redis = await startThrowawayRedis();
    const log = createLogger({
      level: "trace",
      personalData,
      destination: { write: (chunk: string) => void this.lines.push(...chunk.split("\n").filter(Boolean)) },
    });
    const prefix = `test:${randomUUID()}:`;
    this.store = await RedisStore.connect(this.redis.url, prefix, log);
    await new AccountRepository(this.store).add(
      { id: "amina", name: "Amina", role: "counsellor", countries: ["BD"] },
      "correct horse battery staple",
    );
    const config = testConfig({
      REDIS_URL: this.redis.url,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: "trace",
      LOG_PERSONAL_DATA: String(personalData),
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: this.telegram.url,
      TELEGRAM_WEBHOOK_URL: "https://bot.mrc.example.org/webhooks/telegram",
      TELEGRAM_WEBHOOK_SECRET: telegramSecret,
      ...whatsappEnv(this.graph),
    });
    this.running = await runApp(config, log, { store: this.store, embedder: await sharedEmbedder() });
    await this.running.ready;
    return this;
  }

  telegramUpdate(text: string, updateId = this.telegram.nextUpdateId()): Record<string, unknown> {
    const from = {
      id: person.telegramId,
      is_bot: false,
      first_name: person.telegramFirst,
      last_name: person.telegramLast,
      username: person.telegramUsername,
      language_code: "en",
    };
    return {
      update_id: updateId,
      message: {
        message_id: updateId + 500,
        date: Math.floor(Date.now() / 1000),
        from,
        chat: { ...from, type: "private" },
        text,
      },
    };
  }

  postTelegram(update: Record<string, unknown>): Promise<Response> {
    return fetch(`${this.running.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": telegramSecret },
      body: JSON.stringify(update),
    });
  }

  whatsAppBody(text: string): string {
    const payload = webhookPayload(person.phone, { type: "text", text: { body: text } }) as {
      entry: { changes: { value: { contacts: { profile: { name: string } }[] } }[] }[];
    };
    const contact = payload.entry[0]?.changes[0]?.value.contacts[0];
    if (contact) contact.profile.name = person.whatsAppName;
    return JSON.stringify(payload);
  }

  postWhatsApp(body: string): Promise<Response> {
    return fetch(`${this.running.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
  }

  /** Delivers again, as the platforms do, until it is accepted. */
  async redeliver(deliver: () => Promise<Response>): Promise<void> {
    await vi.waitFor(async () => expect((await deliver()).status).toBe(200), { timeout: 60_000, interval: 250 });
  }

  async close(): Promise<void> {
    await this.running?.close().catch(() => undefined);
    await this.store?.close().catch(() => undefined);
    await this.redis?.stop();
    await this.telegram.close();
    await this.graph.stop();
  }
}

/**
 * Issue 13, item 7: logs carry no phone numbers, chat ids, names or message texts unless
 * LOG_PERSONAL_DATA is on. A conversation is named by its keyed reference (`conv`), request paths by
 * their route's pattern.
 */
describe.runIf(canRunOutageTests)("what the logs of a whole session hold", { timeout: 240_000 }, () => {
  let session: LoggedSession | null = null;
  afterEach(async () => {
    await session?.close();
    session = null;
  });

  it("names no person, number, chat id or message, at trace level, through chats, a handoff, a failed turn and an escalation", async () => {
    session = await new LoggedSession().start(false);
    const { running, telegram, graph, console: api } = session;
    const rahnama = await running.ready;
    const phoneKey = `whatsapp:${person.phone}`;

    // Web chat: a named visitor, then a cry for help, which is escalated.
    const directLine = new DirectLineClient(running.url);
    const web = await directLine.start();
    for (const text of [texts.web, texts.webCrisis]) {
      const response = await directLine.post(web, {
        type: "message",
        from: { id: person.webUserId, name: person.webName },
        text,
      });
      expect(response.status).toBe(200);
    }
    const escalated = await rahnama.services.desk.queue(new Date());
    expect(escalated.find((entry) => entry.conversationKey === `webchat:${web.conversationId}`)).toMatchObject({
      reason: "safety",
    });

    // Telegram, through the webhook.
    expect((await session.postTelegram(session.telegramUpdate(texts.telegram))).status).toBe(200);
    await telegram.waitFor(() => telegram.sentTo(person.telegramId)[0]);

    // WhatsApp Cloud: asks for a counsellor, who takes the case through the console.
    expect((await session.postWhatsApp(session.whatsAppBody(texts.whatsAppHandoff))).status).toBe(200);
    await graph.waitFor(() => graph.messagesTo(person.phone)[0]);
    const amina = await api.login("amina");
    const queue = (await (await api.get("/queue", amina)).json()) as unknown;
    expect(JSON.stringify(queue)).toContain(phoneKey);
    expect((await api.post(`/conversations/${phoneKey}/claim`, amina)).status).toBe(200);
    const sentBefore = graph.messagesTo(person.phone).length;
    expect((await api.post(`/conversations/${phoneKey}/reply`, amina, { text: texts.counsellorReply })).status).toBe(
      200,
    );
    await graph.waitFor(() => graph.messagesTo(person.phone).length > sentBefore);
    expect((await api.post(`/conversations/${phoneKey}/notes`, amina, { text: texts.counsellorNote })).status).toBe(
      200,
    );
    expect((await session.postWhatsApp(session.whatsAppBody(texts.whatsAppHeld))).status).toBe(200);
    const caseFile = await api.get(`/conversations/${phoneKey}`, amina);
    expect(caseFile.status).toBe(200);
    expect(JSON.stringify(await caseFile.json())).toContain(texts.whatsAppHeld);
    expect((await api.post(`/conversations/${phoneKey}/resolve`, amina, { outcome: "information-given" })).status).toBe(
      200,
    );
    // A conversation that does not exist, by a key that is a phone number, and paths no route has: refused.
    expect((await api.get(`/conversations/whatsapp:%2B${person.phone}`, amina)).status).toBe(404);
    expect((await api.get(`/conversations/${phoneKey}/history`, amina)).status).toBe(404);
    expect((await fetch(`${running.url}/webhooks/whatsapp/${person.phone}?name=${person.whatsAppName}`)).status).toBe(
      404,
    );

    // Turns that fail: Redis goes away; the platforms are refused and deliver again once it is back.
    const telegramUpdate = session.telegramUpdate(texts.telegramDuringOutage);
    const whatsAppBody = session.whatsAppBody(texts.whatsAppDuringOutage);
    await session.redis.stop();
    expect((await session.postTelegram(telegramUpdate)).status).toBe(503);
    expect((await session.postWhatsApp(whatsAppBody)).status).toBeGreaterThanOrEqual(500);
    // The apology to a cry for help carries the emergency numbers for where the person is.
    await graph.waitFor(() => graph.messagesTo(person.phone).some((body) => body.text?.body.includes("Saudi Arabia")));
    expect(
      (await directLine.post(web, { type: "message", from: { id: person.webUserId }, text: texts.web })).status,
    ).toBeGreaterThanOrEqual(500);
    session.redis = await startThrowawayRedis({ port: session.redis.port });
    const outage = session;
    await outage.redeliver(() => outage.postTelegram(telegramUpdate));
    await outage.redeliver(() => outage.postWhatsApp(whatsAppBody));
    await running.close();

    const { lines } = session;
    // The session was logged, and the lines name conversations and requests the safe way.
    expect(lines.some((line) => line.includes('"msg":"turn failed"') && /"conv":"c_[\w-]{16}"/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('"msg":"safety escalation"') && line.includes('"conv":"c_'))).toBe(true);
    expect(lines.some((line) => line.includes('"url":"/console/api/conversations/:key/reply"'))).toBe(true);
    const sent = [
      ...telegram.sentTo(person.telegramId).map((message) => message.text),
      ...graph.messagesTo(person.phone).map((body) => body.text?.body ?? body.interactive?.body.text ?? ""),
    ];
    expect(leaks(lines, { ...personalStrings(web.conversationId), ...saidToThem(sent) })).toEqual([]);
    console.info(`logs-personal-data: ${String(lines.length)} log lines scanned, none with personal data`);
  });

  it("with LOG_PERSONAL_DATA on, the same scan finds the number and the words, so it can fail", async () => {
    session = await new LoggedSession().start(true);
    const { graph } = session;
    expect((await session.postWhatsApp(session.whatsAppBody(texts.whatsAppHandoff))).status).toBe(200);
    await graph.waitFor(() => graph.messagesTo(person.phone)[0]);
    const amina = await session.console.login("amina");
    expect((await session.console.get(`/conversations/whatsapp:${person.phone}`, amina)).status).toBe(200);
    await session.running.close();

    const found = leaks(session.lines, personalStrings("not-used"));
    expect(found.some((leak) => leak.startsWith("phone number:"))).toBe(true);
  });
});
