import { describe, expect, it } from "vitest";
import { toReplyActivity } from "../../../channels/botframework/activities.js";
import { contactNumbers, telUri } from "../../../channels/shared/phone-links.js";
import { plainStyle, renderReplyText, whatsappStyle } from "../../../channels/shared/render-text.js";
import { renderForTelegram } from "../../../channels/telegram/render.js";
import { renderOutbound } from "../../../channels/whatsapp-cloud/render.js";
import { renderReplies } from "../../../channels/whatsapp-web/outbound.js";
import { contactLines, hotlineLine } from "../../../src/directory/format-contacts.js";
import { MrcDirectory } from "../../../src/directory/mrc-directory.js";
import { outbound } from "../../helpers/outbound.js";
import { testConfig } from "../../helpers/rahnama.js";

const safetyAnswer = [
  "You are not alone. If you are in danger now, call:",
  "🚨 999 — National Emergency Service, 24 hours (The Daily Star, 2024-09-30)",
  "🚨 +7 (966) 031-22-22 — Migrant helpline (Example, 2025-01-01)",
  "🚨 800 Save — Labour line (Example, 2025-01-01)",
  "☎ 0304 1112123 — Migrant Resource Centre Pakistan (free hotline)",
  "💬 +92 300 1234567 — Migrant Resource Centre Pakistan (WhatsApp)",
  "The fee of 2024 — or 35,000 taka — is not a number to call; nor is 999 inside a sentence.",
].join("\n");

describe("numbers to call", () => {
  it("builds tel: URIs with a leading + kept and digits only otherwise, and none for letters", () => {
    expect(telUri("999")).toBe("tel:999");
    expect(telUri("+8809610102030")).toBe("tel:+8809610102030");
    expect(telUri("0304 1112123")).toBe("tel:03041112123");
    expect(telUri("+7 (966) 031-22-22")).toBe("tel:+79660312222");
    expect(telUri("111-247-786")).toBe("tel:111247786");
    expect(telUri("03-8000 8000")).toBe("tel:0380008000");
    expect(telUri("600 590000")).toBe("tel:600590000");
    expect(telUri("800 Save")).toBeNull();
    expect(telUri("—")).toBeNull();
  });

  it("finds only the numbers that start a 🚨 or ☎ contact line, where they are", () => {
    const found = contactNumbers(safetyAnswer);
    expect(found.map((number) => [number.number, number.uri])).toEqual([
      ["999", "tel:999"],
      ["+7 (966) 031-22-22", "tel:+79660312222"],
      ["0304 1112123", "tel:03041112123"],
    ]);
    for (const number of found) expect(safetyAnswer.slice(number.start, number.end)).toBe(number.number);
  });

  it('finds every dialable number of the directory as the bot writes it, and leaves "800 Save" as text', async () => {
    const directory = await MrcDirectory.load(testConfig().paths.knowledge);
    expect(directory.hotlines.length).toBeGreaterThan(20);
    for (const line of directory.hotlines) {
      const found = contactNumbers(`Call:\n${hotlineLine(line)}`);
      if (/\p{L}/u.test(line.number)) {
        expect(found).toEqual([]);
        continue;
      }
      expect(found.map((number) => number.number)).toEqual([line.number]);
      expect(found[0]?.uri.replace(/\D/g, "")).toBe(line.number.replace(/\D/g, ""));
    }
    const centreLines = directory.centres.flatMap((centre) => contactLines(directory, centre.country));
    const dialled = centreLines.filter((line) => line.startsWith("☎"));
    expect(dialled.length).toBeGreaterThan(0);
    expect(contactNumbers(dialled.join("\n"))).toHaveLength(dialled.length);
  });
});

describe("numbers to call in each channel", () => {
  const reply = outbound(`**Help now**\n${safetyAnswer}`);

  it("are tel: links in Telegram's HTML, with the words unchanged", () => {
    const [piece] = renderForTelegram(reply);
    expect(piece?.html).toContain('🚨 <a href="tel:999">999</a> — National Emergency Service');
    expect(piece?.html).toContain('🚨 <a href="tel:+79660312222">+7 (966) 031-22-22</a> — Migrant helpline');
    expect(piece?.html).toContain('☎ <a href="tel:03041112123">0304 1112123</a> — Migrant Resource Centre');
    expect(piece?.html).toContain("🚨 800 Save — Labour line");
    expect(piece?.html).toContain("💬 +92 300 1234567 — ");
    expect(piece?.html.match(/<a /g)).toHaveLength(3);
    expect(piece?.html.startsWith("<b>Help now</b>\n")).toBe(true);
  });

  it("stay plain digits on WhatsApp (Cloud and Web) and Bot Framework, whose apps link numbers themselves", () => {
    const plain = safetyAnswer;
    expect(renderReplyText(reply, plainStyle)).toBe(`Help now\n${plain}`);
    expect(renderReplyText(reply, whatsappStyle)).toBe(`*Help now*\n${plain}`);
    const [cloud] = renderOutbound(reply);
    expect(cloud).toEqual({ type: "text", text: { body: `*Help now*\n${plain}`, preview_url: false } });
    expect(renderReplies([reply]).texts).toEqual([`*Help now*\n${plain}`]);
    expect(toReplyActivity(reply).text).toBe(`**Help now**\n${plain}`);
  });
});
