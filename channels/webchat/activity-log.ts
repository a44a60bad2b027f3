import type { Store } from "../../src/store/store.js";
import type { Activity } from "./activity.js";

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
   * Claims a client's own activity id before the message is stored: true the first time. A retry of
   * the same post gets false, and `activityIdFor` gives it the id the first post was given.
   */
  async claimClientId(conversationId: string, clientId: string): Promise<boolean> {
    return this.store.setIfAbsent(`dl:client:${conversationId}:${clientId}`, "", { ttlSeconds: this.ttlSeconds });
  }

  async recordClientId(conversationId: string, clientId: string, activityId: string): Promise<void> {
    await this.store.set(`dl:client:${conversationId}:${clientId}`, activityId, { ttlSeconds: this.ttlSeconds });
  }

  async activityIdFor(conversationId: string, clientId: string): Promise<string | null> {
    return (await this.store.get(`dl:client:${conversationId}:${clientId}`)) || null;
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
