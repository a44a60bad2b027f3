import { describe, expect, it } from "vitest";
import {
  actionCheck,
  inlineKeyboard,
  parseOptionHandle,
  plainText,
  renderForTelegram,
  renderReplies,
  splitHtml,
} from "../../../channels/telegram/render.js";
import { classify } from "../../../channels/telegram/sender.js";
import { RateLimitedError, TransientSendError } from "../../../channels/shared/paced-queue.js";
import { TelegramError } from "telegraf";
import { outbound } from "./stub-deps.js";

const visible = (html: string) => plainText(html);

/** Every opened tag is closed in the same piece, in order. */
function balanced(html: string): boolean {
  const open: string[] = [];
  for (const tag of html.match(/<\/?[a-z]+[^>]*>/gi) ?? []) {
    const name = /^<\/?([a-z]+)/i.exec(tag)?.[1];
    if (tag.startsWith("</")) {
      if (open.pop() !== name) return false;
    } else if (name) open.push(name);
  }
  return open.length === 0;
}

describe("Telegram rendering", () => {
  it("renders light Markdown as Telegram HTML, escaping what the person or leaflet wrote", () => {
    const [piece] = renderForTelegram(outbound("**Fees & costs** for <agents>: pay < 5000"));
    expect(piece?.html).toBe("<b>Fees &amp; costs</b> for &lt;agents&gt;: pay &lt; 5000");
  });

  it("lists cited sources as links, escaping their titles and addresses", () => {
    const reply = {
      ...outbound("Answer."),
      citations: [
        {
          leafletId: "l",
          title: "Leaflet",
          reviewed: "2026-11-28",
          lang: "eng" as const,
          sources: [
            { title: "BMET <rules>", url: 'https://example.org/a?x=1&y="2"', date: "2025-01-02" },
            { title: "Own notes", url: null, date: null },
          ],
        },
      ],
    };
    const [piece] = renderForTelegram(reply);
    expect(piece?.html).toBe(
      'Answer.\n\n• <a href="https://example.org/a?x=1&amp;y=&quot;2&quot;">BMET &lt;rules&gt; (2025-01-02)</a>',
    );
  });

  it("splits a long reply into pieces of at most 4096 characters with balanced tags and no text lost", () => {
    const words = Array.from({ length: 2_000 }, (_, i) =>
      i % 50 === 0 ? `**bold ${String(i)} words here**` : `w${String(i)}`,
    );
    const text = words.join(" ");
    const html = renderForTelegram(outbound(text)).map((piece) => piece.html);
    expect(html.length).toBeGreaterThan(1);
    for (const piece of html) {
      expect(visible(piece).length).toBeLessThanOrEqual(4096);
      expect(balanced(piece)).toBe(true);
    }
    const joined = html.map(visible).join(" ").replace(/\s+/g, " ");
    expect(joined).toBe(text.replaceAll("**", "").replace(/\s+/g, " "));
  });

  it("never cuts inside a tag or an entity, and reopens bold text cut in two", () => {
    const longBold = `**${Array.from({ length: 300 }, (_, i) => `word${String(i)}`).join(" ")}**`;
    const html = splitHtml(renderForTelegram(outbound(`${"a &amp; b ".repeat(10)}${longBold}`))[0]?.html ?? "", 400);
    expect(html.length).toBeGreaterThan(2);
    for (const piece of html) {
      expect(balanced(piece)).toBe(true);
      expect(piece).not.toMatch(/&[a-z]*$|<[^>]*$/);
    }
    expect(html[2]?.startsWith("<b>")).toBe(true);
  });

  it("lays out buttons one per row, or two short ones side by side, with short handles", () => {
    const rows = inlineKeyboard([
      { title: "Costs", action: "intent:recruitment-costs" },
      { title: "Passport", action: "intent:documents" },
      { title: "Talk to a counsellor at your MRC", action: "intent:counsellor" },
      { title: "Language", action: "intent:change-language" },
    ]);
    expect(rows.map((row) => row.map((button) => button.text))).toEqual([
      ["Costs", "Passport"],
      ["Talk to a counsellor at your MRC"],
      ["Language"],
    ]);
    const handle = rows[1]?.[0]?.callback_data ?? "";
    expect(Buffer.byteLength(handle)).toBeLessThanOrEqual(64);
    expect(parseOptionHandle(handle)).toEqual({ choice: 3, check: actionCheck("intent:counsellor") });
    expect(parseOptionHandle("o:3")).toEqual({ choice: 3, check: null });
    expect(parseOptionHandle("something else")).toBeNull();
  });

  it("numbers the options of several replies through, so every button keeps its own action", () => {
    const { pieces, options } = renderReplies([
      outbound("First", [{ title: "A", action: "a" }]),
      outbound("Second", [{ title: "B", action: "b" }]),
    ]);
    expect(options.map((option) => option.action)).toEqual(["a", "b"]);
    expect(parseOptionHandle(pieces[1]?.keyboard?.[0]?.[0]?.callback_data ?? "")?.choice).toBe(2);
  });
});

describe("Telegram error classification", () => {
  const telegramError = (code: number, parameters?: Record<string, number>) =>
    new TelegramError({ error_code: code, description: "x", ...(parameters ? { parameters } : {}) });

  it("turns 429 into a wait of retry_after seconds, 5xx and network errors into retries, the rest into refusals", () => {
    const limited = classify(telegramError(429, { retry_after: 3 }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited instanceof RateLimitedError && limited.retryAfterMs).toBe(3_000);
    expect(classify(telegramError(502))).toBeInstanceOf(TransientSendError);
    expect(classify(new Error("ECONNRESET"))).toBeInstanceOf(TransientSendError);
    const refused = classify(telegramError(403));
    expect(refused).not.toBeInstanceOf(TransientSendError);
    expect(refused).not.toBeInstanceOf(RateLimitedError);
  });
});
