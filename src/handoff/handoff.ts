import { EventEmitter } from "node:events";
import type { Conversation, HandoffState, HandoffStatus } from "../core/conversation.js";
import type { Store } from "../store/store.js";
import { joinFloodGroup, type FloodSource } from "./flood.js";

/** Who may move a conversation where. Anything else is a bug and throws. */
const allowedTransitions: Readonly<Record<HandoffStatus, readonly HandoffStatus[]>> = {
  bot: ["pending"],
  pending: ["open", "resolved", "bot"],
  // open → open is a transfer to another counsellor.
  open: ["open", "resolved", "pending", "snoozed"],
  // Back to the queue when the follow-up time comes or the person writes; or taken up again directly.
  snoozed: ["pending", "open", "resolved"],
  resolved: ["pending", "bot"],
};

export interface HandoffChange {
  readonly by: string;
  readonly at: Date;
  readonly reason?: HandoffState["reason"];
  readonly priority?: HandoffState["priority"];
  /** Who holds the conversation once it is `open` (defaults to `by`: the counsellor who claimed it). */
  readonly assignee?: string;
  /** For `snoozed`: when the conversation comes back to the queue. */
  readonly until?: Date;
}

/**
 * The handoff state after a change, and the event recording it; pure, so it can run inside an atomic
 * store update (which may retry). Throws on a move the state machine does not allow.
 */
export function applyHandoffChange(
  conversation: Conversation,
  to: HandoffStatus,
  change: HandoffChange,
): { conversation: Conversation; event: HandoffEvent } {
  const from = conversation.handoff.status;
  if (!allowedTransitions[from].includes(to)) {
    throw new Error(`Handoff cannot go from ${from} to ${to}`);
  }
  const at = change.at.toISOString();
  const handoff: HandoffState = {
    status: to,
    reason: change.reason ?? conversation.handoff.reason,
    priority: change.priority ?? conversation.handoff.priority,
    since: at,
    // A snoozed conversation stays with its counsellor: the follow-up is theirs.
    assignee: to === "open" ? (change.assignee ?? change.by) : to === "snoozed" ? conversation.handoff.assignee : null,
    until: to === "snoozed" ? (change.until ?? change.at).toISOString() : null,
  };
  const event: HandoffEvent = {
    name: to === "pending" ? "conversation.bot_handoff" : "conversation.status_changed",
    conversationKey: conversation.key,
    from,
    to,
    by: change.by,
    at,
    reason: handoff.reason,
    priority: handoff.priority,
    country: conversation.country,
    ...(to === "open" ? { assignee: handoff.assignee } : {}),
    ...(to === "snoozed" ? { until: handoff.until ?? null, assigneeBefore: handoff.assignee } : {}),
  };
  return { conversation: { ...conversation, handoff }, event };
}

export interface HandoffEvent {
  readonly name: "conversation.bot_handoff" | "conversation.status_changed";
  readonly conversationKey: string;
  readonly from: HandoffStatus;
  readonly to: HandoffStatus;
  /** `bot`, `user` or a counsellor's account id. */
  readonly by: string;
  readonly at: string;
  readonly reason: HandoffState["reason"];
  readonly priority: HandoffState["priority"];
  /**
   * The person's country when it changed: the console decides who may hear of the change from the
   * event itself (a conversation changed mid-turn is not saved yet).
   */
  readonly country?: string | null;
  /** For `open`: the counsellor who holds it now. */
  readonly assignee?: string | null;
  /** For `resolved` by a counsellor: what came of it. */
  readonly outcome?: string;
  /** For a supervisor's transfer to another MRC: the person's country it was sent to. */
  readonly transferredTo?: string;
  /** For `snoozed`: when it comes back to the queue, and whose follow-up it is. */
  readonly until?: string | null;
  readonly assigneeBefore?: string | null;
}

export interface HandoffRequest {
  readonly conversationKey: string;
  readonly reason: NonNullable<HandoffState["reason"]>;
  readonly priority: HandoffState["priority"];
  readonly at: string;
  /** The last wait the person was told (minutes, and when), so they hear again if it grows. */
  readonly told?: { readonly minutes: number | null; readonly at: string };
  /** For a safety case: the group of identical cases from the same sender it belongs to (see flood.ts). */
  readonly floodGroup?: string;
}

