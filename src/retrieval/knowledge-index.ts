import "./quiet-lancedb.js";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import * as lancedb from "@lancedb/lancedb";
import { z } from "zod";
import { RahnamaError } from "../errors.js";
import type { LanguageCode } from "../i18n/languages.js";
import type { Chunk } from "./chunk.js";
import type { Embedder } from "./embedder.js";
import type { Leaflet } from "./leaflet.js";

/** Bump when the table's columns or the FTS settings change: old indexes are then rebuilt. */
const indexFormat = 1;
const tableName = "chunks";

/**
 * Word tokens with English stemming. Chosen over trigrams on the English retrieval set
 * (test/retrieval); the knowledge issue's eval harness decides again once other languages have leaflets.
 */
const ftsOptions = {
  baseTokenizer: "simple",
  lowercase: true,
  stem: true,
  language: "English",
  removeStopWords: true,
} as const;

const metaSchema = z.object({
  format: z.number(),
  embedderId: z.string(),
  dimension: z.number(),
  fts: z.string(),
  leaflets: z.record(z.string(), z.string()),
  chunkCount: z.number(),
  builtAt: z.string(),
});
type IndexMeta = z.infer<typeof metaSchema>;

export interface IndexRow extends Record<string, unknown> {
  id: string;
  leaflet_id: string;
  lang: string;
  heading: string;
  text: string;
  search_text: string;
  countries: string;
  topics: string;
  position: number;
  vector: number[];
}

export interface RawHit {
  readonly chunkId: string;
  readonly leafletId: string;
  readonly lang: LanguageCode;
  readonly heading: string;
  readonly text: string;
  readonly score: number;
}

export interface ChunkFilter {
  readonly langs: readonly LanguageCode[];
  /** Leaflets about any of these countries, or about any country. Empty: no country filter. */
  readonly countries: readonly string[];
}

export type IndexFreshness = "fresh" | "missing" | "embedder-changed" | "content-changed" | "format-changed";

/** The LanceDB table of leaflet chunks, with its vector column and a full-text (BM25) index. */
export class KnowledgeIndex {
  private constructor(
    private readonly dir: string,
    private readonly db: lancedb.Connection,
    private table: lancedb.Table | null,
  ) {}

  static async open(dataDir: string): Promise<KnowledgeIndex> {
    const dir = path.join(dataDir, "index");
    await mkdir(dir, { recursive: true });
    try {
      const db = await lancedb.connect(dir);
      const names = await db.tableNames();
      const table = names.includes(tableName) ? await db.openTable(tableName) : null;
      return new KnowledgeIndex(dir, db, table);
    } catch (error) {
      throw new RahnamaError("INDEX_FAILED", `Cannot open the index in ${dir}`, { cause: error });
    }
  }

  /** Whether the stored index matches these leaflets and this embedder. */
  async freshness(leaflets: readonly Leaflet[], embedder: Embedder): Promise<IndexFreshness> {
    const meta = await this.#readMeta();
    if (!meta || !this.table) return "missing";
    if (meta.format !== indexFormat || meta.fts !== JSON.stringify(ftsOptions)) return "format-changed";
    if (meta.embedderId !== embedder.id || meta.dimension !== embedder.dimension) return "embedder-changed";
    const wanted = hashesOf(leaflets);
    const stored = meta.leaflets;
    const same =
      Object.keys(wanted).length === Object.keys(stored).length &&
      Object.entries(wanted).every(([key, hash]) => stored[key] === hash);
    return same ? "fresh" : "content-changed";
  }

  /** Replaces the whole table. The meta file is written last, so a crash mid-way means "rebuild". */
  async rebuild(
    leaflets: readonly Leaflet[],
    chunks: readonly Chunk[],
    vectors: readonly number[][],
    embedder: Embedder,
  ): Promise<void> {
    const rows: IndexRow[] = chunks.map((chunk, i) => ({
      id: chunk.id,
      leaflet_id: chunk.leafletId,
      lang: chunk.lang,
      heading: chunk.heading,
      text: chunk.text,
      search_text: chunk.searchText,
      countries: `|${chunk.countries.join("|")}|`,
      topics: `|${chunk.topics.join("|")}|`,
      position: chunk.position,
      vector: vectors[i] ?? [],
    }));
    try {
      this.table = await this.db.createTable(tableName, rows, { mode: "overwrite" });
      await this.table.createIndex("search_text", { config: lancedb.Index.fts(ftsOptions), replace: true });
    } catch (error) {
      throw new RahnamaError("INDEX_FAILED", "Could not write the knowledge index", { cause: error });
    }
    await this.#writeMeta({
      format: indexFormat,
      embedderId: embedder.id,
      dimension: embedder.dimension,
      fts: JSON.stringify(ftsOptions),
      leaflets: hashesOf(leaflets),
      chunkCount: rows.length,
      builtAt: new Date().toISOString(),
    });
  }

  async vectorSearch(vector: readonly number[], filter: ChunkFilter, limit: number): Promise<RawHit[]> {
    const table = this.#requireTable();
    const rows = await table
      .query()
      .nearestTo([...vector])
      .distanceType("cosine")
      .where(whereClause(filter))
      .limit(limit)
      .toArray();
    // Cosine distance is 1 - similarity; callers reason in similarity.
    return rows.map((row: Record<string, unknown>) => toHit(row, 1 - Number(row._distance)));
  }

  async textSearch(query: string, filter: ChunkFilter, limit: number): Promise<RawHit[]> {
    const table = this.#requireTable();
    const rows = await table
      .query()
      .fullTextSearch(query, { columns: ["search_text"] })
      .where(whereClause(filter))
      .limit(limit)
      .toArray();
    return rows.map((row: Record<string, unknown>) => toHit(row, Number(row._score)));
  }

  async count(): Promise<number> {
    return this.table ? this.table.countRows() : 0;
  }

  close(): void {
    this.table?.close();
    this.db.close();
  }

  #requireTable(): lancedb.Table {
    if (!this.table) throw new RahnamaError("INDEX_NOT_READY");
    return this.table;
  }

  async #readMeta(): Promise<IndexMeta | null> {
    try {
      const parsed = metaSchema.safeParse(JSON.parse(await readFile(path.join(this.dir, "meta.json"), "utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async #writeMeta(meta: IndexMeta): Promise<void> {
    const file = path.join(this.dir, "meta.json");
    await writeFile(`${file}.tmp`, JSON.stringify(meta, null, 2));
    await rename(`${file}.tmp`, file);
  }
}

function hashesOf(leaflets: readonly Leaflet[]): Record<string, string> {
  return Object.fromEntries(leaflets.map((leaflet) => [`${leaflet.lang}/${leaflet.id}`, leaflet.contentHash]));
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function whereClause(filter: ChunkFilter): string {
  const clauses = [`lang IN (${filter.langs.map(sqlString).join(", ")})`];
  if (filter.countries.length > 0) {
    const countries = [...filter.countries, "any"].map((country) => `countries LIKE ${sqlString(`%|${country}|%`)}`);
    clauses.push(`(${countries.join(" OR ")})`);
  }
  return clauses.join(" AND ");
}

function toHit(row: Record<string, unknown>, score: number): RawHit {
  return {
    chunkId: String(row.id),
    leafletId: String(row.leaflet_id),
    lang: String(row.lang) as LanguageCode,
    heading: String(row.heading),
    text: String(row.text),
    score,
  };
}
