import { z } from "zod";
import type { LanguageCode } from "../i18n/languages.js";
import type { Store } from "../store/store.js";

/** Why a question got "I don't know" instead of a leaflet. */
export type GapReason = "no-passage" | "place-not-covered" | "exchange-rate" | "vacancy" | "named-agency" | "airfare";

const gapSchema = z.object({
  at: z.string(),
  lang: z.string(),
  reason: z.string(),
  /** The subject the intent classifier guessed (an intent id), if any. */
  topic: z.string().nullable(),
  /** Countries the question named (ISO codes). */
  places: z.array(z.string()),
  /** The migration words the glossary recognised (English terms), never the question's own words. */
  terms: z.array(z.string()),
});
export type KnowledgeGap = z.infer<typeof gapSchema>;

const keyFor = (day: string) => `knowledge-gaps:${day}`;

/**
 * Questions the bot could not answer from the leaflets, kept for the MRC as input for new leaflets.
 * Only what describes the gap is stored (language, reason, guessed topic, countries, recognised migration
 * terms), never the question's text: it may hold names and numbers.
 */
export class KnowledgeGaps {
  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
  ) {}

  async record(gap: Omit<KnowledgeGap, "at">, now: Date): Promise<void> {
    const entry: KnowledgeGap = { at: now.toISOString(), ...gap };
    await this.store.append(keyFor(entry.at.slice(0, 10)), [JSON.stringify(entry)], { ttlSeconds: this.ttlSeconds });
  }

  /** The gaps of the last `days` days, newest day first; unreadable entries are skipped. */
  async list(days: number, now: Date): Promise<KnowledgeGap[]> {
    const gaps: KnowledgeGap[] = [];
    for (let back = 0; back < days; back += 1) {
      const day = new Date(now.getTime() - back * 86_400_000).toISOString().slice(0, 10);
      for (const raw of await this.store.range(keyFor(day), 0, -1)) {
        const parsed = gapSchema.safeParse(JSON.parse(raw));
        if (parsed.success) gaps.push(parsed.data);
      }
    }
    return gaps;
  }

  /** Counts by reason, language, topic and country, most frequent first: what to write leaflets about. */
  static summarise(gaps: readonly KnowledgeGap[]): { key: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const gap of gaps) {
      const key = [gap.reason, gap.lang as LanguageCode, gap.topic ?? "-", gap.places.join("+") || "-"].join(" · ");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count);
  }
}
