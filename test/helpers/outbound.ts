import type { Outbound, QuickReply } from "../../src/core/message.js";

/** A reply as the core builds it, for channel tests that do not need the real bot. */
export function outbound(
  text: string,
  quickReplies: readonly QuickReply[] = [],
  extra: Partial<Outbound> = {},
): Outbound {
  return {
    text,
    lang: "eng",
    direction: "ltr",
    quickReplies,
    citations: [],
    meta: { intent: null, confidence: null, lang: "eng", handoff: null, safety: false },
    ...extra,
  };
}
