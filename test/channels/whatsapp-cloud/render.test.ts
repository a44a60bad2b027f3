import { describe, expect, it } from "vitest";
import { limits, renderOutbound, truncate } from "../../../channels/whatsapp-cloud/render.js";
import type { QuickReply } from "../../../src/core/message.js";
import { outbound } from "../../helpers/outbound.js";

const reply = outbound;

const options = (count: number, title = (i: number) => `Topic ${String(i)}`): QuickReply[] =>
  Array.from({ length: count }, (_, i) => ({ title: title(i + 1), action: `intent:t${String(i + 1)}` }));

describe("rendering replies as Cloud API messages", () => {
  it("renders **bold** as WhatsApp's *bold* and adds the source links", () => {
    const [message] = renderOutbound(
      reply("The fee is **at most 100**.", [], {
        citations: [
          {
            leafletId: "x",
            title: "Costs",
            reviewed: "2026-11-28",
            lang: "eng",
            sources: [{ title: "BMET", url: "https://bmet.gov.bd/fees", date: "2026-01-01" }],
          },
        ],
      }),
    );
    expect(message).toEqual({
      type: "text",
      text: { body: "The fee is *at most 100*.\n\n• BMET (2026-01-01): https://bmet.gov.bd/fees", preview_url: false },
    });
  });

  it("splits long text at 4096 characters without losing words", () => {
    const sentence = "Ask the agency for a receipt for every payment you make. ";
    const text = sentence.repeat(200).trim();
    const messages = renderOutbound(reply(text));
    expect(messages.length).toBeGreaterThan(2);
    const bodies = messages.map((m) => (m.type === "text" ? m.text.body : ""));
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(limits.text);
    expect(bodies.join(" ").replace(/\s+/g, " ")).toBe(text);
  });

  it("offers up to three short options as reply buttons on the last piece", () => {
    const messages = renderOutbound(reply("Is this fee legal?", options(3)));
    expect(messages).toEqual([
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Is this fee legal?" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "o:1", title: "Topic 1" } },
              { type: "reply", reply: { id: "o:2", title: "Topic 2" } },
              { type: "reply", reply: { id: "o:3", title: "Topic 3" } },
            ],
          },
        },
      },
    ]);
  });

  it("sends a body too long for buttons as text, then the buttons with a short prompt", () => {
    const messages = renderOutbound(reply("word ".repeat(300).trim(), options(2), { lang: "rus" }));
    expect(messages.map((m) => m.type)).toEqual(["text", "interactive"]);
    const last = messages[1];
    expect(last?.type === "interactive" && last.interactive.body.text).toBe("Выберите");
  });

  it("uses a list for four to ten options or long titles, cutting titles at 24 characters", () => {
    const long = "Talk to a counsellor at your MRC now";
    const [list] = renderOutbound(reply("Menu", [...options(2), { title: long, action: "intent:counsellor" }]));
    expect(list?.type).toBe("interactive");
    if (list?.type !== "interactive" || list.interactive.type !== "list") throw new Error("expected a list");
    expect(list.interactive.action.button).toBe("Choose");
    const rows = list.interactive.action.sections[0]?.rows ?? [];
    expect(rows.map((row) => row.id)).toEqual(["o:1", "o:2", "o:3"]);
    expect(rows[2]).toEqual({ id: "o:3", title: "Talk to a counsellor at…", description: long });
    for (const row of rows) expect(Array.from(row.title).length).toBeLessThanOrEqual(limits.rowTitle);

    const [ten] = renderOutbound(reply("Menu", options(10)));
    expect(ten?.type === "interactive" && ten.interactive.type).toBe("list");
  });

  it("writes more than ten options as numbered lines to answer with a number", () => {
    const messages = renderOutbound(reply("Which country?", options(12)));
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.type === "text" && message.text.body).toBe(
      `Which country?\n\n${Array.from({ length: 12 }, (_, i) => `${String(i + 1)}. Topic ${String(i + 1)}`).join("\n")}`,
    );
  });

  it("truncates by characters, never splitting a surrogate pair", () => {
    expect(truncate("short", 24)).toBe("short");
    expect(truncate("😀😀😀😀", 3)).toBe("😀😀…");
    expect(Array.from(truncate("x".repeat(30), 24))).toHaveLength(24);
  });
});
