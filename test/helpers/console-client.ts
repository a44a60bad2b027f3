import { expect } from "vitest";

export const consolePassword = "correct horse battery staple";

export interface ConsoleSession {
  readonly cookie: string;
  readonly csrf: string;
}

export interface LiveEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** The console's live feed as a browser would read it: parsed events, and whether the server ended it. */
export interface EventStream {
  readonly events: LiveEvent[];
  /** Resolves when the server ends the stream (never when the test cancels it). */
  readonly ended: Promise<void>;
  isEnded(): boolean;
  /** Every piece of text that came in `message` events. */
  texts(): string[];
  cancel(): Promise<void>;
}

/** A console API client speaking plain HTTP, as a script or another inbox would. */
export function consoleClient(baseUrl: () => string) {
  const api = (path: string, init: RequestInit = {}) => fetch(`${baseUrl()}/console/api${path}`, init);

  async function login(id: string, password = consolePassword): Promise<ConsoleSession> {
    const response = await api("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id, password }),
    });
    expect(response.status).toBe(200);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { csrf } = (await response.json()) as { csrf: string };
    return { cookie, csrf };
  }

  const get = (path: string, session: ConsoleSession) => api(path, { headers: { cookie: session.cookie } });

  const post = (path: string, session: ConsoleSession, body: unknown = {}) =>
    api(path, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf },
      body: JSON.stringify(body),
    });

  async function events(session: ConsoleSession): Promise<EventStream> {
    const response = await get("/events", session);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const received: LiveEvent[] = [];
    let buffer = "";
    let ended = false;
    let cancelled = false;
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          end = buffer.indexOf("\n\n");
        }
      }
    })().then(
      () => {
        if (!cancelled) ended = true;
      },
      () => undefined,
    );
    return {
      events: received,
      ended: reading.then(() => (ended ? undefined : new Promise<void>(() => undefined))),
      isEnded: () => ended,
      texts: () =>
        received
          .filter((e) => e.event === "message")
          .flatMap((e) => e.data.entries as { text: string }[])
          .map((entry) => entry.text),
      cancel: async () => {
        cancelled = true;
        await reader.cancel().catch(() => undefined);
        await reading;
      },
    };
  }

  return { api, login, get, post, events };
}
