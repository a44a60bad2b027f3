import type { ConversationRepository } from "../core/conversation.js";
import type { TextCatalogue } from "../core/texts.js";
import type { ConversationLogFields, Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { CounsellorDesk } from "./counsellor-desk.js";
import type { Desks } from "./desks.js";
import type { Handoff } from "./handoff.js";

/** Minutes a person may wait past what they were told (or, with no estimate, at all) before hearing from us again. */
const patienceWithoutEstimateMinutes = 15;
const graceMinutes = 5;
/** Someone told the wait grew hears it again no sooner than this. */
const retellMinutes = 30;

export interface QueueWatchDeps {
  readonly desk: CounsellorDesk;
  readonly handoff: Handoff;
  readonly desks: Desks;
  readonly texts: TextCatalogue;
  readonly conversations: ConversationRepository;
  /** Sends the bot's words to a person on their own channel (and writes them to the transcript). */
  readonly notify: (conversationKey: string, text: string, at: Date) => Promise<void>;
  readonly log: Logger;
  /** How a log line names a conversation (BotServices.logConversation); the key only with LOG_PERSONAL_DATA. */
  readonly logConversation: (conversationKey: string) => ConversationLogFields;
  /** The queue-length gauge on /metrics. */
  readonly metrics?: Pick<Metrics, "handoffQueue">;
}

/**
 * Runs once a minute: puts follow-ups whose time has come back in the queue, and tells anyone whose
 * wait has grown well past what they were told (during their MRC's hours) that they are not forgotten,
 * with their place in the queue.
 */
export class QueueWatch {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: QueueWatchDeps) {}

  start(everyMs = 60_000): void {
    this.#timer = setInterval(() => {
      this.#running = this.tick(new Date()).catch((error: unknown) =>
        this.deps.log.error({ err: error }, "queue watch failed"),
      );
    }, everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async tick(now: Date): Promise<{ woken: string[]; told: string[] }> {
    const { desk, handoff, desks, texts, conversations } = this.deps;
    const woken = await desk.wakeDue(now);
    const told: string[] = [];
    const queue = await desk.queue(now);
    for (const priority of ["high", "normal"] as const) {
      this.deps.metrics?.handoffQueue.set({ priority }, queue.filter((entry) => entry.priority === priority).length);
    }
    for (const entry of queue) {
      const conversation = await conversations.get(entry.conversationKey);
      if (conversation?.handoff.status !== "pending") continue;
      // Outside the hours the person was told when someone will answer; that still holds.
      if (!desks.isOpen(desks.forConversation(conversation.country), now)) continue;
      const promisedMinutes = entry.told?.minutes ?? patienceWithoutEstimateMinutes;
      const waitedMinutes = entry.waitingSeconds / 60;
      const lastToldAt = Date.parse(entry.told?.at ?? entry.at);
      if (waitedMinutes < promisedMinutes + graceMinutes) continue;
      if (now.getTime() - lastToldAt < retellMinutes * 60_000) continue;
      const text = texts.get("counsellor", "wait_grew", conversation.lang ?? "eng", { position: entry.position }).text;
      try {
        await this.deps.notify(entry.conversationKey, text, now);
      } catch (error) {
        this.deps.log.warn(
          { err: error, ...this.deps.logConversation(entry.conversationKey) },
          "could not tell a person their wait grew",
        );
        continue;
      }
      await handoff.noteTold(entry.conversationKey, entry.told?.minutes ?? null, now);
      told.push(entry.conversationKey);
    }
    return { woken, told };
  }
}
