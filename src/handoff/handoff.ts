import { EventEmitter } from "node:events";
import type { Conversation, HandoffState, HandoffStatus } from "../core/conversation.js";
import type { Store } from "../store/store.js";

/** Who may move a conversation where. Anything else is a bug and throws. */
const allowedTransitions: Readonly<Record<HandoffStatus, readonly HandoffStatus[]>> = {
  bot: ["pending"],
  pending: ["open", "resolved", "bot"],
  open: ["resolved", "pending"],
  resolved: ["pending", "bot"],
};

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
  async transition(
    conversation: Conversation,
    to: HandoffStatus,
    change: { by: string; at: Date; reason?: HandoffState["reason"]; priority?: HandoffState["priority"] },
  ): Promise<HandoffEvent> {
    const from = conversation.handoff.status;
    if (!allowedTransitions[from].includes(to)) {
      throw new Error(`Handoff cannot go from ${from} to ${to}`);
    }
    const at = change.at.toISOString();
    conversation.handoff = {
      status: to,
      reason: change.reason ?? conversation.handoff.reason,
      priority: change.priority ?? conversation.handoff.priority,
      since: at,
      assignee: to === "open" ? change.by : null,
    };
    const event: HandoffEvent = {
      name: to === "pending" ? "conversation.bot_handoff" : "conversation.status_changed",
      conversationKey: conversation.key,
      from,
      to,
      by: change.by,
      at,
      reason: conversation.handoff.reason,
      priority: conversation.handoff.priority,
    };
    await this.store.append(`handoff:log:${conversation.key}`, [JSON.stringify(event)], {
      ttlSeconds: this.ttlSeconds,
    });
    this.events.emit("event", event);
    return event;
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
      if (priority === "high") conversation.handoff.priority = "high";
      return { created: false };
    }
    await this.transition(conversation, "pending", { by: "bot", at, reason, priority });
    const request: HandoffRequest = { conversationKey: conversation.key, reason, priority, at: at.toISOString() };
    // One key per conversation (not one shared list), so erasing a person's data removes it cleanly.
    await this.store.set(`handoff:request:${conversation.key}`, JSON.stringify(request), {
      ttlSeconds: this.ttlSeconds,
    });
    return { created: true };
  }

  async pendingRequests(): Promise<HandoffRequest[]> {
    const keys = await this.store.keysWithPrefix("handoff:request:");
    const values = await Promise.all(keys.map((key) => this.store.get(key)));
    return values
      .flatMap((value) => (value ? [JSON.parse(value) as HandoffRequest] : []))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async history(conversationKey: string): Promise<HandoffEvent[]> {
    const raw = await this.store.range(`handoff:log:${conversationKey}`, 0, -1);
    return raw.map((line) => JSON.parse(line) as HandoffEvent);
  }
}
