import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createRahnama } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import type { Outbound } from "../src/core/message.js";
import { stripDirectionMarks } from "../src/i18n/direction-marks.js";
import { createLogger } from "../src/log.js";
import { projectRoot } from "../src/paths.js";
import { MemoryStore } from "../src/store/memory-store.js";
import { formatTable } from "./stats.js";

/**
 * Key-fact evaluation: does the bot's reply CONTAIN the fact that was asked (an amount, a number of days,
 * a phone number, an office, a yes/no rule), in the person's language — not "which leaflet was cited".
 * Runs each question through the whole bot (language, safety, intents, flows, retrieval) as a new web chat
 * user, after its `context` turns.
 *
 *   npx tsx bench/key-facts.ts test/eval/key-facts/<set>.jsonl [--record name] [--misses]
 *
 * `--record name` writes bench/results/<name>.json (the first reading of a frozen set is recorded once,
 * before any tuning). `--misses` lists failed questions: never use it on a set's held-out test part.
 */
const questionSchema = z
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
type KeyFactQuestion = z.output<typeof questionSchema>;

interface Outcome {
  readonly question: KeyFactQuestion;
  readonly passed: boolean;
  readonly intent: string;
  readonly cited: readonly string[];
}

async function loadSet(file: string): Promise<KeyFactQuestion[]> {
  const lines = (await readFile(file, "utf8")).split("\n");
  return lines.flatMap((line, index) => {
    if (!line.trim()) return [];
    const parsed = questionSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return [parsed.data];
  });
}

function judge(question: KeyFactQuestion, replies: readonly Outbound[]): boolean {
  const quoted = replies.some((reply) => reply.citations.length > 0);
  if (question.expect === "abstain") return !quoted;
  const text = replies.map((reply) => stripDirectionMarks(reply.text)).join("\n");
  return new RegExp(question.fact ?? "", "iu").test(text);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { record: { type: "string" }, misses: { type: "boolean" } },
});
if (positionals.length === 0) {
  console.error("Usage: npx tsx bench/key-facts.ts <set.jsonl> [...] [--record name] [--misses]");
  process.exit(2);
}

const config = loadConfig();
const log = createLogger({ level: "error", personalData: false });
const rahnama = await createRahnama(config, log, { store: new MemoryStore() });
const outcomes: Outcome[] = [];
let turn = 0;
for (const file of positionals) {
  for (const [index, question] of (await loadSet(file)).entries()) {
    const conversation = `key-facts-${path.basename(file)}-${index}`;
    const send = (text: string) => {
      turn += 1;
      return rahnama.bot.receive({
        id: `key-facts-${turn}`,
        address: { channel: "webchat", user: `user-${conversation}`, conversation },
        text,
        receivedAt: new Date(),
      });
    };
    for (const earlier of question.context) await send(earlier);
    const replies = await send(question.question);
    outcomes.push({
      question,
      passed: judge(question, replies),
      intent: replies.at(-1)?.meta.intent ?? "",
      cited: replies.flatMap((reply) => reply.citations.map((citation) => citation.leafletId)),
    });
  }
}
await rahnama.close();

const groups = new Map<string, Outcome[]>();
for (const outcome of outcomes) {
  const key = outcome.question.expect === "abstain" ? "abstain (no leaflet exists)" : outcome.question.lang;
  groups.set(key, [...(groups.get(key) ?? []), outcome]);
}
const rate = (items: readonly Outcome[]) => items.filter((item) => item.passed).length / Math.max(1, items.length);
const rows = [...groups.entries()].map(([key, items]) => [key, items.length, rate(items).toFixed(2)] as const);
rows.push(["all", outcomes.length, rate(outcomes).toFixed(2)]);
console.log(`\nKey facts in the reply (${positionals.join(", ")}):\n`);
console.log(formatTable(["", "n", "fact in reply"], rows));
if (values.misses) {
  console.log("\nMisses:");
  for (const miss of outcomes.filter((outcome) => !outcome.passed)) {
    console.log(
      `- [${miss.question.lang}] ${miss.question.question}  (intent ${miss.intent}; cited ${miss.cited.join(", ") || "nothing"})`,
    );
  }
}
if (values.record) {
  const dir = path.join(projectRoot, "bench", "results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${values.record}.json`);
  await writeFile(
    file,
    `${JSON.stringify(
      {
        recorded: new Date().toISOString(),
        sets: positionals,
        embedder: rahnama.services.knowledge.embedder.id,
        summary: Object.fromEntries(rows.map(([key, n, value]) => [key, { n, rate: Number(value) }])),
        outcomes: outcomes.map((outcome) => ({
          lang: outcome.question.lang,
          expect: outcome.question.expect,
          passed: outcome.passed,
          intent: outcome.intent,
          cited: outcome.cited,
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nRecorded in ${path.relative(process.cwd(), file)}`);
}
