import { describe, expect, it } from "vitest";
import type { Leaflet } from "../../src/retrieval/leaflet.js";
import {
  companionSection,
  rankSections,
  type ScoredSection,
  type SectionFeatures,
} from "../../src/retrieval/passage-choice.js";

const leaflet = (id: string) => ({ id, sections: [{}, {}, {}] }) as unknown as Leaflet;
const features = (kind: -1 | 0 | 1): SectionFeatures => ({
  hitRank: 0,
  hitInEnglish: false,
  leafletRank: 0,
  leafletInEnglish: false,
  coverage: 0.5,
  focusCoverage: 0,
  headcountCoverage: 0,
  kind,
  place: 0,
  city: 0,
  contactsOnly: false,
  origin: 0,
  year: false,
});
const scored = (of: Leaflet, index: number, score: number, kind: -1 | 0 | 1 = 0): ScoredSection => ({
  leaflet: of,
  index,
  score,
  features: features(kind),
  parts: {},
});

/** A search hit on a leaflet's section (its first by default), as the lexical search returns it. */
const hit = (of: Leaflet, index = 0) => ({
  chunkId: `${of.id}#${index}`,
  leafletId: of.id,
  lang: "eng" as const,
  heading: of.sections[index]?.heading ?? "",
  text: of.sections[index]?.text ?? "",
  fused: 1,
  similarity: null,
  bm25: null,
  vectorRank: null,
  textRank: 1,
  coverage: 0,
});

describe("a second section of the chosen leaflet", () => {
  const wages = leaflet("wages");
  const other = leaflet("other");

  it("comes along when the two sections score nearly alike", () => {
    const next = scored(wages, 2, 1.8);
    expect(companionSection([scored(wages, 0, 2), scored(other, 0, 1.9), next])).toBe(next);
  });

  it("comes along when only it holds the kind of fact asked, however far behind", () => {
    const next = scored(wages, 1, 0.5, 1);
    expect(companionSection([scored(wages, 0, 2, -1), next])).toBe(next);
  });

  it("stays out when the best section stands clear and holds the fact, or the runner-up is another leaflet's", () => {
    expect(companionSection([scored(wages, 0, 2, 1), scored(wages, 1, 1, 1)])).toBeNull();
    expect(companionSection([scored(wages, 0, 2), scored(other, 0, 1.95)])).toBeNull();
  });
});

describe("a 'how many people' question", () => {
  const section = (heading: string, text: string) => ({ heading, text });
  const fixture = (id: string, sections: { heading: string; text: string }[]) =>
    ({ id, lang: "eng", countries: ["TJ", "RU"], topics: [], sections }) as unknown as Leaflet;
  const before = fixture("before-you-leave", [
    section(
      "Check your status before you fly",
      "Tajik citizens: are you on the list of controlled persons? Check before you fly. In 2021 more than 5,000 people on the banned list were stopped at the airport.",
    ),
  ]);
  const patent = fixture("work-with-a-patent", [
    section("Avoid deportation", "More than 120,000 Tajik citizens are on the list of controlled persons."),
  ]);
  const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}+/gu) ?? []);
  const coverage = (question: string) => (text: string) => {
    const asked = [...words(question)];
    const found = words(text);
    return asked.filter((word) => found.has(word)).length / asked.length;
  };

  it("is answered by the section whose number of people is the one asked about, though the search ranked it second", () => {
    const question = "how many tajik citizens are on the list of controlled persons?";
    const ranked = rankSections({
      question: { text: question, lang: "eng", kinds: ["headcount"], places: [], cities: [], origin: "TJ" },
      hitLists: [[hit(before), hit(patent)]],
      leafletOf: (id) => [before, patent].find((candidate) => candidate.id === id),
      coverage: coverage(question),
    });
    expect(ranked[0]?.leaflet.id).toBe("work-with-a-patent");
    expect(ranked[0]?.features.headcountCoverage).toBeGreaterThan(
      ranked.find((entry) => entry.leaflet.id === "before-you-leave")?.features.headcountCoverage ?? 1,
    );
  });
});

