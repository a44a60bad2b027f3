import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactNumbers } from "../../channels/shared/phone-links.js";
import type { RunningApp } from "../../src/run.js";
import { startTestApp } from "../helpers/app.js";
import { canRunBrowser, launchChromium } from "../helpers/browser.js";

describe.runIf(canRunBrowser)("the web chat widget in headless Chromium", () => {
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

  it("greets, answers a typed question with the leaflet's citation, and offers a counsellor", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(running.url);
    await page.locator(".msg.bot").first().waitFor();
    await expect(page.locator(".quick button").filter({ hasText: "Talk to a counsellor" }).count()).resolves.toBe(1);

    await page.fill("#input", "is a tourist visa enough to work in dubai?");
    await page.press("#input", "Enter");
    const answer = page.locator(".msg.bot").filter({ hasText: "Source:" }).last();
    await answer.waitFor();
    const text = await answer.innerText();
    expect(text).toContain("What is a visa, what is a work permit, and where do I get them?");
    // The date the leaflet was last checked, as its front matter says.
    const visas = (await running.ready).services.knowledge.leaflet("visas-and-work-permits", ["eng"]);
    expect(visas?.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(text).toContain(`checked ${String(visas?.reviewed)}`);
    const links = answer.locator(".cite a");
    expect(await links.count()).toBeGreaterThan(0);
    expect(await links.first().getAttribute("href")).toMatch(/^https:\/\//);
    await context.close();
  });

  it("renders right to left after an Urdu greeting", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(running.url);
    await page.locator(".msg.bot").first().waitFor();
    await page.fill("#input", "السلام علیکم! آپ کیسے ہیں؟");
    await page.press("#input", "Enter");
    const urdu = page.locator('.msg.bot[lang="ur"]').first();
    await urdu.waitFor();
    expect(await urdu.getAttribute("dir")).toBe("rtl");
    expect(await page.locator("#chat").evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    expect(await page.locator("html").getAttribute("lang")).toBe("ur");
    await context.close();
  });

  it("shows the emergency numbers of a safety answer as tap-to-call links, exactly where the reference module finds them", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(running.url);
    await page.locator(".msg.bot").first().waitFor();
    await page.fill("#input", "I am from Bangladesh");
    await page.press("#input", "Enter");
    await page.locator(".msg.bot").nth(1).waitFor();
    await page.fill("#input", "My boss took my passport and beats me every day, please help me");
    await page.press("#input", "Enter");
    // The alert with the numbers (a note on the counsellor queue may follow it).
    const alert = page
      .locator(".msg.bot.safety")
      .filter({ has: page.locator('a[href^="tel:"]') })
      .first();
    await alert.waitFor();

    const links = await alert
      .locator('a[href^="tel:"]')
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent ?? "", a.getAttribute("href") ?? ""]));
    expect(links.length).toBeGreaterThan(0);
    for (const [number = "", href = ""] of links) {
      expect(href).toMatch(/^tel:\+?\d+$/);
      expect(href.replace(/\D/g, "")).toBe(number.replace(/\D/g, ""));
    }
    // Bangladesh's emergency number, from hotlines.yaml.
    expect(links).toContainEqual(["999", "tel:999"]);
    // The widget's copy of the pattern links exactly what channels/shared/phone-links.ts finds.
    const shown = await alert.evaluate((li) => {
      const copy = li.cloneNode(true) as HTMLElement;
      copy.querySelector(".cite")?.remove();
      return copy.textContent ?? "";
    });
    expect(links).toEqual(contactNumbers(shown).map((found) => [found.number, found.uri]));
    await context.close();
  });

  it("shows what a user types as text, never as markup", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    let alerted = false;
    page.on("dialog", async (dialog) => {
      alerted = true;
      await dialog.dismiss();
    });
    await page.goto(running.url);
    await page.locator(".msg.bot").first().waitFor();
    const payload = '<img src=x onerror="alert(1)"><b>bold?</b>';
    await page.fill("#input", payload);
    await page.press("#input", "Enter");
    const mine = page.locator(".msg.user").last();
    await mine.waitFor();
    expect(await mine.innerText()).toBe(payload);
    expect(await page.locator(".msg.user img").count()).toBe(0);
    await page.locator(".msg.bot").nth(2).waitFor();
    expect(alerted).toBe(false);
    await context.close();
  });
});
