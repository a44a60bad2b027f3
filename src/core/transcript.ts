import { EventEmitter } from "node:events";
import { z } from "zod";
import type { Store } from "../store/store.js";
import { attachmentSchema } from "./message.js";

const transcriptEntrySchema = z.object({
  at: z.string(),
  from: z.enum(["user", "bot", "counsellor", "system"]),
  text: z.string(),
  intent: z.string().nullable().optional(),
  citations: z.array(z.string()).optional(),
  /** Media the user sent: what kind, and the channel's reference for the console to fetch it later. */
  media: z.array(attachmentSchema).optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

/**
 * The conversation as a counsellor will read it: every message in and out, stored before it is shown
 * anywhere else, and expiring with the conversation.
 */
export class TranscriptRepository {
  /** Every append, once stored: the console shows new messages live from here. */
  readonly events = new EventEmitter<{ appended: [string, readonly TranscriptEntry[]] }>();

  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
  ) {}

  async append(conversationKey: string, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.store.append(
      storeKey(conversationKey),
      entries.map((entry) => JSON.stringify(entry)),
      { ttlSeconds: this.ttlSeconds },
    );
    this.events.emit("appended", conversationKey, entries);
  }

  async read(conversationKey: string, limit = 500): Promise<TranscriptEntry[]> {
    const raw = await this.store.range(storeKey(conversationKey), -limit, -1);
    return raw.flatMap((line) => {
      const parsed = transcriptEntrySchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    });
  }

  async delete(conversationKey: string): Promise<void> {
    await this.store.delete([storeKey(conversationKey)]);
  }
}

function storeKey(conversationKey: string): string {
  return `transcript:${conversationKey}`;
}
