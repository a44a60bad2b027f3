import type { Leaflet } from "../retrieval/leaflet.js";
import type { Citation } from "./message.js";

/** How a reply names the leaflet it quotes: title, review state, language and the leaflet's public sources. */
export function citationOf(leaflet: Leaflet): Citation {
  return {
    leafletId: leaflet.id,
    title: leaflet.title,
    reviewed: leaflet.reviewed,
    lang: leaflet.lang,
    sources: leaflet.sources.map((source) => ({ title: source.title, url: source.url ?? null, date: source.date })),
  };
}
