import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRig } from "./channel-rig.js";

/**
 * One scripted conversation (greeting, a cost question answered with its source, a guided-flow step,
 * a request for a counsellor, a photo) on every channel at once, each through its real client library
 * against a fake of the remote service, and what each channel shows the person checked the same way.
 */
describe("every channel runs the same conversation", { timeout: 90_000 }, () => {
  const rig = new ChannelRig();
  beforeAll(async () => {
    await rig.start();
  }, 120_000);
  afterAll(async () => {
    await rig.close();
  });

  const text = (namespace: string, key: string) => rig.text(namespace, key);
  const everyChannel = (...args: Parameters<ChannelRig["everyChannel"]>) => rig.everyChannel(...args);

  it("greets with the menu as options the channel can show", async () => {
    const found = await everyChannel(
      (driver) => driver.send("hello"),
      (rendered) => rendered.options.length >= 3,
    );
    for (const [name, rendered] of found) {
      expect(rendered.options.join(" | "), name).toMatch(/counsellor/i);
    }
  });

  it("answers a cost question with a link to its source", async () => {
    await everyChannel(
      (driver) => driver.send("who pays the recruitment fees and the air ticket from bangladesh?"),
      (rendered) => /https:\/\/\S+/.test(rendered.text),
    );
  });

  it("takes steps in a guided flow: the fee check asks where to (Bangladesh is known by now), then how much", async () => {
    await everyChannel(
      (driver) => driver.send("is this fee legal"),
      (rendered) => rendered.text.includes(text("fee-check", "ask_destination")),
    );
    await everyChannel(
      (driver) => driver.send("Saudi Arabia"),
      (rendered) => rendered.text.includes(text("fee-check", "ask_amount")),
    );
    await everyChannel(
      (driver) => driver.send("stop"),
      (rendered) => rendered.options.length > 0 || rendered.text.length > 0,
    );
  });

  it("hands over to a counsellor on request", async () => {
    await everyChannel(
      (driver) => driver.send("I want to talk to a counsellor"),
      (rendered) => rendered.text.includes(text("counsellor", "requested")),
    );
  });

  it("answers a photo politely, in words, with the offer of a counsellor", async () => {
    const found = await everyChannel(
      (driver) => driver.sendPhoto(),
      (rendered) => rendered.text.includes(text("common", "media_received")),
    );
    for (const [name, rendered] of found) {
      expect(rendered.options.join(" | "), name).toMatch(/counsellor/i);
    }
  });
});

describe("a counsellor takes over on every channel", { timeout: 120_000 }, () => {
  const rig = new ChannelRig();
  beforeAll(async () => {
    await rig.start();
  }, 120_000);
  afterAll(async () => {
    await rig.close();
  });

  it("relays the counsellor's words to each person's own channel, then hands back to the bot, which asks for feedback", async () => {
    await rig.everyChannel(
      (driver) => driver.send("I want to talk to a counsellor"),
      (rendered) => rendered.text.includes(rig.text("counsellor", "requested")),
    );
    const desk = rig.rahnama.services.desk;
    const relay = await rig.running.relay;
    const queued = await desk.queue(new Date());
    const keys = new Map(queued.map((entry) => [entry.conversationKey.split(":")[0] ?? "", entry.conversationKey]));
    expect([...keys.keys()].sort()).toEqual(rig.drivers.map((driver) => driver.name).sort());
    const amina = { id: "amina", role: "counsellor" as const, name: "Amina Rahman" };

    for (const key of keys.values()) await desk.claim(key, amina, new Date());
    await rig.everyChannel(
      (driver) => relay.reply(keys.get(driver.name) ?? "", amina, "Hello, I am Amina from the MRC.", new Date()),
      // Named, so the person knows a human writes now (the bot writes from the same account).
      (rendered) =>
        rendered.text.includes("Amina Rahman, counsellor:") &&
        rendered.text.includes("Hello, I am Amina from the MRC."),
    );

    await rig.everyChannel(
      (driver) => relay.resolve(keys.get(driver.name) ?? "", amina, "information-given", new Date()),
      (rendered) =>
        rendered.text.includes(rig.text("counsellor", "resolved_ask_rating")) && rendered.options.includes("5"),
    );
    // The bot speaks again: the person's rating is taken by the feedback flow.
    await rig.everyChannel(
      (driver) => driver.send("5"),
      (rendered) => rendered.text.includes(rig.text("feedback", "ask_comment")),
    );
    for (const key of keys.values()) {
      const transcript = await rig.rahnama.services.transcripts.read(key);
      expect(transcript.some((entry) => entry.from === "counsellor" && entry.text.includes("Amina"))).toBe(true);
    }
  });
});
