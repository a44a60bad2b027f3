import { triageNo } from "../src/core/safety-stage.js";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { z } from "zod";
import type { Rahnama } from "../src/bootstrap.js";
import type { Outbound } from "../src/core/message.js";
import { stripDirectionMarks } from "../src/i18n/direction-marks.js";
import { chunkLeaflet } from "../src/retrieval/chunk.js";
import type { Leaflet } from "../src/retrieval/leaflet.js";

/**
 * The key-fact evaluation: each question runs through the whole bot (language, safety, gaps, fact tables,
 * intents, flows, retrieval) as a new web chat user, after its `context` turns, and passes when the reply
 * CONTAINS the fact asked (a regex: an amount, days, a phone number, an office), or, for a question no
 * leaflet answers, when no leaflet is quoted. Judged by the fact, never by which leaflet was cited.
 */
export const keyFactSchema = z
  .object({
    question: z.string().min(1),
    lang: z.string().min(3).max(3),
    /** A regular expression (case-insensitive) the reply must match; absent for `expect: abstain`. */
    fact: z.string().min(1).optional(),
    expect: z.enum(["answer", "abstain"]).default("answer"),
    context: z.array(z.string()).default([]),
    topic: z.string().optional(),
    note: z.string().optional(),
  })
  .refine((item) => item.expect === "abstain" || item.fact !== undefined, { error: "needs fact unless abstain" });
export type KeyFactQuestion = z.output<typeof keyFactSchema>;

export interface KeyFactOutcome {
  readonly question: KeyFactQuestion;
  readonly passed: boolean;
  /** No leaflet quoted and no fact given: the bot said it could not answer. */
  readonly refused: boolean;
  /** Whether plain BM25's best passage holds the fact (abstain questions: never, BM25 always answers). */
  readonly baselinePassed: boolean;
  readonly intent: string;
  readonly cited: readonly string[];
  /** A passage found by search was quoted: whether its coverage was under the language's threshold. */
  readonly quoted: { belowThreshold: boolean } | null;
  /** The safety check asked "is someone in danger right now?" first (the asker then said no). */
  readonly askedIfDanger: boolean;
}

export async function loadKeyFactSet(file: string): Promise<KeyFactQuestion[]> {
  const lines = (await readFile(file, "utf8")).split("\n");
  return lines.flatMap((line, index) => {
    if (!line.trim()) return [];
    const parsed = keyFactSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return [parsed.data];
  });
}

/** The sets' files in a folder: `-test` parts (held out), `-dev` parts, or both. */
export async function keyFactFiles(dir: string, part: "test" | "dev" | "all"): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".jsonl")).sort();
  return names.filter((name) => part === "all" || name.endsWith(`-${part}.jsonl`)).map((name) => path.join(dir, name));
}

function factIn(question: KeyFactQuestion, text: string): boolean {
  return question.fact !== undefined && new RegExp(question.fact, "iu").test(text);
}

/** Plain BM25 (MiniSearch defaults) over every passage: the best one in the question's language, else English. */
function bm25Baseline(leaflets: readonly Leaflet[]): (question: KeyFactQuestion) => string | null {
  const chunks = leaflets.flatMap(chunkLeaflet);
  const byId = new Map(chunks.map((chunk) => [chunk.id, chunk]));
  const search = new MiniSearch<{ id: string; text: string; lang: string }>({
    fields: ["text"],
    storeFields: ["lang"],
  });
  search.addAll(chunks.map((chunk) => ({ id: chunk.id, text: chunk.searchText, lang: chunk.lang })));
  return (question) => {
    for (const lang of [question.lang, "eng"]) {
      const [best] = search.search(question.question, { filter: (result) => result.lang === lang });
      const chunk = best ? byId.get(String(best.id)) : undefined;
      if (chunk) return `${chunk.heading} ${chunk.text}`;
    }
    return null;
  };
}

