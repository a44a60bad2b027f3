import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { RedisStore } from "../../src/store/redis-store.js";
import { silentLog } from "../helpers/rahnama.js";
import { ChannelRig } from "./channel-rig.js";

const redisUrl = inject("redisUrl");

/**
 * A person is the same conversation after the bot restarts, on every channel: a guided flow begun
 * before the restart goes on after it. State lives in Redis; the channels find it again from the
 * chat's own id (and the hashed user id, whose salt is kept in DATA_DIR).
 */
describe.runIf(redisUrl)("identity across a restart, on every channel", { timeout: 120_000 }, () => {
  const rig = new ChannelRig();
  const prefix = `test:${randomUUID()}:`;
  const env = { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix };
  const store = () => RedisStore.connect(redisUrl ?? "", prefix, silentLog);

  beforeAll(async () => {
    // A UK number: no country hint, so every channel's fee check starts by asking where from.
    await rig.start({ env, store: await store(), whatsappNumber: "447700900123" });
  }, 120_000);
  afterAll(async () => {
    await rig.close();
  });

  it("carries a fee check on from where it was before the restart", async () => {
    await rig.everyChannel(
      (driver) => driver.send("is this fee legal"),
      (rendered) => rendered.text.includes(rig.text("fee-check", "ask_origin")),
    );
    await rig.restart(await store());
    await rig.everyChannel(
      (driver) => driver.send("Bangladesh"),
      (rendered) => rendered.text.includes(rig.text("fee-check", "ask_destination")),
    );
  });
});
