import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { TranscriptEntry, TranscriptRepository } from "../core/transcript.js";
import type { Handoff, HandoffEvent } from "../handoff/handoff.js";

/** Proxies hold an idle response open for a minute or so; a comment line every 20 s keeps it alive. */
const heartbeatMs = 20_000;

export interface LiveFeedDeps {
  /** The signed-in session for a request (throws a RahnamaError when there is none). */
  readonly session: (request: FastifyRequest) => Promise<{
    token: string;
    /** Whether the account may hear of a handoff change (decided from the event alone). */
    maySeeEvent: (event: HandoffEvent) => boolean;
    /** Visible and with counsellors (queued, held or snoozed): worth refreshing the queue for. */
    concerns: (key: string) => Promise<boolean>;
  }>;
  /** The sources of events, once the bot is loaded. */
  readonly sources: () => { transcripts: TranscriptRepository; handoff: Handoff };
  /** Conversations each session has opened (and so had their reading audited): their messages are pushed whole. */
  readonly watching: (token: string) => ReadonlySet<string>;
}

/**
 * Server-sent events for the console: `handoff` when a conversation's handoff state changes (the queue
 * view refreshes), and `message` with the new transcript entries of the conversations the counsellor
 * has open. A reconnecting browser refetches what it shows, so nothing is lost across a restart.
 */
export function liveFeed(app: FastifyInstance, deps: LiveFeedDeps): void {
  const streams = new Set<FastifyReply>();

  app.addHook("preClose", async () => {
    // Open event streams would keep the server from closing.
    for (const reply of streams) reply.raw.end();
    streams.clear();
  });

  app.get("/console/api/events", async (request, reply) => {
    const session = await deps.session(request);
    const { transcripts, handoff } = deps.sources();
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // Browsers wait this long before reconnecting after the bot restarts.
    raw.write("retry: 2000\n\n");
    send("ready", {});

    const onHandoff = (event: HandoffEvent) => {
      void deps.session(request).then(
        (current) => {
          if (current.maySeeEvent(event)) {
            send("handoff", { conversationKey: event.conversationKey, from: event.from, to: event.to, by: event.by });
          }
        },
        // The session ended (logout or expiry): the browser will get 401 on reconnect.
        () => raw.end(),
      );
    };
    const onMessage = (conversationKey: string, entries: readonly TranscriptEntry[]) => {
      if (deps.watching(session.token).has(conversationKey)) send("message", { conversationKey, entries });
      else
        void session.concerns(conversationKey).then((relevant) => {
          // Without the text: the counsellor has not opened it, so nothing of it was read. Chats the
          // bot handles alone are not announced: every console would refetch its queue for each.
          if (relevant) send("activity", { conversationKey });
        });
    };
    handoff.events.on("event", onHandoff);
    transcripts.events.on("appended", onMessage);
    const heartbeat = setInterval(() => raw.write(": ping\n\n"), heartbeatMs);
    heartbeat.unref();
    streams.add(reply);
    raw.on("close", () => {
      clearInterval(heartbeat);
      handoff.events.off("event", onHandoff);
      transcripts.events.off("appended", onMessage);
      streams.delete(reply);
    });
  });
}
