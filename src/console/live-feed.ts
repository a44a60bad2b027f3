import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { TranscriptEntry, TranscriptRepository } from "../core/transcript.js";
import type { ErasureNotice, Handoff, HandoffEvent } from "../handoff/handoff.js";

/** Proxies hold an idle response open for a minute or so; a comment line every 20 s keeps it alive. */
const heartbeatMs = 20_000;
/**
 * How often an idle stream asks whether its session still lives: a session deleted elsewhere (a new
 * password, a supervisor, another process, expiry) sends no event here, and heartbeats alone would
 * keep its stream open for ever.
 */
const sessionCheckMs = 3_000;

/** What the live feed knows of a session, read afresh for every event. */
export interface LiveSession {
  readonly token: string;
  /** Whether the account may hear of a handoff change (decided from the event alone). */
  readonly maySeeEvent: (event: Pick<HandoffEvent, "country" | "assignee">) => boolean;
  /** Whether the account may read the conversation now (it may have moved to another MRC). */
  readonly mayRead: (key: string) => Promise<boolean>;
  /** Visible and with counsellors (queued, held or snoozed): worth refreshing the queue for. */
  readonly concerns: (key: string) => Promise<boolean>;
}

export interface LiveFeedDeps {
  /** The signed-in session for a request (throws a RahnamaError when there is none). */
  readonly session: (request: FastifyRequest) => Promise<LiveSession>;
  /** The sources of events, once the bot is loaded. */
  readonly sources: () => { transcripts: TranscriptRepository; handoff: Handoff };
  /** Conversations each session has opened (and so had their reading audited): their messages are pushed whole. */
  readonly watching: (token: string) => ReadonlySet<string>;
  /** The session may no longer read the conversation: its messages stop. */
  readonly unwatch: (token: string, key: string) => void;
}

/**
 * Server-sent events for the console: `handoff` when a conversation's handoff state changes (the queue
 * view refreshes), `message` with the new transcript entries of the conversations the counsellor
 * has open, and `erased` when a person erased their data (the case leaves the lists, an open one is
 * shown as erased). A reconnecting browser refetches what it shows, so nothing is lost across a restart.
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
    let ended = false;
    const send = (event: string, data: unknown) => {
      if (!ended) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // Browsers wait this long before reconnecting after the bot restarts.
    raw.write("retry: 2000\n\n");
    send("ready", {});

    // Each event re-reads the session and the account's rights before anything is sent. The checks are
    // chained so that events go out in the order they happened. Any failure (the session ended, the
    // store cannot say) ends the stream: the browser reconnects, and gets 401 if the session is gone.
    let chain = Promise.resolve();
    const checked = (work: (current: LiveSession) => Promise<void>) => {
      chain = chain
        .then(async () => {
          if (ended) return;
          await work(await deps.session(request));
        })
        .catch(() => end());
    };

    const onHandoff = (event: HandoffEvent) => {
      checked(async (current) => {
        if (current.maySeeEvent(event)) {
          send("handoff", { conversationKey: event.conversationKey, from: event.from, to: event.to, by: event.by });
        }
      });
    };
    // Conversations whose words this stream carried: told if their person erases them, even once the
    // erasure has taken them out of what the session watches.
    const carried = new Set<string>();
    const onMessage = (conversationKey: string, entries: readonly TranscriptEntry[]) => {
      checked(async (current) => {
        if (deps.watching(session.token).has(conversationKey)) {
          if (await current.mayRead(conversationKey)) {
            carried.add(conversationKey);
            send("message", { conversationKey, entries });
            return;
          }
          // Moved to another MRC, or handed to someone the account may not follow: no more of its words.
          deps.unwatch(session.token, conversationKey);
        }
        // Without the text: the counsellor has not opened it, so nothing of it was read. Chats the
        // bot handles alone are not announced: every console would refetch its queue for each.
        if (await current.concerns(conversationKey)) send("activity", { conversationKey });
      });
    };
    const onErased = (notice: ErasureNotice) => {
      checked(async (current) => {
        const opened =
          carried.delete(notice.conversationKey) || deps.watching(session.token).has(notice.conversationKey);
        deps.unwatch(session.token, notice.conversationKey);
        // Whoever has it open, and whoever could see it in a list (a chat with the bot alone is in none).
        if (opened || (notice.status !== "bot" && current.maySeeEvent(notice))) {
          send("erased", { conversationKey: notice.conversationKey, from: notice.status });
        }
      });
    };
    handoff.events.on("event", onHandoff);
    handoff.events.on("erased", onErased);
    transcripts.events.on("appended", onMessage);
    const heartbeat = setInterval(() => raw.write(": ping\n\n"), heartbeatMs);
    heartbeat.unref();
    const sessionCheck = setInterval(() => checked(async () => undefined), sessionCheckMs);
    sessionCheck.unref();
    streams.add(reply);
    const stop = () => {
      clearInterval(heartbeat);
      clearInterval(sessionCheck);
      handoff.events.off("event", onHandoff);
      handoff.events.off("erased", onErased);
      transcripts.events.off("appended", onMessage);
      streams.delete(reply);
    };
    function end() {
      if (ended) return;
      ended = true;
      stop();
      raw.end();
    }
    raw.on("close", () => {
      ended = true;
      stop();
    });
  });
}
