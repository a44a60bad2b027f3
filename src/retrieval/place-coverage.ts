import { euMembers, isOriginCountry } from "../i18n/countries.js";
import type { Leaflet } from "./leaflet.js";

/**
 * A country that at most this many leaflets are about is covered only thinly: those leaflets speak of it
 * for one thing (the United Kingdom only as a country the EU's return rules leave out), so a question about
 * it is answered only by a passage about it, never by a general one that happens to share its words.
 */
export const thinCoverage = 2;

/** Which countries the leaflets are about, and how many of them: what the bot can speak for. */
export class PlaceCoverage {
  /** Leaflets (by id, whatever their language) about each country. */
  readonly #leafletsAbout = new Map<string, Set<string>>();

  constructor(leaflets: readonly Leaflet[]) {
    for (const leaflet of leaflets) {
      for (const code of leaflet.countries) {
        const ids = this.#leafletsAbout.get(code) ?? new Set<string>();
        ids.add(leaflet.id);
        this.#leafletsAbout.set(code, ids);
      }
    }
  }

  #count(code: string): number {
    return this.#leafletsAbout.get(code)?.size ?? 0;
  }

  /** Of these countries, those no leaflet is about (an MRC that adds a leaflet about one covers it). */
  uncovered(codes: readonly string[]): string[] {
    // The EU's common rules (family reunification, return, the Blue Card) answer for every member state.
    return codes.filter((code) => this.#count(code) === 0 && !(euMembers.has(code) && this.#count("EU") > 0));
  }

  /** Of these countries, those known only through the EU's common rules (no leaflet of their own). */
  onlyEuWide(codes: readonly string[]): string[] {
    return codes.filter((code) => euMembers.has(code) && this.#count(code) === 0);
  }

  /**
   * Whether every destination a question names is covered only thinly (see thinCoverage). Origin countries
   * do not count: "from Tajikistan to Poland" is a question about Poland.
   */
  allThin(codes: readonly string[]): boolean {
    const destinations = codes.filter((code) => !isOriginCountry(code));
    return destinations.length > 0 && destinations.every((code) => this.#count(code) <= thinCoverage);
  }

  /**
   * Whether a leaflet can answer for a country known only through the EU's common rules: an EU-wide
   * leaflet can; one about another member state (Germany's family reunion visa) holds that state's rules.
   */
  answersForEuWide(leaflet: Leaflet): boolean {
    if (!leaflet.topics.includes("legal-pathways-europe")) return false;
    if (leaflet.countries.includes("any") || leaflet.countries.includes("EU")) return true;
    return !leaflet.countries.some((code) => euMembers.has(code));
  }
}
