import { createHash } from "node:crypto";
import { normaliseForMatching } from "../nlu/normalise-text.js";
import type { Store } from "../store/store.js";
import type { HandoffRequest } from "./handoff.js";

/** Identical safety cases from one sender join the group the first of them opened, for this long after it. */
export const floodWindowSeconds = 3_600;

/**
 * From this many waiting cases in one group, counsellors see "possible flood" and the group waits behind
 * the other urgent cases. Two is still most likely one person who wrote again from a new conversation.
 */
export const floodSuspectAt = 3;

/** Where a safety case came from and what it said, as far as grouping repeats needs. */
export interface FloodSource {
  /** One sender: a web chat client's hashed network address, else the channel's verified user id. */
  readonly sender: string;
  readonly text: string;
}

/** What the queue says of a case's group; null for a case that is in none. */
export interface FloodMark {
  readonly group: string;
  /** How many waiting cases the group has. */
  readonly count: number;
  readonly suspect: boolean;
  /** The group's first case in the queue, the one a collapsed list shows. */
  readonly lead: boolean;
}

/**
 * The group a safety case joins: the one an identical case (folded text) from the same sender opened
 * within the window, else a new one. Only a digest is kept, never the sender or the words.
 */
export async function joinFloodGroup(store: Store, source: FloodSource, at: Date): Promise<string> {
  const digest = createHash("sha256")
    .update(`${source.sender}\u0000${normaliseForMatching(source.text)}`)
    .digest("base64url")
    .slice(0, 22);
  const key = `handoff:flood:${digest}`;
  const opened = `${digest}.${at.getTime().toString(36)}`;
  // Set-if-absent, not a read-modify-write: two hundred cases arriving at once must all be queued, and
  // a compare-and-set would give up on some of them.
  if (await store.setIfAbsent(key, opened, { ttlSeconds: floodWindowSeconds })) return opened;
  return (await store.get(key)) ?? opened;
}

/**
 * The queue in the order counsellors should take it, each case with its group's mark: within a priority,
 * groups suspected of being a flood go after every other case, so a burst never buries a real one.
 * Nothing is taken out: every case keeps its place-keeping request and its position.
 */
export function rankFloods<T extends HandoffRequest>(requests: readonly T[]): (T & { flood: FloodMark | null })[] {
  const sizes = new Map<string, number>();
  for (const request of requests)
    if (request.floodGroup) sizes.set(request.floodGroup, (sizes.get(request.floodGroup) ?? 0) + 1);
  const rank = (request: T) =>
    (request.priority === "high" ? 0 : 2) + ((sizes.get(request.floodGroup ?? "") ?? 0) >= floodSuspectAt ? 1 : 0);
  const ordered = requests.map((request, index) => ({ request, index }));
  ordered.sort((a, b) => rank(a.request) - rank(b.request) || a.index - b.index);
  const led = new Set<string>();
  return ordered.map(({ request }) => {
    const group = request.floodGroup;
    const count = group ? (sizes.get(group) ?? 1) : 1;
    if (!group || count < 2) return { ...request, flood: null };
    const lead = !led.has(group);
    led.add(group);
    return { ...request, flood: { group, count, suspect: count >= floodSuspectAt, lead } };
  });
}

/** How a collapsed queue line tells counsellors about the cases folded into it. */
export interface FloodSummary {
  readonly floodSuspect: boolean;
  /** The cases this line stands for (1 when it stands for itself alone). */
  readonly floodCount: number;
  /** The other cases' conversation keys, so each can still be opened and answered. */
  readonly floodKeys: readonly string[];
}

/**
 * A queue list as counsellors see it: a group of identical cases from one sender is one line (its first
 * case) with the count and the other cases' keys. Counted within `entries`, the cases this counsellor may see.
 */
export function collapseFloods<T extends { conversationKey: string; flood: FloodMark | null }>(
  entries: readonly T[],
): (Omit<T, "flood"> & FloodSummary)[] {
  const members = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.flood) continue;
    const keys = members.get(entry.flood.group) ?? [];
    keys.push(entry.conversationKey);
    members.set(entry.flood.group, keys);
  }
  const shown = new Set<string>();
  return entries.flatMap((entry) => {
    const { flood, ...line } = entry;
    if (!flood) return [{ ...line, floodSuspect: false, floodCount: 1, floodKeys: [] }];
    if (shown.has(flood.group)) return [];
    shown.add(flood.group);
    const keys = members.get(flood.group) ?? [entry.conversationKey];
    return [
      {
        ...line,
        floodSuspect: flood.suspect || keys.length >= floodSuspectAt,
        floodCount: keys.length,
        floodKeys: keys.filter((key) => key !== entry.conversationKey),
      },
    ];
  });
}
