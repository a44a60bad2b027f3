import type { Conversation } from "../core/conversation.js";
import type { TranscriptEntry } from "../core/transcript.js";
import { fallbackChain } from "../i18n/languages.js";
import type { KnowledgeBase } from "../retrieval/knowledge-base.js";

/** What a counsellor reads first: the person's questions, the topics the bot saw, the leaflets it gave. */
export interface CaseSummary {
  /** The person's first questions, shortened (the whole transcript is below it in the console). */
  readonly asked: readonly string[];
  readonly topics: readonly string[];
  readonly leaflets: readonly { id: string; title: string }[];
  readonly messagesFromUser: number;
  readonly safety: boolean;
}

/** A ready-to-send answer drawn from a leaflet, in the person's language, with the leaflet's source. */
export interface CannedReply {
  readonly leafletId: string;
  readonly title: string;
  readonly text: string;
}

const maxAsked = 3;
const askedChars = 160;
const cannedChars = 700;

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * A short summary built from the transcript itself (no model guesses what the person meant): their
 * first substantial questions, the topics the bot recognised and the leaflets it cited.
 */
export function summarise(
  conversation: Conversation,
  transcript: readonly TranscriptEntry[],
  knowledge: KnowledgeBase,
): CaseSummary {
  const fromUser = transcript.filter((entry) => entry.from === "user");
  // Button taps and one-word answers say little; questions with a few words say what the person wants.
  const questions = fromUser.filter((entry) => entry.text.trim().split(/\s+/).length >= 3);
  const topics = [
    ...new Set(
      transcript.flatMap((entry) =>
        entry.from === "bot" && entry.intent && !["fallback", "greeting", "thanks-bye"].includes(entry.intent)
          ? [entry.intent]
          : [],
      ),
    ),
  ];
  const langs = fallbackChain(conversation.lang ?? "eng");
  const leafletIds = [...new Set(transcript.flatMap((entry) => entry.citations ?? []))];
  return {
    asked: (questions.length > 0 ? questions : fromUser)
      .slice(0, maxAsked)
      .map((entry) => shorten(entry.text, askedChars)),
    topics,
    leaflets: leafletIds.map((id) => ({ id, title: knowledge.leaflet(id, langs)?.title ?? id })),
    messagesFromUser: fromUser.length,
    safety: conversation.safety,
  };
}

/**
 * Canned replies for the reply box: the leaflet passages that best answer the person's recent
 * questions, in their language where a translation exists, each ending with the leaflet's source so
 * the counsellor sends facts with their provenance.
 */
export async function cannedReplies(
  conversation: Conversation,
  transcript: readonly TranscriptEntry[],
  knowledge: KnowledgeBase,
  limit = 3,
): Promise<CannedReply[]> {
  const recent = transcript
    .filter((entry) => entry.from === "user")
    .slice(-3)
    .map((entry) => entry.text)
    .join(" ");
  if (!recent.trim()) return [];
  const lang = conversation.lang ?? "eng";
  const answer = await knowledge.search({
    query: recent.slice(0, 1000),
    lang,
    countries: conversation.country ? [conversation.country] : [],
    limit: limit * 2,
  });
  const replies: CannedReply[] = [];
  const seen = new Set<string>();
  for (const hit of answer.hits) {
    if (seen.has(hit.leafletId) || replies.length >= limit) continue;
    seen.add(hit.leafletId);
    const leaflet = knowledge.leaflet(hit.leafletId, [hit.lang]);
    if (!leaflet) continue;
    const source = leaflet.sources[0];
    const cite = source ? `\n\n${leaflet.title}${source.url ? ` — ${source.url}` : ""}` : "";
    replies.push({ leafletId: leaflet.id, title: leaflet.title, text: `${shorten(hit.text, cannedChars)}${cite}` });
  }
  return replies;
}