describe("what a question names beyond its words", () => {
  const fixture = (id: string, countries: string[], heading: string, text: string) =>
    ({ id, lang: "eng", countries, topics: [], sections: [{ heading, text }] }) as unknown as Leaflet;
  const rank = (
    leaflets: Leaflet[],
    question: { text: string; kinds: ("headcount" | "amount")[]; places: string[]; origin: string },
  ) =>
    rankSections({
      question: { ...question, lang: "eng", cities: [] },
      hitLists: [leaflets.map(hit)],
      leafletOf: (id) => leaflets.find((candidate) => candidate.id === id),
      // Every section holds the question's words alike: only what the question names can tell them apart.
      coverage: () => 0.5,
    });

  it("prefers the section with a figure for the year asked, though the search ranked it second", () => {
    const channel = fixture(
      "channel",
      ["any"],
      "People die on the way",
      "In November 2021 a boat sank in the Channel and 27 people died.",
    );
    const world = fixture(
      "world",
      ["any"],
      "The journey can kill",
      "In 2023 more than 8,000 people died on migration routes around the world.",
    );
    const question = {
      text: "how many people died on the routes in ٢٠٢٣?",
      kinds: ["headcount" as const],
      places: [],
      origin: "TJ",
    };
    expect(rank([channel, world], question)[0]?.leaflet.id).toBe("world");
    // Without a year asked, the search's order stands.
    expect(rank([channel, world], { ...question, text: "how many people died on the routes?" })[0]?.leaflet.id).toBe(
      "channel",
    );
  });

  it("does not give a Pakistani the section a leaflet for several origins heads with Bangladesh", () => {
    const women = {
      id: "women-domestic-work",
      lang: "eng",
      countries: ["BD", "PK", "SA"],
      topics: [],
      sections: [
        { heading: "Bangladesh: what women pay to go to Saudi Arabia", text: "The cost was set at zero in 2018." },
        { heading: "Pakistan: what women pay to go to Saudi Arabia", text: "The promoter may charge Rs 15,000." },
      ],
    } as unknown as Leaflet;
    const ranked = (origin: string) =>
      rankSections({
        question: {
          text: "what do women pay for saudi arabia?",
          lang: "eng",
          kinds: ["amount"],
          places: ["SA"],
          cities: [],
          origin,
        },
        hitLists: [[hit(women, 0), hit(women, 1)]],
        leafletOf: () => women,
        coverage: () => 0.5,
      });
    expect(ranked("PK")[0]?.index).toBe(1);
    expect(ranked("BD")[0]?.index).toBe(0);
  });

  it("does not give one origin's rules to another origin's asker because both name the same destination", () => {
    const iraqis = fixture(
      "iraq-routes-to-europe",
      ["IQ", "EU", "DE"],
      "Working in Europe from Iraq",
      "The EU Blue Card needs a job offer in Europe and a salary of at least 1.5 times the average.",
    );
    const general = fixture(
      "europe-work",
      ["any"],
      "Working in Europe",
      "The EU Blue Card needs a job offer in Europe and a university degree.",
    );
    const question = { text: "what do I need for a Blue Card in Europe?", kinds: [], places: ["EU"], origin: "TJ" };
    expect(rank([iraqis, general], question)[0]?.leaflet.id).toBe("europe-work");
    // An Iraqi, or anyone who asks about Iraq, is its leaflet's reader.
    expect(rank([iraqis, general], { ...question, origin: "IQ" })[0]?.leaflet.id).toBe("iraq-routes-to-europe");
    expect(rank([iraqis, general], { ...question, places: ["EU", "IQ"] })[0]?.leaflet.id).toBe("iraq-routes-to-europe");
  });

  it("weighs a leaflet that names a town of the asker's own country asked about, though the searches missed it", () => {
    const fees = fixture(
      "pakistan-fees",
      ["PK"],
      "Cash payments to agents in Pakistan are banned",
      "Pay every fee by bank: the government fee is Rs 2,500 for each family member.",
    );
    const border = fixture(
      "returnees-at-the-border",
      ["AF", "PK", "IR"],
      "What returnees received at the border",
      "At Torkham a committee gave each family 10,000 Afghanis.",
    );
    const question = {
      text: "we came back from pakistan through torkham, how much cash do they give each family?",
      lang: "eng" as const,
      kinds: ["amount" as const],
      places: [],
      cities: [],
      origin: "AF",
    };
    const ranked = (homeTowns: string[], namingHomeTowns: Leaflet[]) =>
      rankSections({
        question: { ...question, homeTowns },
        hitLists: [[hit(fees)]],
        leafletOf: (id) => [fees, border].find((candidate) => candidate.id === id),
        coverage: () => 0.5,
        namingHomeTowns,
      });
    expect(ranked(["torkham"], [border])[0]?.leaflet.id).toBe("returnees-at-the-border");
    expect(ranked([], [])[0]?.leaflet.id).toBe("pakistan-fees");
    // Found, but below the leaflets that are weighed, it is still weighed.
    const others = ["a", "b", "c", "d"].map((id) => fixture(id, ["PK"], "Pakistan", "Pay by bank in Pakistan."));
    const found = rankSections({
      question: { ...question, homeTowns: ["torkham"] },
      hitLists: [[hit(fees), ...others.map((other) => hit(other)), hit(border)]],
      leafletOf: (id) => [fees, border, ...others].find((candidate) => candidate.id === id),
      coverage: () => 0.5,
      namingHomeTowns: [border],
    });
    expect(found[0]?.leaflet.id).toBe("returnees-at-the-border");
  });

  it("prefers, for a follow-up that only says what it asks, the section holding the follow-up's own words", () => {
    const oman = {
      id: "oman-rights",
      lang: "eng",
      countries: ["OM"],
      topics: [],
      sections: [
        { heading: "Oman's Labour Law of 2023", text: "Normal working hours are 8 a day and 40 a week." },
        { heading: "Leave and holidays in Oman", text: "A worker gets 30 days of paid annual leave a year." },
      ],
    } as unknown as Leaflet;
    const ranked = (focusCoverage?: (text: string) => number) =>
      rankSections({
        question: {
          text: "how many hours a day in oman under the new law? and annual leave, how many days?",
          lang: "eng",
          kinds: ["period"],
          places: ["OM"],
          cities: [],
          origin: null,
        },
        hitLists: [[hit(oman, 0), hit(oman, 1)]],
        leafletOf: () => oman,
        // The whole question shares more words with the section on hours.
        coverage: (text) => (text.includes("hours") ? 0.5 : 0.4),
        ...(focusCoverage ? { focusCoverage } : {}),
      });
    expect(ranked()[0]?.index).toBe(0);
    expect(ranked((text) => (text.includes("annual leave") ? 0.6 : 0))[0]?.index).toBe(1);
  });
});
