import { AccountRepository } from "../../src/console/accounts.js";
import type { RunningApp } from "../../src/run.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { FakeTelegram, fakeToken } from "../channels/telegram/fake-telegram.js";
import { FakeGraph, sign, whatsappEnv } from "../channels/whatsapp-cloud/fake-graph.js";
import { DirectLineClient, startTestApp } from "../helpers/app.js";
import { consoleClient, consolePassword } from "../helpers/console-client.js";

export const telegramSecret = "webhook-secret-for-the-public-route-tests";

/**
 * The whole app with every public HTTP route mounted: Direct Line, the Telegram webhook (against a fake
 * Bot API), the WhatsApp Cloud webhook (against a fake Graph API) and the console with one account.
 */
export async function startPublicRoutesApp(env: Record<string, string> = {}) {
  const telegram = await new FakeTelegram().start();
  const graph = new FakeGraph();
  await graph.start();
  const store = new MemoryStore();
  await new AccountRepository(store).add(
    { id: "amina", name: "Amina", role: "counsellor", countries: ["BD"] },
    consolePassword,
  );
  const running: RunningApp = await startTestApp({
    store,
    env: {
      TELEGRAM_BOT_TOKEN: fakeToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_WEBHOOK_URL: "https://bot.mrc.example.org/webhooks/telegram",
      TELEGRAM_WEBHOOK_SECRET: telegramSecret,
      ...whatsappEnv(graph),
      ...env,
    },
  });
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${running.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  return {
    running,
    store,
    telegram,
    graph,
    directLine: new DirectLineClient(running.url),
    console: consoleClient(() => running.url),
    post,
    /** A body posted to the Telegram webhook with the secret Telegram was given. */
    postTelegram: (body: string) =>
      post("/webhooks/telegram", body, { "x-telegram-bot-api-secret-token": telegramSecret }),
    /** A body posted to the WhatsApp webhook, signed with the app secret as Meta signs it. */
    postWhatsApp: (body: string) => post("/webhooks/whatsapp", body, { "x-hub-signature-256": sign(body) }),
    async close() {
      await running.close();
      await telegram.close();
      await graph.stop();
    },
  };
}

export type PublicRoutesApp = Awaited<ReturnType<typeof startPublicRoutesApp>>;
