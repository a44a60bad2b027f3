import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { z } from "zod";
import { countriesMentioned, originFromLanguage, placeMentions, searchCountries } from "../src/i18n/countries.js";
import { questionKinds } from "../src/nlu/question-kind.js";
import { normaliseLanguage, type LanguageCode } from "../src/i18n/languages.js";
import { chunkLeaflet } from "../src/retrieval/chunk.js";
import type { KnowledgeBase } from "../src/retrieval/knowledge-base.js";
import type { LexicalIndex } from "../src/retrieval/knowledge-index.js";
import type { Leaflet } from "../src/retrieval/leaflet.js";

const questionSchema = z.object({
  question: z.string().min(1),
  lang: z.string(),
  country: z.string().default("any"),
  expect: z.array(z.string()).optional(),
  topic: z.string().optional(),
});

export interface EvalQuestion {
  readonly question: string;
  readonly lang: LanguageCode;
  readonly country: string;
  readonly expect?: readonly string[];
  readonly topic?: string;
  /** Which file the question came from. */
  readonly set: string;
}

/** Reads JSONL question files; a bad line names its file and line number. */
export async function loadQuestions(files: readonly string[]): Promise<EvalQuestion[]> {
  const questions: EvalQuestion[] = [];
  for (const file of files) {
    const lines = (await readFile(file, "utf8")).split("\n");
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const parsed = questionSchema.safeParse(JSON.parse(line));
      const lang = parsed.success ? normaliseLanguage(parsed.data.lang) : null;
      if (!parsed.success || !lang || (!parsed.data.expect && !parsed.data.topic)) {
        throw new Error(
          `${file}:${i + 1}: needs question, a known lang, and expect (an empty list: should not be answered) or topic`,
        );
      }
      questions.push({
        question: parsed.data.question,
        lang,
        country: parsed.data.country,
        ...(parsed.data.expect ? { expect: parsed.data.expect } : {}),
        ...(parsed.data.topic ? { topic: parsed.data.topic } : {}),
        set: path.basename(file, ".jsonl"),
      });
    });
  }
  return questions;
}

export async function questionFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Off-topic questions (`expect: []`): the right outcome is "I don't know", not a quoted leaflet. */
export function isOffTopic(question: EvalQuestion): boolean {
  return question.expect !== undefined && question.expect.length === 0;
}

/** A question is answered when a leaflet it expects — or, for topic questions, any leaflet on that topic for that country — is ranked. */
function isRelevant(question: EvalQuestion, leaflet: Leaflet | undefined): boolean {
  if (!leaflet) return false;
  if (question.expect) return question.expect.includes(leaflet.id);
  const forCountry =
    question.country === "any" || leaflet.countries.includes(question.country) || leaflet.countries.includes("any");
  return forCountry && leaflet.topics.includes(question.topic as never);
}

export interface Scores {
  n: number;
  hit1: number;
  hit3: number;
  mrr: number;
}

export interface QuestionResult {
  readonly question: EvalQuestion;
  readonly ours: readonly string[];
  readonly baseline: readonly string[];
  readonly oursRank: number | null;
  readonly baselineRank: number | null;
  readonly crossLanguage: boolean;
}

function rankOf(
  question: EvalQuestion,
  ranked: readonly string[],
  leafletOf: (id: string) => Leaflet | undefined,
): number | null {
  const index = ranked.findIndex((id) => isRelevant(question, leafletOf(id)));
  return index < 0 ? null : index + 1;
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids)].slice(0, 10);
}

