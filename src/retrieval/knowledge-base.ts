import type { LanguageCode } from "../i18n/languages.js";
import type { Logger } from "../log.js";
import type { Embedder } from "./embedder.js";
import { hybridSearch, type SearchOutcome } from "./hybrid-search.js";
import { ensureIndex, type IngestOptions, type IngestReport } from "./ingest.js";
import { KnowledgeIndex } from "./knowledge-index.js";
import { loadLeaflets, type Leaflet, type Topic } from "./leaflet.js";

export interface SearchRequest {
  readonly query: string;
  readonly lang: LanguageCode;
  /** The user's country and any country the message names; empty means no country filter. */
  readonly countries: readonly string[];
  readonly limit?: number;
}

/** Leaflets plus their search index: what the bot knows and how it finds it. */
export class KnowledgeBase {
  readonly #byKey: Map<string, Leaflet>;

  private constructor(
    readonly leaflets: readonly Leaflet[],
    private readonly index: KnowledgeIndex,
    readonly embedder: Embedder,
    readonly ingest: IngestReport,
  ) {
    this.#byKey = new Map(leaflets.map((leaflet) => [`${leaflet.lang}/${leaflet.id}`, leaflet]));
  }

  /** Loads and validates leaflets, then builds the index if it is missing or stale. */
  static async open(options: {
    knowledgeDir: string;
    dataDir: string;
    embedder: Embedder;
    log: Logger;
    reindex: IngestOptions["mode"];
    onProgress?: IngestOptions["onProgress"];
  }): Promise<KnowledgeBase> {
    const leaflets = await loadLeaflets(options.knowledgeDir);
    const index = await KnowledgeIndex.open(options.dataDir);
    const report = await ensureIndex(index, leaflets, options.embedder, {
      mode: options.reindex,
      log: options.log,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return new KnowledgeBase(leaflets, index, options.embedder, report);
  }

  async search(request: SearchRequest): Promise<SearchOutcome> {
    return hybridSearch(
      this.index,
      this.embedder,
      request.query,
      { langs: [request.lang], countries: request.countries },
      request.limit ?? 5,
    );
  }

  /** The leaflet in the first of `langs` it exists in. */
  leaflet(id: string, langs: readonly LanguageCode[]): Leaflet | undefined {
    for (const lang of langs) {
      const leaflet = this.#byKey.get(`${lang}/${id}`);
      if (leaflet) return leaflet;
    }
    return undefined;
  }

  /** Leaflets on a topic in a language, the user's countries first. */
  onTopic(topic: Topic, lang: LanguageCode, countries: readonly string[]): Leaflet[] {
    const relevance = (leaflet: Leaflet) =>
      countries.some((country) => leaflet.countries.includes(country)) ? 0 : leaflet.countries.includes("any") ? 1 : 2;
    return this.leaflets
      .filter((leaflet) => leaflet.lang === lang && leaflet.topics.includes(topic))
      .filter((leaflet) => countries.length === 0 || relevance(leaflet) < 2)
      .sort((a, b) => relevance(a) - relevance(b) || a.title.localeCompare(b.title));
  }

  close(): void {
    this.index.close();
  }
}
