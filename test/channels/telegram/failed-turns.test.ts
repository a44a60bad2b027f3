import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelRegistration } from "../../../channels/channel-kit.js";
import { createTelegramChannel } from "../../../channels/telegram/index.js";
import { TurnFailedError, type BotPort } from "../../../src/core/channel.js";
import type { InboundInput } from "../../../src/core/message.js";
import { RahnamaError } from "../../../src/errors.js";
import { outbound, stubDeps } from "./stub-deps.js";
import { FakeTelegram, textUpdate } from "./fake-telegram.js";

const pacing = { perChatIntervalMs: 0, globalPerSecond: 1_000 };

/** A bot whose turns fail (the store away) as `fails` says, apologising the first time only. */
function failingBot(fails: (input: InboundInput, tries: number) => boolean): BotPort & {
  readonly received: InboundInput[];
} {
  const received: InboundInput[] = [];
  return {
    ready: true,
    received,
    async receive(input, options) {
      received.push(input);
      if (fails(input, received.length)) {
        expect(options?.redelivers).toBe(true);
        const apology = received.length === 1 ? [outbound("Sorry, something went wrong.")] : [];
        throw new TurnFailedError(new RahnamaError("STORE_UNAVAILABLE"), apology);
      }
      return [outbound(`Answer to ${input.text}`)];
    },
  };
}

describe("Telegram, when the bot's turn fails", () => {
  let fake: FakeTelegram;
  beforeEach(async () => {
    fake = await new FakeTelegram().start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("refuses the webhook call with 503, so that Telegram delivers the update again", async () => {
    const bot = failingBot((_input, tries) => tries <= 2);
    const secret = "failed-turn-secret-123456";
    const channel = (await createTelegramChannel(
      stubDeps(fake.url, bot, {
        TELEGRAM_WEBHOOK_URL: "https://bot.example.org/webhooks/telegram",
        TELEGRAM_WEBHOOK_SECRET: secret,
      }),
      { pacing },
    )) as ChannelRegistration;
    const app = Fastify();
    if (!channel.plugin) throw new Error("webhook mode must mount a route");
    await app.register(channel.plugin);
    const deliver = () =>
      app.inject({
        method: "POST",
        url: "/webhooks/telegram",
        headers: { "x-telegram-bot-api-secret-token": secret },
        payload: { update_id: 9, ...textUpdate(31, "help", { messageId: 3 }) },
      });
    expect((await deliver()).statusCode).toBe(503);
    expect((await deliver()).statusCode).toBe(503);
    expect((await deliver()).statusCode).toBe(200);
    await fake.waitFor(() => fake.sentTo(31).length === 2);
    expect(fake.sentTo(31).map((message) => message.text)).toEqual(["Sorry, something went wrong.", "Answer to help"]);
    expect(new Set(bot.received.map((input) => input.id))).toEqual(new Set(["31:3"]));
    await app.close();
    await channel.adapter.stop();
  });

  it("handles a polled update again until it is answered, instead of confirming it lost", async () => {
    const bot = failingBot((_input, tries) => tries <= 2);
    const channel = (await createTelegramChannel(stubDeps(fake.url, bot), {
      pacing,
      failedUpdateRetryMs: 10,
    })) as ChannelRegistration;
    await channel.adapter.start();
    fake.push(textUpdate(32, "help", { messageId: 4 }));
    await fake.waitFor(() => fake.sentTo(32).some((message) => message.text === "Answer to help"));
    expect(bot.received.map((input) => input.id)).toEqual(["32:4", "32:4", "32:4"]);
    expect(fake.sentTo(32).map((message) => message.text)).toEqual(["Sorry, something went wrong.", "Answer to help"]);
    await channel.adapter.stop();
  });

  it("gives a polled update up after repeated failures, and goes on with the next", async () => {
    const bot = failingBot((input) => input.text === "broken");
    const channel = (await createTelegramChannel(stubDeps(fake.url, bot), {
      pacing,
      failedUpdateRetryMs: 5,
    })) as ChannelRegistration;
    await channel.adapter.start();
    const tries = () => bot.received.filter((input) => input.id === "33:5").length;
    fake.push(textUpdate(33, "broken", { messageId: 5 }));
    await fake.waitFor(() => tries() === 8);
    fake.push(textUpdate(33, "next", { messageId: 6 }));
    await fake.waitFor(() => fake.sentTo(33).some((message) => message.text === "Answer to next"));
    expect(tries()).toBe(8);
    await channel.adapter.stop();
  });
});
