import type { WebSocket } from "@fastify/websocket";
import type { Activity } from "./activity.js";

/** How many streams one conversation may hold open in one process (a person with a few tabs open). */
export const maxStreamsPerConversation = 3;

/** The close code of a stream a newer one of the same conversation replaced; the widget polls instead. */
export const streamReplacedCloseCode = 4429;

/** The close code of a stream whose conversation its person erased; the widget starts afresh. */
export const erasedCloseCode = 4410;

/** Open WebSocket streams per conversation. Activities reach them only after they are stored. */
export class LiveSockets {
  readonly #byConversation = new Map<string, Set<WebSocket>>();

  constructor(private readonly maxPerConversation = maxStreamsPerConversation) {}

  /**
   * Adds a stream; beyond the limit the oldest one of the conversation is closed. The oldest rather than
   * the newest: a phone that changed networks leaves a dead stream behind, and its new one must get in.
   */
  add(conversationId: string, socket: WebSocket): void {
    const set = this.#byConversation.get(conversationId) ?? new Set();
    for (const oldest of set) {
      if (set.size < this.maxPerConversation) break;
      set.delete(oldest);
      oldest.close(streamReplacedCloseCode, "RAHNAMA_ERR_STREAM_LIMIT");
    }
    set.add(socket);
    this.#byConversation.set(conversationId, set);
    socket.on("close", () => {
      set.delete(socket);
      // A replaced stream closes late; by then the conversation may have a set of its own again.
      if (set.size === 0 && this.#byConversation.get(conversationId) === set)
        this.#byConversation.delete(conversationId);
    });
  }

  push(conversationId: string, activities: readonly Activity[], watermark: number | null): void {
    const sockets = this.#byConversation.get(conversationId);
    if (!sockets || activities.length === 0) return;
    const frame = JSON.stringify(watermark === null ? { activities } : { activities, watermark: String(watermark) });
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
  }

  /** An empty frame every so often keeps proxies from closing idle streams (Direct Line does the same). */
  heartbeat(): void {
    for (const sockets of this.#byConversation.values()) {
      for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send("");
    }
  }

  /** Closes a conversation's streams (after its last activities were pushed: ws sends them first). */
  close(conversationId: string, code: number, reason: string): void {
    const sockets = this.#byConversation.get(conversationId);
    this.#byConversation.delete(conversationId);
    for (const socket of sockets ?? []) socket.close(code, reason);
  }

  closeAll(): void {
    for (const sockets of this.#byConversation.values())
      for (const socket of sockets) socket.close(1001, "server stopping");
    this.#byConversation.clear();
  }

  get count(): number {
    let total = 0;
    for (const sockets of this.#byConversation.values()) total += sockets.size;
    return total;
  }
}