export async function runKeyFacts(rahnama: Rahnama, files: readonly string[]): Promise<KeyFactOutcome[]> {
  const baseline = bm25Baseline(rahnama.services.knowledge.leaflets);
  const outcomes: KeyFactOutcome[] = [];
  let turn = 0;
  for (const file of files) {
    for (const [index, question] of (await loadKeyFactSet(file)).entries()) {
      const conversation = `key-facts-${path.basename(file)}-${index}`;
      let askedIfDanger = false;
      const receive = (text: string, action?: string): Promise<Outbound[]> => {
        turn += 1;
        return rahnama.bot.receive({
          id: `key-facts-${process.pid}-${turn}`,
          address: { channel: "webchat", user: `user-${conversation}`, conversation },
          text,
          ...(action ? { action } : {}),
          receivedAt: new Date(),
        });
      };
      // Someone asking a question is not in danger: asked "is someone in danger right now?", they say no
      // and get the answer (counted apart, as an interruption).
      const send = async (text: string): Promise<Outbound[]> => {
        const replies = await receive(text);
        if (!replies.some((reply) => reply.meta.triage && !reply.meta.safety)) return replies;
        askedIfDanger = true;
        return receive("No", triageNo);
      };
      for (const earlier of question.context) await send(earlier);
      const replies = await send(question.question);
      const text = replies.map((reply) => stripDirectionMarks(reply.text)).join("\n");
      const cited = replies.flatMap((reply) => reply.citations.map((citation) => citation.leafletId));
      const intent = replies.at(-1)?.meta.intent ?? "";
      const refused =
        cited.length === 0 && (intent === "fallback" || intent === "out-of-scope") && !factIn(question, text);
      const baselineText = baseline(question);
      const scores = replies.flatMap((reply) => (reply.meta.retrieval ? [reply.meta.retrieval] : []));
      outcomes.push({
        question,
        passed: question.expect === "abstain" ? cited.length === 0 : factIn(question, text),
        refused,
        baselinePassed: question.expect === "answer" && baselineText !== null && factIn(question, baselineText),
        intent,
        cited,
        askedIfDanger,
        quoted:
          scores.length === 0
            ? null
            : { belowThreshold: scores.some((score) => !score.searchConfident && score.coverage < score.threshold) },
      });
    }
  }
  return outcomes;
}

export interface KeyFactScores {
  /** Answerable questions asked on their own. */
  readonly answerable: { n: number; fact: number; baseline: number };
  readonly followUps: { n: number; fact: number; baseline: number };
  readonly abstain: { n: number; right: number };
  /** Share of answerable questions (including follow-ups) the bot refused. */
  readonly wronglyRefused: number;
  /** Share of all questions first met by "is someone in danger right now?" (the grey zone of the safety check). */
  readonly askedIfDanger: number;
  /** Passages quoted from a search whose coverage was under the language's threshold (must be none). */
  readonly belowThreshold: { n: number; share: number };
}

const share = (items: readonly KeyFactOutcome[], test: (item: KeyFactOutcome) => boolean) =>
  items.length === 0 ? 0 : items.filter(test).length / items.length;

export function scoreKeyFacts(items: readonly KeyFactOutcome[]): KeyFactScores {
  const answerable = items.filter((item) => item.question.expect === "answer");
  const single = answerable.filter((item) => item.question.context.length === 0);
  const followUps = answerable.filter((item) => item.question.context.length > 0);
  const abstain = items.filter((item) => item.question.expect === "abstain");
  return {
    answerable: {
      n: single.length,
      fact: share(single, (item) => item.passed),
      baseline: share(single, (item) => item.baselinePassed),
    },
    followUps: {
      n: followUps.length,
      fact: share(followUps, (item) => item.passed),
      baseline: share(followUps, (item) => item.baselinePassed),
    },
    abstain: { n: abstain.length, right: share(abstain, (item) => item.passed) },
    wronglyRefused: share(answerable, (item) => item.refused),
    askedIfDanger: share(items, (item) => item.askedIfDanger),
    belowThreshold: {
      n: items.filter((item) => item.quoted !== null).length,
      share: share(
        items.filter((item) => item.quoted !== null),
        (item) => item.quoted?.belowThreshold === true,
      ),
    },
  };
}

/** One row per language and one for all: the figures issue 11's goals are stated in. */
export function keyFactRows(items: readonly KeyFactOutcome[]): (string | number)[][] {
  const languages = [...new Set(items.map((item) => item.question.lang))].sort();
  const row = (label: string, group: readonly KeyFactOutcome[]) => {
    const scores = scoreKeyFacts(group);
    const fixed = (value: number, n: number) => (n === 0 ? "-" : value.toFixed(2));
    return [
      label,
      scores.answerable.n,
      fixed(scores.answerable.fact, scores.answerable.n),
      fixed(scores.answerable.baseline, scores.answerable.n),
      scores.followUps.n,
      fixed(scores.followUps.fact, scores.followUps.n),
      scores.abstain.n,
      fixed(scores.abstain.right, scores.abstain.n),
      fixed(scores.wronglyRefused, scores.answerable.n + scores.followUps.n),
      fixed(scores.belowThreshold.share, scores.belowThreshold.n),
    ];
  };
  return [
    ...languages.map((lang) =>
      row(
        lang,
        items.filter((item) => item.question.lang === lang),
      ),
    ),
    row("all", items),
  ];
}

export const keyFactHeader = [
  "",
  "n",
  "fact in reply",
  "BM25 fact",
  "follow-ups",
  "follow-up fact",
  "abstain",
  "abstained",
  "wrongly refused",
  "quoted < threshold",
];