/** Plain BM25 (MiniSearch defaults, no fuzzy or prefix matching) over exactly the chunks we index. */
export function buildBaseline(leaflets: readonly Leaflet[]) {
  const chunks = leaflets.flatMap(chunkLeaflet);
  const search = new MiniSearch<{ id: string; text: string; lang: string; countries: string; leafletId: string }>({
    fields: ["text"],
    storeFields: ["lang", "countries", "leafletId"],
  });
  search.addAll(
    chunks.map((chunk) => ({
      id: chunk.id,
      text: chunk.searchText,
      lang: chunk.lang,
      countries: chunk.countries.join(" "),
      leafletId: chunk.leafletId,
    })),
  );
  return (query: string, lang: LanguageCode, country: string): string[] =>
    distinct(
      search
        .search(query, {
          filter: (result) =>
            result.lang === lang &&
            (country === "any" ||
              String(result.countries)
                .split(" ")
                .some((c) => c === country || c === "any")),
        })
        .map((result) => String(result.leafletId)),
    );
}

export interface EvaluateOptions {
  /** Full-text indexes for non-English questions, to compare against the default (see lexicalIndexesFor). */
  readonly lexical?: readonly LexicalIndex[];
}

export async function evaluate(
  knowledge: KnowledgeBase,
  questions: readonly EvalQuestion[],
  options: EvaluateOptions = {},
): Promise<QuestionResult[]> {
  const baseline = buildBaseline(knowledge.leaflets);
  const results: QuestionResult[] = [];
  for (const question of questions) {
    // As the bot does: the asker's country and any country the question names, and the passage it would choose.
    const origin = question.country === "any" ? null : question.country;
    const countries = searchCountries(origin, question.question);
    const chosen = await knowledge.answer({
      query: question.question,
      lang: question.lang,
      countries,
      kinds: questionKinds(question.question),
      places: countriesMentioned(question.question).filter((code) => code !== origin),
      cities: placeMentions(question.question).flatMap((mention) =>
        mention.city && mention.code !== origin ? [{ code: mention.code, city: mention.city }] : [],
      ),
      origin: origin ?? originFromLanguage(question.lang),
      ...(options.lexical && question.lang !== "eng" ? { lexical: options.lexical } : {}),
    });
    // Only an answer the bot would actually give counts: a passage it is not confident about is a miss.
    const ours = chosen?.confident ? distinct([chosen.leaflet.id, ...chosen.related.map((leaflet) => leaflet.id)]) : [];
    const outcome = { crossLanguage: chosen?.crossLanguage ?? false };
    const theirs = baseline(question.question, question.lang, question.country);
    const leafletOf = (id: string) => knowledge.leaflet(id, [question.lang, "eng"]);
    const baselineLeafletOf = (id: string) => knowledge.leaflet(id, [question.lang]);
    results.push({
      question,
      ours,
      baseline: theirs,
      oursRank: rankOf(question, ours, leafletOf),
      baselineRank: rankOf(question, theirs, baselineLeafletOf),
      crossLanguage: outcome.crossLanguage,
    });
  }
  return results;
}

export function score(all: readonly QuestionResult[], which: "ours" | "baseline"): Scores {
  const ranks = all
    .filter((result) => !isOffTopic(result.question))
    .map((result) => (which === "ours" ? result.oursRank : result.baselineRank));
  const n = ranks.length;
  if (n === 0) return { n: 0, hit1: 0, hit3: 0, mrr: 0 };
  return {
    n,
    hit1: ranks.filter((rank) => rank === 1).length / n,
    hit3: ranks.filter((rank) => rank !== null && rank <= 3).length / n,
    mrr: ranks.reduce((sum: number, rank) => sum + (rank ? 1 / rank : 0), 0) / n,
  };
}

/** Share of off-topic questions that got a quoted leaflet anyway (should be near 0). */
export function falseAnswerRate(
  all: readonly QuestionResult[],
  which: "ours" | "baseline",
): { n: number; rate: number } {
  const offTopic = all.filter((result) => isOffTopic(result.question));
  const answered = offTopic.filter((result) => (which === "ours" ? result.ours : result.baseline).length > 0).length;
  return { n: offTopic.length, rate: offTopic.length === 0 ? 0 : answered / offTopic.length };
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The bar an answer set must clear (the knowledge issue's targets). */
export function targetHit3(lang: LanguageCode): number {
  return lang === "eng" ? 0.9 : 0.8;
}
