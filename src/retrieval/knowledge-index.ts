import "./quiet-lancedb.js";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import * as lancedb from "@lancedb/lancedb";
import { z } from "zod";
import { RahnamaError } from "../errors.js";
import type { LanguageCode } from "../i18n/languages.js";
import { normaliseForMatching } from "../nlu/normalise-text.js";
import type { Chunk } from "./chunk.js";
import type { Embedder } from "./embedder.js";
import type { Leaflet } from "./leaflet.js";
import { VectorCache } from "./vector-cache.js";

/** Bump when the table's columns, the FTS settings or the text folding change: old indexes are then rebuilt. */
const indexFormat = 7;
/**
 * One table per language (`chunks_eng`, `chunks_ben`, …): every search is in one language, and LanceDB
 * 0.31's trigram index build stops responding on one table of all languages (it hung above ~3,500
 * passages of every leaflet in nine languages; one language's table has a few hundred).
 */
const tablePrefix = "chunks_";
const tableFor = (lang: string) => `${tablePrefix}${lang}`;

/**
 * Two full-text indexes over the same passage text, because no single tokenizer suits every script:
 * words with English stemming (best on English, see the eval), and character trigrams, which match
 * inflected forms in Bengali, Urdu, Persian and Cyrillic ("патента" finds "Патент").
 */
export const lexicalIndexes = {
  words: {
    column: "search_text",
    options: { baseTokenizer: "simple", lowercase: true, stem: true, language: "English", removeStopWords: true },
  },
  grams: {
    column: "search_grams",
    options: { baseTokenizer: "ngram", ngramMinLength: 3, ngramMaxLength: 3, lowercase: true, prefixOnly: false },
  },
} as const;
export type LexicalIndex = keyof typeof lexicalIndexes;

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

interface IndexRow extends Record<string, unknown> {
  id: string;
  leaflet_key: string;
  leaflet_id: string;
  lang: string;
  heading: string;
  text: string;
  search_text: string;
  search_grams: string;
  countries: string;
  topics: string;
  position: number;
  vector: number[];
}

export interface RawHit {
  readonly chunkId: string;
  readonly leafletId: string;
  readonly lang: LanguageCode;
  /** The countries the passage's leaflet is about (`any` for general leaflets). */
  readonly countries: readonly string[];
  readonly heading: string;
  readonly text: string;
  readonly score: number;
}

export interface ChunkFilter {
  readonly langs: readonly LanguageCode[];
  /** Leaflets about any of these countries, or about any country. Empty: no country filter. */
  readonly countries: readonly string[];
  /** Leaflets on any of these topics. Absent or empty: every topic. */
  readonly topics?: readonly string[];
}

/** How the stored index differs from the leaflets on disk. */
export type IndexDiff =
  | { readonly kind: "fresh" }
  | { readonly kind: "missing" | "embedder-changed" | "format-changed" }
  | { readonly kind: "content-changed"; readonly changed: readonly string[]; readonly removed: readonly string[] };

/** `<lang>/<id>`: one leaflet in one language. */
export function leafletKey(leaflet: Pick<Leaflet, "lang" | "id">): string {
  return `${leaflet.lang}/${leaflet.id}`;
}

const ftsFingerprint = JSON.stringify(lexicalIndexes);

/** The LanceDB tables of leaflet passages, one per language, with a vector column and two full-text (BM25) indexes. */
export class KnowledgeIndex {
  private constructor(
    private readonly dir: string,
    private readonly db: lancedb.Connection,
    private readonly tables: Map<string, lancedb.Table>,
  ) {}

  static async open(dataDir: string): Promise<KnowledgeIndex> {
    const dir = path.join(dataDir, "index");
    await mkdir(dir, { recursive: true });
    try {
      const db = await lancedb.connect(dir);
      const tables = new Map<string, lancedb.Table>();
      for (const name of await db.tableNames()) {
        if (name.startsWith(tablePrefix)) tables.set(name.slice(tablePrefix.length), await db.openTable(name));
      }
      return new KnowledgeIndex(dir, db, tables);
    } catch (error) {
      throw new RahnamaError("INDEX_FAILED", `Cannot open the index in ${dir}`, { cause: error });
    }
  }

