import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../src/run.js";
import { startTestApp } from "../helpers/app.js";
import { canRunBrowser, launchChromium } from "../helpers/browser.js";

describe.runIf(canRunBrowser)("the official Bot Framework Web Chat at /webchat/full in headless Chromium", () => {
  let running: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    running = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it("serves the page and Web Chat's bundle from this server, with a style nonce in the page's CSP", async () => {
    const page = await fetch(`${running.url}/webchat/full`);
    expect(page.status).toBe(200);
    const policy = page.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(policy).toContain("script-src 'self';");
    expect(await page.text()).toContain(`data-style-nonce="${nonce ?? ""}"`);
    const bundle = await fetch(`${running.url}/webchat/full/webchat.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    // fetch undoes the compression: this is the whole bundle, not what went over the wire.
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
  });

  it("answers a typed cost question against our Direct Line endpoint, with the sources as links", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const problems: string[] = [];
    const remote: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("request", (request) => {
      // Web Chat loads its own images from blob: URLs; everything else must come from this server.
      if (!request.url().startsWith(running.url) && !request.url().startsWith("blob:")) remote.push(request.url());
    });
    await page.goto(`${running.url}/webchat/full`);
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.waitFor();
    // The greeting, asked for before Web Chat connected, arrives over the WebSocket with its buttons.
    await page.locator(".webchat__bubble__content").filter({ hasText: "I am Rahnama" }).waitFor();
    await page.getByRole("button", { name: "Talk to a counsellor" }).first().waitFor();

    await input.fill("how much does it cost to go to saudi from bangladesh");
    await input.press("Enter");
    const answer = page.locator(".webchat__bubble__content").filter({ hasText: "Source:" }).last();
    await answer.waitFor();
    expect(await answer.innerText()).toContain("What is the most an agency may charge me");
    // Web Chat does not know channelData.rahnama; the page adds the cited sources as Markdown links.
    const links = answer.locator('a[href^="https://"]');
    await links.first().waitFor();
    expect(await links.count()).toBeGreaterThan(0);
    expect(await links.first().getAttribute("target")).toBe("_blank");
    expect(problems).toEqual([]);
    expect(remote).toEqual([]);
    await context.close();
  });

  it("shows the numbers of a safety answer as tel: links, which Web Chat's sanitiser keeps", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${running.url}/webchat/full`);
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.waitFor();
    await page.locator(".webchat__bubble__content").filter({ hasText: "I am Rahnama" }).waitFor();
    await input.fill("I am from Bangladesh. My boss took my passport and beats me every day, please help me");
    await input.press("Enter");
    const emergency = page.locator('.webchat__bubble__content a[href="tel:999"]').first();
    await emergency.waitFor();
    expect(await emergency.innerText()).toContain("999");
    await context.close();
  });
});
