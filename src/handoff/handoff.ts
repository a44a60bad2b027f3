import { EventEmitter } from "node:events";
import type { Conversation, HandoffState, HandoffStatus } from "../core/conversation.js";
import type { Store } from "../store/store.js";

/** Who may move a conversation where. Anything else is a bug and throws. */
const allowedTransitions: Readonly<Record<HandoffStatus, readonly HandoffStatus[]>> = {
  bot: ["pending"],
  pending: ["open", "resolved", "bot"],
  // open → open is a transfer to another counsellor.
  open: ["open", "resolved", "pending"],
  resolved: ["pending", "bot"],
};

export interface HandoffChange {
  readonly by: string;
  readonly at: Date;
  readonly reason?: HandoffState["reason"];
  readonly priority?: HandoffState["priority"];
  /** Who holds the conversation once it is `open` (defaults to `by`: the counsellor who claimed it). */
  readonly assignee?: string;
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
    assignee: to === "open" ? (change.assignee ?? change.by) : null,
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
    ...(to === "open" ? { assignee: handoff.assignee } : {}),
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
  /** For `open`: the counsellor who holds it now. */
  readonly assignee?: string | null;
  /** For `resolved` by a counsellor: what came of it. */
  readonly outcome?: string;
}

export interface HandoffRequest {
  readonly conversationKey: string;
  readonly reason: NonNullable<HandoffState["reason"]>;
  readonly priority: HandoffState["priority"];
  readonly at: string;
}

/**
 * The one place conversation handoff status changes. Each change is recorded (who, when, why) and
 * emitted; the counsellor console (a later issue) consumes the requests list and the events.
 */
export class Handoff {
  readonly events = new EventEmitter<{ event: [HandoffEvent] }>();

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
    this.events.emit("event", event);
  }

  /** Puts a conversation (back) in the queue; its place is kept by the time it first asked. */
  async enqueue(request: HandoffRequest): Promise<void> {
    // One key per conversation (not one shared list), so erasing a person's data removes it cleanly.
    await this.store.set(`handoff:request:${request.conversationKey}`, JSON.stringify(request), {
      ttlSeconds: this.ttlSeconds,
    });
  }

  async dequeue(conversationKey: string): Promise<void> {
    await this.store.delete([`handoff:request:${conversationKey}`]);
  }

  /**
   * Asks for a counsellor. Asking again while one is already on the way changes nothing but can raise
   * the priority (a safety case must not wait behind a routine one).
   */
  async request(
    conversation: Conversation,
    reason: NonNullable<HandoffState["reason"]>,
    priority: HandoffState["priority"],
    at: Date,
  ): Promise<{ created: boolean }> {
    const status = conversation.handoff.status;
    if (status === "pending" || status === "open") {
      if (priority === "high" && conversation.handoff.priority !== "high") {
        conversation.handoff.priority = "high";
        const queued = await this.store.get(`handoff:request:${conversation.key}`);
        if (queued) await this.enqueue({ ...(JSON.parse(queued) as HandoffRequest), priority: "high", reason });
      }
      return { created: false };
    }
    await this.transition(conversation, "pending", { by: "bot", at, reason, priority });
    await this.enqueue({ conversationKey: conversation.key, reason, priority, at: at.toISOString() });
    return { created: true };
  }

  /** The queue: safety and other urgent cases first, then whoever has waited longest. */
  async pendingRequests(): Promise<HandoffRequest[]> {
    const keys = await this.store.keysWithPrefix("handoff:request:");
    const values = await Promise.all(keys.map((key) => this.store.get(key)));
    return values
      .flatMap((value) => (value ? [JSON.parse(value) as HandoffRequest] : []))
      .sort((a, b) => (a.priority === b.priority ? a.at.localeCompare(b.at) : a.priority === "high" ? -1 : 1));
  }

  async history(conversationKey: string): Promise<HandoffEvent[]> {
    const raw = await this.store.range(`handoff:log:${conversationKey}`, 0, -1);
    return raw.map((line) => JSON.parse(line) as HandoffEvent);
  }
}