  /** What must be (re)indexed for the stored index to match these leaflets and this embedder. */
  async diff(leaflets: readonly Leaflet[], embedder: Embedder): Promise<IndexDiff> {
    const meta = await this.#readMeta();
    if (!meta || this.tables.size === 0) return { kind: "missing" };
    if (meta.format !== indexFormat || meta.fts !== ftsFingerprint) return { kind: "format-changed" };
    if (meta.embedderId !== embedder.id || meta.dimension !== embedder.dimension) return { kind: "embedder-changed" };
    const wanted = hashesOf(leaflets);
    const changed = Object.keys(wanted).filter((key) => meta.leaflets[key] !== wanted[key]);
    const removed = Object.keys(meta.leaflets).filter((key) => !(key in wanted));
    return changed.length === 0 && removed.length === 0
      ? { kind: "fresh" }
      : { kind: "content-changed", changed, removed };
  }

  /** Replaces every table. The meta file is written last, so a crash mid-way means "rebuild". */
  async rebuild(
    leaflets: readonly Leaflet[],
    chunks: readonly Chunk[],
    vectors: readonly number[][],
    embedder: Embedder,
  ): Promise<void> {
    try {
      const rows = toRows(chunks, vectors);
      this.#vectorCaches.clear();
      for (const lang of [...this.tables.keys()]) {
        if (!rows.some((row) => row.lang === lang)) await this.#dropTable(lang);
      }
      for (const [lang, langRows] of groupByLanguage(rows)) {
        const table = await this.db.createTable(tableFor(lang), langRows, { mode: "overwrite" });
        this.tables.set(lang, table);
        await this.#indexText(table);
      }
    } catch (error) {
      throw new RahnamaError("INDEX_FAILED", "Could not write the knowledge index", { cause: error });
    }
    await this.#writeMeta(leaflets, embedder);
  }

  /**
   * Replaces only the passages of changed leaflets and drops those of removed ones. A crash before the
   * meta file is written leaves those leaflets marked as changed, so the next run redoes exactly them.
   */
  async update(
    leaflets: readonly Leaflet[],
    replace: { readonly changed: readonly string[]; readonly removed: readonly string[] },
    chunks: readonly Chunk[],
    vectors: readonly number[][],
    embedder: Embedder,
  ): Promise<void> {
    const stale = [...replace.changed, ...replace.removed];
    const rows = toRows(chunks, vectors);
    const touched = new Set([...stale.map((key) => key.split("/")[0] ?? ""), ...rows.map((row) => row.lang)]);
    const added = groupByLanguage(rows);
    for (const lang of touched) this.#vectorCaches.delete(lang);
    try {
      for (const lang of touched) {
        const keys = stale.filter((key) => key.startsWith(`${lang}/`));
        let table = this.tables.get(lang);
        if (table && keys.length > 0) await table.delete(`leaflet_key IN (${keys.map(sqlString).join(", ")})`);
        const langRows = added.get(lang) ?? [];
        if (langRows.length > 0) {
          if (table) await table.add(langRows);
          else {
            table = await this.db.createTable(tableFor(lang), langRows, { mode: "overwrite" });
            this.tables.set(lang, table);
          }
        }
        if (table) await this.#indexText(table);
      }
    } catch (error) {
      throw new RahnamaError("INDEX_FAILED", "Could not update the knowledge index", { cause: error });
    }
    await this.#writeMeta(leaflets, embedder);
  }

  /** Exact cosine search over the languages' vectors, read once into memory (see vector-cache.ts). */
  async vectorSearch(vector: readonly number[], filter: ChunkFilter, limit: number): Promise<RawHit[]> {
    if (this.tables.size === 0) throw new RahnamaError("INDEX_NOT_READY");
    const lists = await Promise.all(
      filter.langs.map(async (lang) => (await this.#vectorCache(lang))?.search(vector, filter, limit) ?? []),
    );
    return lists
      .flat()
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  readonly #vectorCaches = new Map<string, Promise<VectorCache | null>>();

  #vectorCache(lang: string): Promise<VectorCache | null> {
    const table = this.tables.get(lang);
    if (!table) return Promise.resolve(null);
    let cache = this.#vectorCaches.get(lang);
    if (!cache) {
      cache = table
        .query()
        .select([...hitColumns, "topics", "vector"])
        .toArray()
        .then((rows: Record<string, unknown>[]) =>
          VectorCache.from(
            rows.map((row) => ({
              hit: toHit(row, 0),
              countries: String(row.countries),
              topics: String(row.topics),
              vector: vectorValues(row.vector),
            })),
          ),
        );
      this.#vectorCaches.set(lang, cache);
    }
    return cache;
  }

  async textSearch(
    query: string,
    filter: ChunkFilter,
    limit: number,
    index: LexicalIndex = "words",
  ): Promise<RawHit[]> {
    const folded = normaliseForMatching(query);
    if (!folded) return [];
    const lists = await Promise.all(
      this.#tablesFor(filter).map((table) =>
        table
          .query()
          .fullTextSearch(folded, { columns: [lexicalIndexes[index].column] })
          .where(whereClause(filter))
          // Only what a hit needs: decoding each hit's vector and search columns was most of a query's time.
          .select(hitColumns)
          .limit(limit)
          .toArray(),
      ),
    );
    return lists
      .flat()
      .map((row: Record<string, unknown>) => toHit(row, Number(row._score)))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  async count(): Promise<number> {
    let total = 0;
    for (const table of this.tables.values()) total += await table.countRows();
    return total;
  }

  close(): void {
    for (const table of this.tables.values()) table.close();
    this.db.close();
  }

  async #indexText(table: lancedb.Table): Promise<void> {
    for (const { column, options } of Object.values(lexicalIndexes)) {
      await table.createIndex(column, { config: lancedb.Index.fts(options), replace: true });
    }
  }

  #tablesFor(filter: ChunkFilter): lancedb.Table[] {
    if (this.tables.size === 0) throw new RahnamaError("INDEX_NOT_READY");
    return filter.langs.flatMap((lang) => {
      const table = this.tables.get(lang);
      return table ? [table] : [];
    });
  }

