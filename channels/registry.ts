import type { ChannelFactory } from "./channel-kit.js";

/**
 * The messaging channels besides web chat, each turned on by its own settings (see .env.example).
 * Each lives in channels/<name>/ and is the only code that imports its channel's library.
 */
export const channelFactories: readonly ChannelFactory[] = [];
