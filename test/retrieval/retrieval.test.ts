import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

interface Question {
  question: string;
  country?: string;
  expect: string[];
}

/** Written the way migrants write, never copied from the leaflets. */
const questions = JSON.parse(readFileSync(new URL("./english-questions.json", import.meta.url), "utf8")) as Question[];

describe("retrieval over the English leaflets", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama();
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it("has at least 15 questions to check", () => {
    expect(questions.length).toBeGreaterThanOrEqual(15);
  });

  it.each(questions)(
    "finds a right leaflet in the top 3 for: $question",
    async ({ question, country, expect: expected }) => {
      const outcome = await rahnama.services.knowledge.search({
        query: question,
        lang: "eng",
        countries: country ? [country] : [],
        limit: 10,
      });
      const topLeaflets = [...new Set(outcome.hits.map((hit) => hit.leafletId))].slice(0, 3);
      expect(
        topLeaflets.some((id) => expected.includes(id)),
        `top 3 were ${topLeaflets.join(", ")}`,
      ).toBe(true);
      expect(outcome.confident).toBe(true);
    },
  );

  it("answers a question with the leaflet's own words, its title, review date and sources", async () => {
    const send = chat(rahnama, "retrieval-answer");
    const [answer] = await send("what is the kafala system and where is it used?");
    const citation = answer?.citations[0];
    expect(citation?.leafletId).toBe("kafala-sponsorship-system");
    const leaflet = rahnama.services.knowledge.leaflet(citation?.leafletId ?? "", ["eng"]);
    const quoted = leaflet?.sections.find((section) => answer?.text.includes(section.text));
    expect(quoted, "the answer quotes a whole section of the leaflet").toBeDefined();
    expect(answer?.text).toContain(leaflet?.title);
    expect(answer?.text).toContain(String(leaflet?.reviewed));
    expect(citation?.sources.length).toBeGreaterThan(0);
    expect(answer?.quickReplies.map((q) => q.action)).toContain("intent:counsellor");
    expect(["fallback", "contracts-rights", "visas-permits"]).toContain(answer?.meta.intent);
  });

  it("says so when a leaflet has not been checked by a person yet", async () => {
    const unreviewed = rahnama.services.knowledge.leaflets.find(
      (leaflet) => leaflet.lang === "eng" && leaflet.reviewed === false,
    );
    expect(unreviewed).toBeDefined();
    const [reply] = await chat(rahnama, "unreviewed")(unreviewed?.shortTitle ?? "", {
      action: `leaflet:${unreviewed?.id ?? ""}`,
    });
    expect(reply?.text).toContain(
      rahnama.services.texts.get("common", "source_line_unreviewed", "eng", { title: unreviewed?.title ?? "" }).text,
    );
  });

  it.each([
    "how to fix my laptop screen",
    "tell me a joke",
    "recipe for chicken biryani",
    "who won the cricket match",
    "asdf qwer zxcv",
  ])("does not pretend to know when asked something off-topic: %s", async (text) => {
    const [reply] = await chat(rahnama, `off-topic-${text}`)(text);
    expect(reply?.citations).toEqual([]);
    expect([
      rahnama.services.texts.get("fallback", "not_found", "eng").text,
      rahnama.services.texts.get("out-of-scope", "default", "eng").text,
    ]).toContain(reply?.text);
    expect(reply?.quickReplies.map((q) => q.action)).toContain("intent:counsellor");
  });

  it("filters by country: a Pakistani asking about registration gets the Pakistan leaflet", async () => {
    const outcome = await rahnama.services.knowledge.search({
      query: "how do i register before going abroad for work",
      lang: "eng",
      countries: ["PK"],
    });
    const leaflets = outcome.hits.map((hit) => rahnama.services.knowledge.leaflet(hit.leafletId, ["eng"]));
    expect(leaflets.length).toBeGreaterThan(0);
    for (const leaflet of leaflets) {
      expect(leaflet?.countries.some((country) => country === "PK" || country === "any")).toBe(true);
    }
  });

  it("shows the leaflets of a topic picked from the menu", async () => {
    const [reply] = await chat(rahnama, "topic")("Check an agency", { action: "topic:agencies-licensing" });
    const actions = reply?.quickReplies.map((q) => q.action) ?? [];
    expect(actions.filter((a) => a.startsWith("leaflet:")).length).toBeGreaterThan(0);
    for (const action of actions.filter((a) => a.startsWith("leaflet:"))) {
      const leaflet = rahnama.services.knowledge.leaflet(action.slice("leaflet:".length), ["eng"]);
      expect(leaflet?.topics).toContain("agencies-licensing");
    }
  });
});
