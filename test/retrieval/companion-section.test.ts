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
  headcountCoverage: 0,
  kind,
  place: 0,
  city: 0,
  contactsOnly: false,
  origin: 0,
});
const scored = (of: Leaflet, index: number, score: number, kind: -1 | 0 | 1 = 0): ScoredSection => ({
  leaflet: of,
  index,
  score,
  features: features(kind),
  parts: {},
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
    const hit = (of: Leaflet) => ({
      chunkId: `${of.id}#0`,
      leafletId: of.id,
      lang: "eng" as const,
      heading: of.sections[0]?.heading ?? "",
      text: of.sections[0]?.text ?? "",
      fused: 1,
      similarity: null,
      bm25: null,
      vectorRank: null,
      textRank: 1,
      coverage: 0,
    });
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
