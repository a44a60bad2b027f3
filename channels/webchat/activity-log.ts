import { z } from "zod";
import type { Store } from "../../src/store/store.js";
import type { Activity } from "./activity.js";

/**
 * How far a post with a client's own activity id got: claimed by an instance, its user activity stored,
 * answered. Kept for as long as the conversation, so that any retry of it finds where the first stopped.
 */
const clientRecordSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("claimed"), owner: z.string() }),
  z.object({ state: z.literal("stored"), owner: z.string(), activityId: z.string().min(1) }),
  z.object({ state: z.literal("answered"), activityId: z.string().min(1) }),
]);
export type ClientRecord = z.infer<typeof clientRecordSchema>;

function readClientRecord(raw: string): ClientRecord {
  try {
    const parsed = clientRecordSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // Written before these records were JSON: the activity id once stored, or "" while claimed.
  }
  // The older code stored the id before the turn and never said when it ended: taken as answered, as
  // it did; an empty claim names no owner that could still be at work, so it may be taken over.
  return raw ? { state: "answered", activityId: raw } : { state: "claimed", owner: "" };
}

function clientKey(conversationId: string, clientId: string): string {
  return `dl:client:${conversationId}:${clientId}`;
}

/**
 * Each Direct Line conversation's activities, in the Store: the watermark is simply how many
 * activities the client has seen, so a reconnecting client gets exactly what it missed.
 */
export class ActivityLog {
  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
  ) {}

  async create(conversationId: string): Promise<boolean> {
    return this.store.setIfAbsent(`dl:conv:${conversationId}`, new Date().toISOString(), {
      ttlSeconds: this.ttlSeconds,
    });
  }

  async exists(conversationId: string): Promise<boolean> {
    return (await this.store.get(`dl:conv:${conversationId}`)) !== null;
  }

  /** Stores activities and returns the ids they were given, `<conversation>|<sequence>`. */
  async append(conversationId: string, build: (ids: string[]) => Activity[], count: number): Promise<Activity[]> {
    // Reserve sequence numbers first so concurrent writers never hand out the same id.
    const end = Number(
      await this.store.update(`dl:seq:${conversationId}`, (current) => String(Number(current ?? "0") + count), {
        ttlSeconds: this.ttlSeconds,
      }),
    );
    const ids = Array.from(
      { length: count },
      (_, i) => `${conversationId}|${String(end - count + i).padStart(7, "0")}`,
    );
    const activities = build(ids);
    await this.store.append(
      `dl:activities:${conversationId}`,
      activities.map((activity) => JSON.stringify(activity)),
      {
        ttlSeconds: this.ttlSeconds,
      },
    );
    await this.store.set(`dl:conv:${conversationId}`, new Date().toISOString(), { ttlSeconds: this.ttlSeconds });
    return activities;
  }

  async count(conversationId: string): Promise<number> {
    return this.store.length(`dl:activities:${conversationId}`);
  }

  /** Activities after `watermark`, and the new watermark. */
  async since(conversationId: string, watermark: number): Promise<{ activities: Activity[]; watermark: number }> {
    const raw = await this.store.range(`dl:activities:${conversationId}`, Math.max(0, watermark), -1);
    return {
      activities: raw.map((line) => JSON.parse(line) as Activity),
      watermark: Math.max(0, watermark) + raw.length,
    };
  }

  /**
   * Claims a client's own activity id for the instance `owner` before the message is stored: true the
   * first time. A retry of the same post gets false, and `clientRecord` tells how far the first got.
   */
  async claimClientId(conversationId: string, clientId: string, owner: string): Promise<boolean> {
    const claim: ClientRecord = { state: "claimed", owner };
    return this.store.setIfAbsent(clientKey(conversationId, clientId), JSON.stringify(claim), {
      ttlSeconds: this.ttlSeconds,
    });
  }

  /** How far the post with this client id got, with the stored text it was read from (for `takeOverClientId`). */
  async clientRecord(conversationId: string, clientId: string): Promise<{ record: ClientRecord; raw: string } | null> {
    const raw = await this.store.get(clientKey(conversationId, clientId));
    return raw === null ? null : { record: readClientRecord(raw), raw };
  }

  /** Makes `owner` the holder of a record still as read (`raw`); false when another writer changed it first. */
  async takeOverClientId(conversationId: string, clientId: string, raw: string, owner: string): Promise<boolean> {
    const record = readClientRecord(raw);
    const taken = JSON.stringify({ ...record, owner });
    const written = await this.store.update(
      clientKey(conversationId, clientId),
      (current) => (current === raw ? taken : current),
      { ttlSeconds: this.ttlSeconds },
    );
    return written === taken;
  }

  async recordClientId(conversationId: string, clientId: string, record: ClientRecord): Promise<void> {
    await this.store.set(clientKey(conversationId, clientId), JSON.stringify(record), { ttlSeconds: this.ttlSeconds });
  }

  /**
   * The id of the user's activity posted with this client id, when the log has it: its post stored it
   * and died before recording so. (A client that names its post only by `id`, not
   * `channelData.clientActivityID`, leaves nothing to find it by.)
   */
  async userActivityWithClientId(conversationId: string, clientId: string): Promise<string | null> {
    const { activities } = await this.since(conversationId, 0);
    const found = activities.find(
      (activity) => activity.from.role === "user" && activity.channelData?.clientActivityID === clientId,
    );
    return found?.id ?? null;
  }

  /** Whether the bot's answer to `activityId` is in the log (it may be, when the process died just after). */
  async hasReplyTo(conversationId: string, activityId: string): Promise<boolean> {
    const { activities } = await this.since(conversationId, 0);
    return activities.some((activity) => activity.replyToId === activityId && activity.from.role === "bot");
  }

  async delete(conversationId: string): Promise<void> {
    const keys = await this.store.keysWithPrefix(`dl:client:${conversationId}:`);
    await this.store.delete([
      ...keys,
      `dl:conv:${conversationId}`,
      `dl:seq:${conversationId}`,
      `dl:activities:${conversationId}`,
    ]);
  }
}
