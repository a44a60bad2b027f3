import { describe, expect, it } from "vitest";
import type { Leaflet } from "../../src/retrieval/leaflet.js";
import { companionSection, type ScoredSection, type SectionFeatures } from "../../src/retrieval/passage-choice.js";

const leaflet = (id: string) => ({ id, sections: [{}, {}, {}] }) as unknown as Leaflet;
const features = (kind: -1 | 0 | 1): SectionFeatures => ({
  hitRank: 0,
  hitInEnglish: false,
  leafletRank: 0,
  leafletInEnglish: false,
  coverage: 0.5,
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
