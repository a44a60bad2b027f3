import type { ChannelDeps } from "../../../channels/channel-kit.js";
import { OptionMemory } from "../../../channels/shared/option-memory.js";
import { UserIdHasher } from "../../../channels/shared/user-ids.js";
import type { BotPort } from "../../../src/core/channel.js";
import type { Outbound } from "../../../src/core/message.js";
import { createMetrics } from "../../../src/metrics.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { silentLog, testConfig } from "../../helpers/rahnama.js";
import { fakeToken } from "./fake-telegram.js";

/** A reply as the core builds it, for tests that do not need the real bot. */
export function outbound(text: string, quickReplies: Outbound["quickReplies"] = []): Outbound {
  return {
    text,
    lang: "eng",
    direction: "ltr",
    quickReplies,
    citations: [],
    meta: { intent: null, confidence: null, lang: "eng", handoff: null, safety: false },
  };
}

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
