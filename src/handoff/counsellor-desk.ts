import type { Conversation, ConversationRepository, HandoffStatus } from "../core/conversation.js";
import { RahnamaError } from "../errors.js";
import type { Desks } from "./desks.js";
import { rankFloods, type FloodMark } from "./flood.js";
import { applyHandoffChange, type Handoff, type HandoffEvent, type HandoffRequest } from "./handoff.js";

export const resolutionOutcomes = [
  "information-given",
  "referred-to-service",
  "follow-up-needed",
  "emergency-referral",
] as const;
export type ResolutionOutcome = (typeof resolutionOutcomes)[number];

export interface Counsellor {
  readonly id: string;
  readonly role: "counsellor" | "supervisor";
  /** How the person sees the counsellor named above their words (the account's name). */
  readonly name?: string;
}

export interface QueueEntry extends HandoffRequest {
  /** 1 for the next to be taken. */
  readonly position: number;
  readonly waitingSeconds: number;
  /** The group of identical safety cases from one sender this case is in, when it is in one. */
  readonly flood: FloodMark | null;
}

/**
 * What counsellors do with the queue: claim, transfer, give back, resolve. Every change is one atomic
 * update of the conversation record, so two counsellors can never hold the same conversation, and a
 * refused change says why (it never fails silently). Changes are recorded with who and when.
 */
