import { createBotFrameworkChannel } from "./botframework/index.js";
import type { ChannelFactory } from "./channel-kit.js";
import { createTelegramChannel } from "./telegram/index.js";
import { createWhatsAppCloudChannel } from "./whatsapp-cloud/index.js";
import { createWhatsAppWebChannel } from "./whatsapp-web/index.js";

/**
 * The messaging channels besides web chat, each turned on by its own settings (see .env.example).
 * Each lives in channels/<name>/ and is the only code that imports its channel's library.
 */
export const channelFactories: readonly ChannelFactory[] = [
  createBotFrameworkChannel,
  (deps) => createWhatsAppCloudChannel(deps),
  (deps) => createTelegramChannel(deps),
  (deps) => createWhatsAppWebChannel(deps),
];