/** A person erased their data ("delete my data"): what the console needs to drop the case and say why. */
export interface ErasureNotice {
  readonly conversationKey: string;
  readonly at: string;
  /** The handoff status it had: queued, held by a counsellor, resolved, or with the bot alone. */
  readonly status: HandoffStatus;
  /** Who may hear of it, as for a handoff event: the MRC of this country, and whoever held it. */
  readonly country: string | null;
  readonly assignee: string | null;
}

export interface ActiveConversation {
  readonly conversationKey: string;
  readonly status: "open" | "snoozed";
  readonly assignee: string | null;
  readonly since: string;
  readonly until: string | null;
  readonly priority: HandoffState["priority"];
}

/**
 * Sorted sets ordering the handoff records: the queue (priority, then time of asking), conversations
 * held by counsellors (since when) and follow-ups (when due). Their members are conversation keys;
 * `forget` removes a person from each.
 */
export const handoffIndexes = {
  queue: "handoff:queue",
  held: "handoff:held",
  snoozed: "handoff:snoozed",
} as const;

function waitsKey(desk: string): string {
  return `handoff:waits:${desk}`;
}

/** Urgent requests score below every routine one; within a priority, earlier asking scores lower. */
function queueScore(request: HandoffRequest): number {
  // 1e14 ms is about 3,000 years: no timestamp reaches it, and the sum stays an exact double.
  return (request.priority === "high" ? 0 : 1e14) + Date.parse(request.at);
}

/** How long a recent claim waited; numbers only, so the wait estimate keeps no personal data. */
interface WaitSample {
  readonly at: string;
  readonly seconds: number;
  /** The counselling desk that took it: each MRC's waits are its own. */
  readonly desk?: string;
}

/** How many recent claims the wait estimate is taken from, and how old they may be. */
const waitSamples = 20;
const waitSampleDays = 7;

/**
 * The one place conversation handoff status changes. Each change is recorded (who, when, why) and
 * emitted; the counsellor console (a later issue) consumes the requests list and the events.
 */
