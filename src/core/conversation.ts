import { z } from "zod";
import { languageCodes } from "../i18n/languages.js";
import { safetyCategories } from "../nlu/intent-files.js";
import type { Store } from "../store/store.js";
import { addressSchema, type Address } from "./message.js";

/** `snoozed`: a counsellor set it aside for a follow-up; it returns to the queue at `until`, or sooner when the person writes. */
export const handoffStatuses = ["bot", "pending", "open", "snoozed", "resolved"] as const;
export type HandoffStatus = (typeof handoffStatuses)[number];

export const handoffStateSchema = z.object({
  status: z.enum(handoffStatuses),
  reason: z.enum(["user-request", "safety", "low-confidence", "flow"]).nullable(),
  priority: z.enum(["normal", "high"]),
  since: z.string(),
  assignee: z.string().nullable(),
  /** For `snoozed`: when it comes back to the queue. */
  until: z.string().nullable().optional(),
});
export type HandoffState = z.infer<typeof handoffStateSchema>;

/** Where a guided flow (job-offer check, fee check, …) stands; stored so it survives a restart. */
export const flowStateSchema = z.object({
  id: z.string(),
  step: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  startedAt: z.string(),
  /** Times the current step was asked without a usable answer. */
  retries: z.number().int().nonnegative().default(0),
});
export type FlowState = z.infer<typeof flowStateSchema>;

/** Everything the bot remembers about one conversation between turns. */
export const conversationSchema = z.object({
  key: z.string(),
  address: addressSchema,
  lang: z.enum(languageCodes).nullable(),
  /** The user picked the language; detection no longer switches it. */
  langChosen: z.boolean(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable(),
  /**
   * The country the person is in now, as they said it ("I work in Riyadh"), kept apart from `country`
   * (where they come from, whose MRC serves them): the emergency numbers are those of where they are.
   */
  location: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .default(null),
  /**
   * A question the safety check asked and waits for: "is someone in danger now?" about `text` (the grey
   * zone), or "which country are you in?" after an emergency answer without a place.
   */
  safetyQuestion: z
    .object({
      kind: z.enum(["triage", "location"]),
      category: z.enum(safetyCategories),
      text: z.string().max(4_000),
      at: z.string(),
    })
    .nullable()
    .default(null),
  handoff: handoffStateSchema,
  flow: flowStateSchema.nullable().default(null),
  /** Set once the safety check fired in this conversation; counsellors see it first. */
  safety: z.boolean(),
  lastIntent: z.string().nullable(),
  /** A question we offered likely topics for; answered with the topic the user taps. */
  pendingQuestion: z.string().max(2_000).nullable().default(null),
  /** The last question asked (as understood), so that "and for Qatar?" can ask it again about Qatar. */
  lastQuestion: z
    .object({ text: z.string().max(2_000), at: z.string() })
    .nullable()
    .default(null),
  /** Leaflets shown recently, newest first, so "tell me more" and related topics have context. */
  lastLeaflets: z.array(z.string()).max(10),
  turns: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export function conversationKey(address: Address): string {
  return `${address.channel}:${address.conversation}`;
}

export function newConversation(address: Address, now: Date): Conversation {
  const at = now.toISOString();
  return {
    key: conversationKey(address),
    address,
    lang: null,
    langChosen: false,
    country: null,
    location: null,
    safetyQuestion: null,
    handoff: { status: "bot", reason: null, priority: "normal", since: at, assignee: null },
    flow: null,
    safety: false,
    lastIntent: null,
    pendingQuestion: null,
    lastQuestion: null,
    lastLeaflets: [],
    turns: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** Reads and writes conversations; what comes back from the store is validated like any input. */
export class ConversationRepository {
  /** The handoff state each loaded conversation had when its turn read it (see `save`). */
  readonly #loadedHandoff = new WeakMap<Conversation, string>();

  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
    private readonly onCorrupt: (key: string, error: unknown) => void,
  ) {}

  async load(address: Address, now: Date): Promise<Conversation> {
    const key = conversationKey(address);
    const raw = await this.store.get(storeKey(key));
    let conversation: Conversation;
    if (raw === null) conversation = newConversation(address, now);
    else {
      try {
        conversation = conversationSchema.parse(JSON.parse(raw));
      } catch (error) {
        // A corrupt record must not silence the bot for this person: start afresh and say so in the log.
        this.onCorrupt(key, error);
        conversation = newConversation(address, now);
      }
    }
    this.#loadedHandoff.set(conversation, JSON.stringify(conversation.handoff));
    return conversation;
  }

  async get(key: string): Promise<Conversation | null> {
    const raw = await this.store.get(storeKey(key));
    if (raw === null) return null;
    const parsed = conversationSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  /**
   * Saves a conversation at the end of a turn. A counsellor may have claimed, transferred or resolved
   * it while the turn ran (the console changes the handoff state atomically, outside turns): unless
   * the turn itself changed the handoff state, the stored one is kept, so a turn that started before
   * the claim cannot undo it.
   */
  async save(conversation: Conversation): Promise<void> {
    const loaded = this.#loadedHandoff.get(conversation);
    const turnChangedHandoff = loaded === undefined || loaded !== JSON.stringify(conversation.handoff);
    const saved = await this.store.update(
      storeKey(conversation.key),
      (current) => {
        if (turnChangedHandoff || current === null) return JSON.stringify(conversation);
        const stored = conversationSchema.safeParse(JSON.parse(current));
        const handoff = stored.success ? stored.data.handoff : conversation.handoff;
        return JSON.stringify({ ...conversation, handoff });
      },
      { ttlSeconds: this.ttlSeconds },
    );
    if (saved !== null) {
      const parsed = conversationSchema.safeParse(JSON.parse(saved));
      if (parsed.success) conversation.handoff = parsed.data.handoff;
    }
    this.#loadedHandoff.set(conversation, JSON.stringify(conversation.handoff));
  }

  /**
   * Changes a stored conversation atomically (the console's claim, transfer, resolve). `change` gets
   * the current record and returns the new one; it may run more than once under contention, so it must
   * be pure. Returns the saved record, or null when there is none.
   */
  async change(key: string, change: (conversation: Conversation) => Conversation): Promise<Conversation | null> {
    const saved = await this.store.update(
      storeKey(key),
      (current) => {
        if (current === null) return null;
        return JSON.stringify(change(conversationSchema.parse(JSON.parse(current))));
      },
      { ttlSeconds: this.ttlSeconds },
    );
    return saved === null ? null : conversationSchema.parse(JSON.parse(saved));
  }

  async delete(key: string): Promise<void> {
    await this.store.delete([storeKey(key)]);
  }
}

function storeKey(conversationKey: string): string {
  return `conv:${conversationKey}`;
}