export class CounsellorDesk {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly handoff: Handoff,
    private readonly desks: Desks,
    /** Told how long each claimed person waited (the /metrics histogram). */
    private readonly onWait: (seconds: number, desk: string) => void = () => undefined,
  ) {}

  async queue(now: Date): Promise<QueueEntry[]> {
    const requests = rankFloods(await this.handoff.pendingRequests());
    return requests.map((request, index) => ({
      ...request,
      position: index + 1,
      waitingSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(request.at)) / 1000)),
    }));
  }

  /** Takes a queued conversation. Exactly one of two counsellors claiming at once gets it. */
  async claim(key: string, counsellor: Counsellor, at: Date): Promise<Conversation> {
    const { conversation } = await this.#change(key, (current) => {
      const { status, assignee } = current.handoff;
      if (status === "open") {
        throw new RahnamaError("HANDOFF_CONFLICT", "Another counsellor already holds this conversation", {
          details: { status, heldBy: assignee },
        });
      }
      if (status !== "pending" && status !== "snoozed") {
        throw new RahnamaError("HANDOFF_CONFLICT", `The conversation is not waiting for a counsellor (${status})`, {
          details: { status },
        });
      }
      return applyHandoffChange(current, "open", { by: counsellor.id, at });
    });
    const request = await this.handoff.queued(key);
    await this.handoff.dequeue(key);
    await this.handoff.forgetSnooze(key);
    if (request) {
      const team = this.desks.forConversation(conversation.country).id;
      const seconds = (at.getTime() - Date.parse(request.at)) / 1000;
      await this.handoff.recordWait(seconds, at, team);
      this.onWait(Math.max(0, seconds), team);
    }
    return conversation;
  }

  /** Sets a held conversation aside for a follow-up; it returns to the queue at `until` or when the person writes. */
  async snooze(key: string, counsellor: Counsellor, until: Date, at: Date): Promise<Conversation> {
    if (until.getTime() <= at.getTime()) {
      throw new RahnamaError("INPUT_INVALID", "A follow-up time must be in the future");
    }
    const { conversation } = await this.#change(key, (current) => {
      this.#mayAct(current, counsellor);
      return applyHandoffChange(current, "snoozed", { by: counsellor.id, at, until });
    });
    await this.handoff.rememberSnooze(key, until);
    return conversation;
  }

  /** Puts every snoozed conversation whose follow-up time has come back in the queue; returns their keys. */
  async wakeDue(now: Date): Promise<string[]> {
    const woken: string[] = [];
    for (const key of await this.handoff.dueSnoozes(now)) {
      let event: HandoffEvent | null = null;
      const saved = await this.conversations.change(key, (current) => {
        event = null;
        // Someone took it up (or the person wrote) in the meantime: nothing to wake.
        if (current.handoff.status !== "snoozed") return current;
        const result = applyHandoffChange(current, "pending", { by: "follow-up", at: now });
        event = result.event;
        return result.conversation;
      });
      await this.handoff.forgetSnooze(key);
      if (!saved || !event) continue;
      await this.handoff.record(event);
      await this.handoff.enqueue({
        conversationKey: key,
        reason: saved.handoff.reason ?? "user-request",
        priority: saved.handoff.priority,
        at: now.toISOString(),
      });
      woken.push(key);
    }
    return woken;
  }

  /** Hands a held conversation to another counsellor (the holder or a supervisor may). */
  async transfer(key: string, counsellor: Counsellor, to: string, at: Date): Promise<Conversation> {
    const { conversation } = await this.#change(key, (current) => {
      this.#mayAct(current, counsellor);
      return applyHandoffChange(current, "open", { by: counsellor.id, at, assignee: to });
    });
    return conversation;
  }

  /** Puts a held conversation back in the queue, keeping its priority. */
  async release(key: string, counsellor: Counsellor, at: Date): Promise<Conversation> {
    const { conversation } = await this.#change(key, (current) => {
      this.#mayAct(current, counsellor);
      return applyHandoffChange(current, "pending", { by: counsellor.id, at });
    });
    await this.#requeue(conversation, at);
    return conversation;
  }

  /**
   * A supervisor sends a held conversation to another MRC: the person's country is corrected (it is
   * what decides which MRC serves them) and the case goes back to the queue, where that MRC's
   * counsellors see it; it keeps its priority and its place from when the person first asked.
   */
  async transferToCountry(key: string, supervisor: Counsellor, country: string, at: Date): Promise<Conversation> {
    if (supervisor.role !== "supervisor") {
      throw new RahnamaError("HANDOFF_FORBIDDEN", "Only a supervisor may send a conversation to another MRC");
    }
    const { conversation } = await this.#change(key, (current) => {
      this.#mayAct(current, supervisor);
      const result = applyHandoffChange({ ...current, country }, "pending", { by: supervisor.id, at });
      return { conversation: result.conversation, event: { ...result.event, transferredTo: country } };
    });
    const asked = (await this.handoff.history(key)).findLast((event) => event.from === "bot" && event.to === "pending");
    await this.#requeue(conversation, asked ? new Date(asked.at) : at);
    return conversation;
  }

  async #requeue(conversation: Conversation, since: Date): Promise<void> {
    await this.handoff.enqueue({
      conversationKey: conversation.key,
      reason: conversation.handoff.reason ?? "user-request",
      priority: conversation.handoff.priority,
      at: since.toISOString(),
    });
  }

  /**
   * Gives the conversation back to the bot, with the outcome the counsellor chose; `then` sets what the
   * bot does next (the relay starts the feedback question) in the same atomic change.
   */
  async resolve(
    key: string,
    counsellor: Counsellor,
    outcome: ResolutionOutcome,
    at: Date,
    then: Pick<Partial<Conversation>, "flow"> = {},
  ): Promise<Conversation> {
    const { conversation } = await this.#change(key, (current) => {
      this.#mayAct(current, counsellor, ["open", "snoozed"]);
      const result = applyHandoffChange(current, "resolved", { by: counsellor.id, at });
      return { conversation: { ...result.conversation, ...then }, event: { ...result.event, outcome } };
    });
    await this.handoff.dequeue(key);
    return conversation;
  }

  /** Throws unless `counsellor` holds the conversation (or is a supervisor) and it is open. */
  assertMayAct(current: Conversation, counsellor: Counsellor): void {
    this.#mayAct(current, counsellor);
  }

  #mayAct(current: Conversation, counsellor: Counsellor, statuses: readonly HandoffStatus[] = ["open"]): void {
    if (!statuses.includes(current.handoff.status)) {
      throw new RahnamaError("HANDOFF_CONFLICT", `No counsellor holds this conversation (${current.handoff.status})`, {
        details: { status: current.handoff.status },
      });
    }
    if (current.handoff.assignee !== counsellor.id && counsellor.role !== "supervisor") {
      throw new RahnamaError("HANDOFF_FORBIDDEN", undefined, { details: { heldBy: current.handoff.assignee } });
    }
  }

  /** One atomic change of the stored record; the event is recorded only once the change is saved. */
  async #change(
    key: string,
    change: (current: Conversation) => { conversation: Conversation; event: HandoffEvent },
  ): Promise<{ conversation: Conversation; event: HandoffEvent }> {
    let event: HandoffEvent | null = null;
    const saved = await this.conversations.change(key, (current) => {
      const result = change(current);
      event = result.event;
      return result.conversation;
    });
    if (!saved || !event) throw new RahnamaError("NOT_FOUND", "No such conversation");
    await this.handoff.record(event);
    return { conversation: saved, event };
  }
}