  async #dropTable(lang: string): Promise<void> {
    this.#vectorCaches.delete(lang);
    this.tables.get(lang)?.close();
    this.tables.delete(lang);
    await this.db.dropTable(tableFor(lang));
  }

  async #readMeta(): Promise<IndexMeta | null> {
    try {
      const parsed = metaSchema.safeParse(JSON.parse(await readFile(path.join(this.dir, "meta.json"), "utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async #writeMeta(leaflets: readonly Leaflet[], embedder: Embedder): Promise<void> {
    const meta: IndexMeta = {
      format: indexFormat,
      embedderId: embedder.id,
      dimension: embedder.dimension,
      fts: ftsFingerprint,
      leaflets: hashesOf(leaflets),
      chunkCount: await this.count(),
      builtAt: new Date().toISOString(),
    };
    const file = path.join(this.dir, "meta.json");
    await writeFile(`${file}.tmp`, JSON.stringify(meta, null, 2));
    await rename(`${file}.tmp`, file);
  }
}

function groupByLanguage(rows: readonly IndexRow[]): Map<string, IndexRow[]> {
  const groups = new Map<string, IndexRow[]>();
  for (const row of rows) {
    const group = groups.get(row.lang);
    if (group) group.push(row);
    else groups.set(row.lang, [row]);
  }
  return groups;
}

function toRows(chunks: readonly Chunk[], vectors: readonly number[][]): IndexRow[] {
  return chunks.map((chunk, i) => ({
    id: chunk.id,
    leaflet_key: leafletKey({ lang: chunk.lang, id: chunk.leafletId }),
    leaflet_id: chunk.leafletId,
    lang: chunk.lang,
    heading: chunk.heading,
    text: chunk.text,
    // Folded like queries are (letter variants, keyboards), so both sides meet in one spelling.
    search_text: normaliseForMatching(chunk.lexicalText),
    search_grams: normaliseForMatching(chunk.lexicalText),
    countries: `|${chunk.countries.join("|")}|`,
    topics: `|${chunk.topics.join("|")}|`,
    position: chunk.position,
    vector: vectors[i] ?? [],
  }));
}

function hashesOf(leaflets: readonly Leaflet[]): Record<string, string> {
  return Object.fromEntries(leaflets.map((leaflet) => [leafletKey(leaflet), leaflet.contentHash]));
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
  if (filter.topics && filter.topics.length > 0) {
    clauses.push(`(${filter.topics.map((topic) => `topics LIKE ${sqlString(`%|${topic}|%`)}`).join(" OR ")})`);
  }
  return clauses.join(" AND ");
}

/** A stored vector as numbers: an Arrow list, a typed array or nothing. */
function vectorValues(value: unknown): ArrayLike<number> {
  if (value === null || value === undefined) return [];
  // Arrow lists and typed arrays are both iterable.
  if (typeof value === "object" && Symbol.iterator in value) return Float32Array.from(value as Iterable<number>);
  return [];
}

const hitColumns = ["id", "leaflet_id", "lang", "countries", "heading", "text"];

function toHit(row: Record<string, unknown>, score: number): RawHit {
  return {
    chunkId: String(row.id),
    leafletId: String(row.leaflet_id),
    lang: String(row.lang) as LanguageCode,
    countries: String(row.countries).split("|").filter(Boolean),
    heading: String(row.heading),
    text: String(row.text),
    score,
  };
}
