import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { AccountRepository } from "../../src/console/accounts.js";
import type { RunningApp } from "../../src/run.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { FakeTelegram, fakeToken, textUpdate } from "../channels/telegram/fake-telegram.js";
import { DirectLineClient, startTestApp, type DirectLineConversation } from "../helpers/app.js";
import { canRunBrowser, launchChromium } from "../helpers/browser.js";
import { silentLog } from "../helpers/rahnama.js";

const redisUrl = inject("redisUrl");
const password = "correct horse battery staple";
const xss = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> is anyone there?`;

/**
 * The console as a counsellor uses it, in headless Chromium, against the real app on Redis: a web chat
 * user and a Telegram user (fake Bot API) ask for a counsellor; the Telegram user's safety case comes
 * first; the counsellor claims it, replies, sees the answer arrive live, resolves, and the bot asks for
 * feedback on Telegram.
 */
describe.runIf(canRunBrowser && redisUrl)("the counsellor console in headless Chromium", { timeout: 180_000 }, () => {
  let telegram: FakeTelegram;
  let running: RunningApp;
  let browser: Browser;
  let store: Store;
  let webchatUser: DirectLineConversation;
  const chatId = 7_300_000 + Math.floor(Math.random() * 1000);

  beforeAll(async () => {
    const prefix = `test:${randomUUID()}:`;
    store = await RedisStore.connect(redisUrl ?? "", prefix, silentLog);
    await new AccountRepository(store).add(
      { id: "amina", name: "Amina Rahman", role: "counsellor", countries: ["BD"], languages: ["eng", "ben"] },
      password,
    );
    telegram = await new FakeTelegram().start();
    running = await startTestApp({
      env: {
        TELEGRAM_BOT_TOKEN: fakeToken,
        TELEGRAM_API_ROOT: telegram.url,
        REDIS_URL: redisUrl ?? "",
        REDIS_KEY_PREFIX: prefix,
      },
      store,
    });
    await running.relay;
    browser = await launchChromium();

    // The web chat user asks first, with a message that tries to run script in the console.
    const client = new DirectLineClient(running.url);
    webchatUser = await client.start();
    const say = async (text: string) =>
      expect((await client.post(webchatUser, { type: "message", from: { id: "web-user" }, text })).status).toBe(200);
    await say("I need to talk to a counsellor");
    await say(xss);
    // Then the Telegram user, from Bangladesh, whose passport is held: a safety case.
    telegram.push(
      textUpdate(
        chatId,
        "I am from Bangladesh. My employer keeps my passport and locks me in the house, I cannot leave",
      ),
    );
    await vi.waitFor(
      async () => {
        const queue = await running.relay.then(() => queued());
        expect(queue).toHaveLength(2);
      },
      { timeout: 30_000, interval: 200 },
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await telegram?.close();
  });

  async function queued(): Promise<string[]> {
    const ready = await running.ready;
    return (await ready.services.desk.queue(new Date())).map((entry) => entry.conversationKey);
  }

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${running.url}/console/`);
    await page.fill('input[name="id"]', "amina");
    await page.fill('input[name="password"]', password);
    await page.click('#login-form button[type="submit"]');
    await page.locator("#queue li").first().waitFor();
  }

  it("takes the safety case first, talks live with the Telegram user, and resolves it", async () => {
    const telegramKey = `telegram:${String(chatId)}`;
    expect(await queued()).toEqual([telegramKey, expect.stringMatching(/^webchat:/)]);

    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page);
    // Safety first, though it asked second.
    const first = page.locator("#queue li").first();
    await expect(first.locator(".badge.safety").count()).resolves.toBe(1);
    await expect(first.innerText()).resolves.toContain("telegram");
    await page.click("#take-next");
    await page.locator("#reply-form").waitFor({ state: "visible" });
    await expect(page.locator("#facts").innerText()).resolves.toContain("BD");
    await expect(page.locator("#summary").innerText()).resolves.toContain("My employer keeps my passport");
    // The whole transcript, the bot's emergency answer included.
    await expect(page.locator("#transcript .from-bot").count()).resolves.toBeGreaterThan(0);

    await page.fill("#reply-text", "Salam, I am Amina from the MRC. Are you safe right now?");
    await page.click('#reply-form button[type="submit"]');
    const delivered = await telegram.waitFor(() =>
      telegram.sentTo(chatId).find((m) => m.text.includes("Are you safe right now?")),
    );
    expect(delivered.text).toContain("Amina Rahman, counsellor:");

    // The person's answer appears in the open conversation without reloading.
    telegram.push(textUpdate(chatId, "Yes I am safe now, thank you sister"));
    await page.locator("#transcript .from-user").filter({ hasText: "Yes I am safe now" }).waitFor({ timeout: 15_000 });

    await page.selectOption("#outcome", "emergency-referral");
    await page.click('#resolve-form button[type="submit"]');
    // The bot speaks again: it asks the Telegram user how helpful it was, with 1-5 buttons.
    await telegram.waitFor(() =>
      telegram.sentTo(chatId).find((m) => (m.keyboard ?? []).flat().some((button) => button.text === "5")),
    );
    await page.locator("#facts").filter({ hasText: "Resolved" }).waitFor();
    // And it answers the person's next question itself.
    const before = telegram.sentTo(chatId).length;
    telegram.push(textUpdate(chatId, "5"));
    await telegram.waitFor(() => telegram.sentTo(chatId).length > before);
    await context.close();
  });

  it("shows a new request in the queue as it arrives, without reloading", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await logIn(page);
    const newcomer = chatId + 1;
    telegram.push(textUpdate(newcomer, "I am from Bangladesh and I need a counsellor"));
    await page.locator(`#queue button[data-key="telegram:${String(newcomer)}"]`).waitFor({ timeout: 20_000 });
    await context.close();
  });

  it("switches the interface's language from the picker, right to left for Urdu, and remembers it", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await logIn(page);
    const english = await page.locator("#take-next").innerText();
    await page.selectOption("#ui-lang", "urd");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    expect(await page.locator("#take-next").innerText()).not.toBe(english);
    expect(await page.locator("html").getAttribute("lang")).toBe("ur");
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.selectOption("#ui-lang", "ben");
    await page.waitForFunction(() => document.documentElement.dir === "ltr");
    expect(await page.locator("#take-next").innerText()).not.toBe(english);
    await context.close();
  });

  it("shows a user's HTML as text, never running it", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await logIn(page);
    await page.locator("#queue li button").first().click();
    const message = page.locator("#transcript .from-user .text").filter({ hasText: "is anyone there?" });
    await message.waitFor();
    expect(await message.innerText()).toBe(xss);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("#transcript img, #transcript script").count()).toBe(0);
    await context.close();
  });

  it("works on a phone in Arabic, right to left", async () => {
    const context = await browser.newContext({
      locale: "ar",
      viewport: { width: 390, height: 800 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${running.url}/console/`);
    await page.locator("#login-form").waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator("#login-form h1").innerText()).not.toBe("Counsellor login");
    await page.fill('input[name="id"]', "amina");
    await page.fill('input[name="password"]', password);
    await page.click('#login-form button[type="submit"]');
    await page.locator("#queue li button").first().click();
    // One pane at a time on a phone: the conversation, with a way back to the lists.
    await page.locator("#transcript .from-user").first().waitFor();
    expect(await page.locator(".lists").isVisible()).toBe(false);
    await page.click("#back");
    expect(await page.locator(".lists").isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
