import type { WebSocket } from "@fastify/websocket";
import type { Activity } from "./activity.js";

/** Open WebSocket streams per conversation. Activities reach them only after they are stored. */
export class LiveSockets {
  readonly #byConversation = new Map<string, Set<WebSocket>>();

  add(conversationId: string, socket: WebSocket): void {
    const set = this.#byConversation.get(conversationId) ?? new Set();
    set.add(socket);
    this.#byConversation.set(conversationId, set);
    socket.on("close", () => {
      set.delete(socket);
      if (set.size === 0) this.#byConversation.delete(conversationId);
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
