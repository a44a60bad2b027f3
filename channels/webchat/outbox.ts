import type { Outbound } from "../../src/core/message.js";
import { toBotActivity, type Activity } from "./activity.js";
import type { ActivityLog } from "./activity-log.js";
import { erasedCloseCode, type LiveSockets } from "./live-sockets.js";

/**
 * Puts activities into a conversation: stored first, then pushed to the open streams, so a client
 * that reconnects with a watermark finds everything it was ever shown.
 */
export class Outbox {
  constructor(
    readonly activities: ActivityLog,
    readonly live: LiveSockets,
  ) {}

  async append(conversationId: string, build: (ids: string[]) => Activity[], count: number): Promise<Activity[]> {
    const stored = await this.activities.append(conversationId, build, count);
    const watermark = await this.activities.count(conversationId);
    this.live.push(conversationId, stored, watermark);
    return stored;
  }

  /**
   * The last replies of a conversation its person just erased ("delete my data"): pushed to its open
   * streams, which are then closed, and given back for the response to the post. Never stored: the
   * erasure removed the conversation's history, and storing the confirmation would bring its keys back.
   */
  farewell(conversationId: string, replies: readonly Outbound[], replyToId: string): Activity[] {
    const activities = replies.map((reply, i) =>
      toBotActivity(reply, { id: `${conversationId}|final-${String(i)}`, conversationId, replyToId }),
    );
    this.live.push(conversationId, activities, null);
    this.live.close(conversationId, erasedCloseCode, "RAHNAMA_CONVERSATION_ERASED");
    return activities;
  }

  async sendReplies(conversationId: string, replies: readonly Outbound[], replyToId?: string): Promise<void> {
    if (replies.length === 0) return;
    await this.append(
      conversationId,
      (ids) =>
        replies.map((reply, i) =>
          toBotActivity(reply, { id: ids[i] ?? "", conversationId, ...(replyToId ? { replyToId } : {}) }),
        ),
      replies.length,
    );
  }
}
