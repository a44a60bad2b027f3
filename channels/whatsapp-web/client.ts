import path from "node:path";
import wweb from "whatsapp-web.js";
import type { Config } from "../../src/config.js";

// Named imports crash at run time (the package is CommonJS): take the classes off the default export.
const { Client, LocalAuth } = wweb;

/**
 * The part of whatsapp-web.js's `Client` this channel uses. The real `Client` satisfies it; tests hand
 * over a real `Client` whose browser-driving methods (`initialize`, `sendMessage`, `destroy`) are
 * replaced, and drive the channel by emitting the library's own events on it.
 */
export interface ClientLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  /** Launches Chromium, opens WhatsApp Web and starts emitting 'qr', 'authenticated', 'ready', 'message'… */
  initialize(): Promise<void>;
  /** Closes the browser. */
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<unknown>;
}

/** Where the session (LocalAuth) and the cached WhatsApp Web page live; delete it to log out. */
export function whatsAppWebDataDir(config: Pick<Config, "paths">): string {
  return path.join(config.paths.data, "whatsapp-web");
}

/** Chromium flags for a headless server without a GPU; no background traffic of Chromium's own. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
];

/** The real client: the system Chromium at CHROMIUM_PATH (puppeteer's own download is disabled). */
export function createWhatsAppWebClient(config: Pick<Config, "paths" | "CHROMIUM_PATH">): ClientLike {
  const dataPath = whatsAppWebDataDir(config);
  return new Client({
    authStrategy: new LocalAuth({ dataPath }),
    puppeteer: { executablePath: config.CHROMIUM_PATH, headless: true, args: [...chromiumArgs] },
    // The library caches the WhatsApp Web page in ./.wwebjs_cache by default; keep it with the session.
    webVersionCache: { type: "local", path: path.join(dataPath, "web-cache") },
  });
}
