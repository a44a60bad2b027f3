import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { Bot } from "../../src/core/bot.js";
import type { Stage } from "../../src/core/pipeline.js";
import { defaultStages, route } from "../../src/core/stages.js";
import { TranscriptRepository } from "../../src/core/transcript.js";
import type { TurnContext } from "../../src/core/turn.js";
import { InstanceLiveness } from "../../src/store/instance-liveness.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { DirectLineClient, type ActivityJson, type DirectLineConversation } from "../helpers/app.js";
import { killBotProcess, startBotProcess, type BotProcess } from "../helpers/bot-process.js";
import { silentLog, testRahnama } from "../helpers/rahnama.js";

const redisUrl = inject("redisUrl");

/** One question for every conversation: fresh conversations asking the same thing get the same answer. */
const question = "How much does it cost to renew a passport in Bangladesh?";
const messages = 24;

/**
 * Issue 13, item 3: a message in flight when the bot process is killed (kill -9) is answered once when
 * the client sends it again with the same clientActivityID, and reaches the counsellor's transcript
 * once; a message already answered is not answered again.
 */
describe.runIf(redisUrl)("a web chat message in flight when the bot process is killed", { timeout: 300_000 }, () => {
  const prefix = `test:${randomUUID()}:`;
  let store: Store;
  let transcripts: TranscriptRepository;
  let bot: BotProcess | null = null;

  function startBot(): Promise<BotProcess> {
    return startBotProcess({
      REDIS_URL: redisUrl ?? "",
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: inject("indexedDataDir"),
      REINDEX_ON_START: "never",
      // The same secret on both sides of the crash: the client's token still opens its conversation.
      DIRECTLINE_TOKEN_SECRET: "test-secret-test-secret-test-secret-1234",
      RATE_LIMIT_PER_MINUTE: "10000",
    });
  }

  const message = (clientId: string, text = question) => ({
    type: "message",
    from: { id: "person" },
    text,
    locale: "en-GB",
    channelData: { clientActivityID: clientId },
  });

  /** Posts as a client does after an outage: again while the server says "busy, try again" (503). */
  async function postUntilTaken(
    client: DirectLineClient,
    conversation: DirectLineConversation,
    activity: Record<string, unknown>,
  ): Promise<string> {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const response = await client.post(conversation, activity);
      if (response.status === 200) return ((await response.json()) as { id: string }).id;
      expect(response.status).toBe(503);
      await sleep(1_000);
    }
    throw new Error("the post was never taken");
  }

  /** The user's activities with this client id, and the bot's activities answering each of them. */
  async function answersTo(client: DirectLineClient, conversation: DirectLineConversation, clientId: string) {
    const { activities } = await client.activities(conversation);
    const posted = activities.filter(
      (activity) => activity.from.role === "user" && activity.channelData?.clientActivityID === clientId,
    );
    const replies = (id: string) =>
      activities.filter((activity: ActivityJson) => activity.from.role === "bot" && activity.replyToId === id);
    return { posted, replies: posted.map((activity) => replies(activity.id)) };
  }

  async function userLines(conversation: DirectLineConversation, text: string): Promise<number> {
    const lines = await transcripts.read(`webchat:${conversation.conversationId}`);
    return lines.filter((line) => line.from === "user" && line.text === text).length;
  }

  beforeAll(async () => {
    store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    transcripts = new TranscriptRepository(store, 3_600);
  });
  afterAll(async () => {
    if (bot) await killBotProcess(bot);
    await store?.close();
  });

  it("answers every message in flight at the crash exactly once when the client sends it again", async () => {
    bot = await startBot();
    const first = new DirectLineClient(bot.url);
    const conversations = await Promise.all(Array.from({ length: messages }, () => first.start()));
    const clientIds = conversations.map((_, i) => `crash-${String(i)}`);

    // All at once, so that the turns queue on the process's two cores and many are mid-way at the kill.
    const answeredBeforeKill = new Map<number, string>();
    const posts = conversations.map((conversation, i) =>
      first.post(conversation, message(clientIds[i] ?? "")).then(
        async (response) => {
          if (response.status === 200) answeredBeforeKill.set(i, ((await response.json()) as { id: string }).id);
        },
        () => undefined,
      ),
    );
    // The turns run side by side and end close together: killed once half of them have written the
    // person's words to the transcript (early in a turn), most are somewhere between that and answered.
    await vi.waitFor(
      async () =>
        expect((await store.keysWithPrefix("transcript:webchat:")).length).toBeGreaterThanOrEqual(messages / 2),
      { timeout: 120_000, interval: 5 },
    );
    await killBotProcess(bot);
    bot = null;
    await Promise.all(posts);
    const inFlight = messages - answeredBeforeKill.size;
    expect(inFlight).toBeGreaterThan(0);
    // How far the messages had got when the process died, for the report.
    let storedAtKill = 0;
    let transcribedAtKill = 0;
    for (const conversation of conversations) {
      if ((await store.length(`dl:activities:${conversation.conversationId}`)) > 0) storedAtKill += 1;
      if ((await userLines(conversation, question)) > 0) transcribedAtKill += 1;
    }

    bot = await startBot();
    const second = new DirectLineClient(bot.url);
    const retried = await Promise.all(
      conversations.map((conversation, i) => postUntilTaken(second, conversation, message(clientIds[i] ?? ""))),
    );

    // What the question is answered in a fresh conversation, for comparison with every other.
    const fresh = await second.start();
    await postUntilTaken(second, fresh, message("reference"));
    const reference = await answersTo(second, fresh, "reference");
    const expected = (reference.replies[0] ?? []).map((reply) => reply.text);
    expect(expected.length).toBeGreaterThan(0);

    let duplicateAnswers = 0;
    let duplicateLines = 0;
    for (const [i, conversation] of conversations.entries()) {
      const clientId = clientIds[i] ?? "";
      const { posted, replies } = await answersTo(second, conversation, clientId);
      // The user's message is in the log once, under the id both posts were given where the first got one.
      expect(posted, clientId).toHaveLength(1);
      expect(retried[i], clientId).toBe(posted[0]?.id);
      if (answeredBeforeKill.has(i)) expect(retried[i], clientId).toBe(answeredBeforeKill.get(i));
      // One answer, the same as the others got: not none, not twice, not an apology.
      const texts = (replies[0] ?? []).map((reply) => reply.text);
      if (texts.length > expected.length) duplicateAnswers += 1;
      expect(texts, clientId).toEqual(expected);
      const lines = await userLines(conversation, question);
      if (lines > 1) duplicateLines += 1;
      expect(lines, clientId).toBe(1);
    }
    console.info(
      `crash-retry: ${String(messages)} sent, ${String(inFlight)} in flight at kill -9 ` +
        `(${String(storedAtKill)} in the activity log, ${String(transcribedAtKill)} in the transcript), ` +
        `${String(messages - duplicateAnswers)} answered once after the retry, ` +
        `${String(duplicateAnswers)} answered twice, ${String(duplicateLines)} transcribed twice`,
    );
  });

  it("gives a retry of an answered message the first id and no second answer", async () => {
    bot ??= await startBot();
    const client = new DirectLineClient(bot.url);
    const conversation = await client.start();
    const text = "What documents do I need to work in Qatar?";
    const firstPost = await client.post(conversation, message("answered-once", text));
    expect(firstPost.status).toBe(200);
    const { id } = (await firstPost.json()) as { id: string };
    const before = await client.activities(conversation);

    // Once after the answer, and twice at the same moment (a double tap): the same id each time.
    const again = await Promise.all([1, 2, 3].map(() => client.post(conversation, message("answered-once", text))));
    for (const response of again) {
      expect(response.status).toBe(200);
      expect(((await response.json()) as { id: string }).id).toBe(id);
    }
    const after = await client.activities(conversation);
    expect(after.activities.map((activity) => activity.id)).toEqual(before.activities.map((activity) => activity.id));
    const { posted, replies } = await answersTo(client, conversation, "answered-once");
    expect(posted).toHaveLength(1);
    expect(replies[0]?.length).toBeGreaterThan(0);
    expect(await userLines(conversation, text)).toBe(1);
  });

  it("answers a redelivered webhook message at once when the process that held it died mid-turn", async () => {
    const rahnama = await testRahnama({ store: await RedisStore.connect(redisUrl ?? "", prefix, silentLog) });
    try {
      // A second process on the same store, whose turn stops for good once the person's words are stored.
      const other = new InstanceLiveness(store, silentLog);
      await other.start();
      let reached: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (reached = resolve));
      const stopsHere: Stage<TurnContext> = {
        name: "stops-here",
        description: "where the other process is when it is killed",
        run: async () => {
          reached();
          await new Promise(() => undefined);
        },
      };
      const dying = new Bot({ ...rahnama.services, instance: other }, [
        ...defaultStages.slice(0, -1),
        stopsHere,
        route,
      ]);
      const update = {
        id: "telegram-update-1",
        address: { channel: "telegram" as const, user: "u-crash", conversation: "crash-chat" },
        text: "I want to talk to a counsellor",
        receivedAt: new Date(),
      };
      void dying.receive(update, { redelivers: true }).catch(() => undefined);
      await stopped;

      // While the other process lives, Telegram's redelivery is refused (non-2xx), to come again later.
      await expect(rahnama.bot.receive(update, { redelivers: true })).rejects.toMatchObject({
        code: "RAHNAMA_ERR_TURN_IN_PROGRESS",
      });
      // Killed: its liveness key is gone (10 s after a kill -9; at once here). The next redelivery is answered.
      await other.stop();
      const replies = await rahnama.bot.receive(update, { redelivers: true });
      expect(replies.map((reply) => reply.meta.intent)).toContain("counsellor");
      expect(await rahnama.bot.receive(update, { redelivers: true })).toEqual([]);
      const lines = await transcripts.read("telegram:crash-chat");
      expect(lines.filter((line) => line.from === "user")).toHaveLength(1);
    } finally {
      await rahnama.close();
    }
  });
});
