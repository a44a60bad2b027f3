import type { ChannelDeps } from "../../../channels/channel-kit.js";
import { OptionMemory } from "../../../channels/shared/option-memory.js";
import { UserIdHasher } from "../../../channels/shared/user-ids.js";
import type { BotPort } from "../../../src/core/channel.js";
import { createMetrics } from "../../../src/metrics.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { silentLog, testConfig } from "../../helpers/rahnama.js";
import { fakeToken } from "./fake-telegram.js";
export { outbound } from "../../helpers/outbound.js";

/** Channel dependencies around a stub bot, pointed at the fake Bot API. */
export function stubDeps(apiRoot: string, bot: BotPort, env: Record<string, string> = {}): ChannelDeps {
  const store = new MemoryStore();
  return {
    config: testConfig({ TELEGRAM_BOT_TOKEN: fakeToken, TELEGRAM_API_ROOT: apiRoot, ...env }),
    log: silentLog,
    bot,
    store,
    metrics: createMetrics(),
    userIds: UserIdHasher.withSalt("telegram-test-salt"),
    options: new OptionMemory(store),
  };
}