export class Handoff {
  readonly events = new EventEmitter<{ event: [HandoffEvent]; erased: [ErasureNotice] }>();
  /** Events of conversations whose turn is still running; see `hold`. */
  readonly #held = new Map<string, HandoffEvent[]>();

  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
  ) {}

  /** Changes status on the conversation object (the caller saves it) and records the event. */
  async transition(conversation: Conversation, to: HandoffStatus, change: HandoffChange): Promise<HandoffEvent> {
    const { conversation: changed, event } = applyHandoffChange(conversation, to, change);
    conversation.handoff = changed.handoff;
    await this.record(event);
    return event;
  }

  /** Writes a change to the conversation's handoff log (who, when, from, to) and tells listeners. */
  async record(event: HandoffEvent): Promise<void> {
    await this.store.append(`handoff:log:${event.conversationKey}`, [JSON.stringify(event)], {
      ttlSeconds: this.ttlSeconds,
    });
    // The console lists who holds what (open) and the follow-ups (snoozed) from this index.
    const active = `handoff:active:${event.conversationKey}`;
    if (event.to === "open" || event.to === "snoozed") {
      const entry: ActiveConversation = {
        conversationKey: event.conversationKey,
        status: event.to,
        assignee: event.to === "open" ? (event.assignee ?? event.by) : (event.assigneeBefore ?? null),
        since: event.at,
        until: event.until ?? null,
        priority: event.priority,
      };
      await this.store.set(active, JSON.stringify(entry), { ttlSeconds: this.ttlSeconds });
      await this.store.sortedAdd(handoffIndexes.held, [{ member: event.conversationKey, score: Date.parse(event.at) }]);
    } else {
      await this.store.delete([active]);
      await this.store.sortedRemove(handoffIndexes.held, [event.conversationKey]);
    }
    const held = this.#held.get(event.conversationKey);
    if (held) held.push(event);
    else this.events.emit("event", event);
  }

  /**
   * Holds back the events of changes made during a turn until the turn has saved the conversation
   * (`release`): the console is told of a state only once it can read it ("save before you broadcast").
   */
  hold(conversationKey: string): void {
    if (!this.#held.has(conversationKey)) this.#held.set(conversationKey, []);
  }

  release(conversationKey: string): void {
    const held = this.#held.get(conversationKey) ?? [];
    this.#held.delete(conversationKey);
    for (const event of held) this.events.emit("event", event);
  }

  /**
   * Puts a conversation (back) in the queue. The order lives in a sorted set (priority, then the time
   * of asking); the request's details in a key of the conversation's own, which expires with it.
   */
  async enqueue(request: HandoffRequest): Promise<void> {
    await this.store.set(`handoff:request:${request.conversationKey}`, JSON.stringify(request), {
      ttlSeconds: this.ttlSeconds,
    });
    await this.store.sortedAdd(handoffIndexes.queue, [{ member: request.conversationKey, score: queueScore(request) }]);
  }

  async dequeue(conversationKey: string): Promise<void> {
    await this.store.delete([`handoff:request:${conversationKey}`]);
    await this.store.sortedRemove(handoffIndexes.queue, [conversationKey]);
  }

  /** The conversation's place-keeping request while it is queued, else null. */
  async queued(conversationKey: string): Promise<HandoffRequest | null> {
    const raw = await this.store.get(`handoff:request:${conversationKey}`);
    return raw ? (JSON.parse(raw) as HandoffRequest) : null;
  }

  /** Notes what the person was last told about the wait (kept on their queue entry, if still queued). */
  async noteTold(conversationKey: string, minutes: number | null, at: Date): Promise<void> {
    await this.store.update(
      `handoff:request:${conversationKey}`,
      (current) =>
        current
          ? JSON.stringify({ ...(JSON.parse(current) as HandoffRequest), told: { minutes, at: at.toISOString() } })
          : null,
      { ttlSeconds: this.ttlSeconds },
    );
  }

  /** Remembers how long a claimed conversation waited, for the honest wait estimate. */
  async recordWait(seconds: number, at: Date, desk: string): Promise<void> {
    const sample: WaitSample = { at: at.toISOString(), seconds: Math.max(0, Math.round(seconds)), desk };
    await this.store.append(waitsKey(desk), [JSON.stringify(sample)], { ttlSeconds: waitSampleDays * 86_400 });
  }

  /**
   * What people recently waited for this desk's counsellors, in minutes (the median of the last claims
   * of the past week), or null when there are too few claims to say anything honest.
   */
  async recentWaitMinutes(now: Date, desk: string): Promise<number | null> {
    const since = now.getTime() - waitSampleDays * 86_400_000;
    const samples = (await this.store.range(waitsKey(desk), -waitSamples, -1))
      .map((line) => JSON.parse(line) as WaitSample)
      .filter((sample) => Date.parse(sample.at) >= since)
      .map((sample) => sample.seconds)
      .sort((a, b) => a - b);
    if (samples.length < 3) return null;
    const middle = samples.length / 2;
    const median =
      samples.length % 2 === 1
        ? samples[Math.floor(middle)]
        : ((samples[middle - 1] ?? 0) + (samples[middle] ?? 0)) / 2;
    // Rounded up to 5 minutes: a promise of "3 minutes" is broken by the smallest delay.
    return Math.max(5, Math.ceil((median ?? 0) / 300) * 5);
  }

  /** Sets a held conversation aside until `until`; `wakeDue` puts it back in the queue then. */
  async rememberSnooze(conversationKey: string, until: Date): Promise<void> {
    await this.store.sortedAdd(handoffIndexes.snoozed, [{ member: conversationKey, score: until.getTime() }]);
  }

  async forgetSnooze(conversationKey: string): Promise<void> {
    await this.store.sortedRemove(handoffIndexes.snoozed, [conversationKey]);
  }

  /** Snoozed conversations whose follow-up time has come. */
  async dueSnoozes(now: Date): Promise<string[]> {
    return (await this.store.sortedRange(handoffIndexes.snoozed, { max: now.getTime() })).map((entry) => entry.member);
  }

  /**
   * Asks for a counsellor. Asking again while one is already on the way changes nothing but can raise
   * the priority (a safety case must not wait behind a routine one). `flood` (safety cases) groups
   * identical cases from one sender, so a burst of them cannot bury anyone else's.
   */
  async request(
    conversation: Conversation,
    reason: NonNullable<HandoffState["reason"]>,
    priority: HandoffState["priority"],
    at: Date,
    flood?: FloodSource,
  ): Promise<{ created: boolean }> {
    const status = conversation.handoff.status;
    if (status === "pending" || status === "open") {
      if (priority === "high" && conversation.handoff.priority !== "high") {
        conversation.handoff.priority = "high";
        const queued = await this.queued(conversation.key);
        if (queued) await this.enqueue({ ...queued, priority: "high", reason });
      }
      return { created: false };
    }
    if (status === "snoozed") await this.forgetSnooze(conversation.key);
    await this.transition(conversation, "pending", { by: "bot", at, reason, priority });
    const floodGroup = flood ? await joinFloodGroup(this.store, flood, at) : undefined;
    await this.enqueue({
      conversationKey: conversation.key,
      reason,
      priority,
      at: at.toISOString(),
      ...(floodGroup ? { floodGroup } : {}),
    });
    return { created: true };
  }

  /**
   * A snoozed conversation goes back to the queue when the person writes again (the counsellor's
   * follow-up becomes a live conversation); its place is from now, its priority is kept.
   */
  async wakeOnMessage(conversation: Conversation, at: Date): Promise<boolean> {
    if (conversation.handoff.status !== "snoozed") return false;
    await this.forgetSnooze(conversation.key);
    const reason = conversation.handoff.reason ?? "user-request";
    const priority = conversation.handoff.priority;
    await this.transition(conversation, "pending", { by: "user", at, reason, priority });
    await this.enqueue({ conversationKey: conversation.key, reason, priority, at: at.toISOString() });
    return true;
  }

  /** The queue: safety and other urgent cases first, then whoever has waited longest. */
  async pendingRequests(): Promise<HandoffRequest[]> {
    return this.#indexed<HandoffRequest>(handoffIndexes.queue, "handoff:request:");
  }

  /** Conversations a counsellor holds (open) or set aside for a follow-up (snoozed), longest held first. */
  async active(): Promise<ActiveConversation[]> {
    return this.#indexed<ActiveConversation>(handoffIndexes.held, "handoff:active:");
  }

  /**
   * The records an index points at, in its order. A record that expired with its conversation takes
   * its index entry with it here (indexes themselves do not expire).
   */
  async #indexed<T>(index: string, recordPrefix: string): Promise<T[]> {
    const members = (await this.store.sortedRange(index)).map((entry) => entry.member);
    const values = await Promise.all(members.map((member) => this.store.get(recordPrefix + member)));
    const gone = members.filter((_, i) => values[i] === null);
    if (gone.length > 0) await this.store.sortedRemove(index, gone);
    return values.flatMap((value) => (value ? [JSON.parse(value) as T] : []));
  }

  /**
   * "Delete my data": the conversation's handoff log, queue record and index entries (a claim ends with
   * them). Given the conversation as it was, tells listeners (the console) it was erased; the notice is
   * not stored, and changes of the same turn not yet told are dropped: there is nothing left to read.
   */
  async forget(conversationKey: string, erased?: Conversation): Promise<void> {
    await this.store.delete([
      `handoff:log:${conversationKey}`,
      `handoff:request:${conversationKey}`,
      `handoff:active:${conversationKey}`,
    ]);
    for (const index of Object.values(handoffIndexes)) await this.store.sortedRemove(index, [conversationKey]);
    if (!erased) return;
    if (this.#held.has(conversationKey)) this.#held.set(conversationKey, []);
    this.events.emit("erased", {
      conversationKey,
      at: new Date().toISOString(),
      status: erased.handoff.status,
      country: erased.country,
      assignee: erased.handoff.assignee,
    });
  }

  async history(conversationKey: string): Promise<HandoffEvent[]> {
    const raw = await this.store.range(`handoff:log:${conversationKey}`, 0, -1);
    return raw.map((line) => JSON.parse(line) as HandoffEvent);
  }
}
