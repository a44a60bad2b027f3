import type { Logger } from "../../src/log.js";
import type { ClientLike } from "./client.js";

export type ConnectionState =
  /** The browser is starting and WhatsApp Web loading. */
  | "starting"
  /** A QR code is waiting to be scanned with the MRC's phone. */
  | "waiting-for-scan"
  /** Scanned (or the saved session was accepted); WhatsApp Web is syncing. */
  | "authenticated"
  /** Messages flow. */
  | "connected"
  /** Lost (logged out on the phone, session refused, browser failed); a reconnect is scheduled. */
  | "disconnected"
  | "stopped";

export interface BackoffOptions {
  /** Wait before the first reconnect; doubles after each failed attempt. */
  readonly initialMs: number;
  /** The longest wait between two attempts. */
  readonly maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 5_000, maxMs: 5 * 60_000 };

export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** The latest QR code while waiting for a scan, else null. */
  readonly qr: string | null;
  readonly since: Date;
  /** When the next reconnect is due, while disconnected. */
  readonly nextAttemptAt: Date | null;
  /** Why the connection was lost last (a WhatsApp state such as "LOGOUT", never personal data). */
  readonly lastProblem: string | null;
}

export interface ConnectionOptions {
  readonly createClient: () => ClientLike;
  readonly log: Logger;
  readonly backoff: BackoffOptions;
  /** Called with each 'message' event of the current client; must not throw (it is guarded anyway). */
  readonly onMessage: (message: unknown) => void;
  /** Called with each new QR code. */
  readonly onQr: (qr: string) => void;
}

/**
 * Keeps one whatsapp-web.js client alive: starts it, follows its login events, and after a
 * 'disconnected' or 'auth_failure' (or a failed start) builds a fresh client after an exponential
 * back-off. A fresh client rather than `initialize()` again on the old one, because the library adds
 * its page bindings again on every `initialize()` and events then arrive twice. Events of a replaced
 * client are ignored.
 */
export class WhatsAppWebConnection {
  #client: ClientLike | null = null;
  #generation = 0;
  #state: ConnectionState = "stopped";
  #since = new Date();
  #qr: string | null = null;
  #nextAttemptAt: Date | null = null;
  #lastProblem: string | null = null;
  #delayMs: number;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(private readonly options: ConnectionOptions) {
    this.#delayMs = options.backoff.initialMs;
  }

  get status(): ConnectionStatus {
    return {
      state: this.#state,
      qr: this.#state === "waiting-for-scan" ? this.#qr : null,
      since: this.#since,
      nextAttemptAt: this.#nextAttemptAt,
      lastProblem: this.#lastProblem,
    };
  }

  /** The client to send with, when WhatsApp Web is connected. */
  get connectedClient(): ClientLike | null {
    return this.#state === "connected" ? this.#client : null;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#setState("stopped");
    await this.#dispose();
  }

  #connect(): void {
    if (this.#stopped) return;
    this.#generation += 1;
    const generation = this.#generation;
    this.#setState("starting");
    let client: ClientLike;
    try {
      client = this.options.createClient();
    } catch (error) {
      this.#lost("client could not be created", error);
      return;
    }
    this.#client = client;
    // Every listener is guarded: a bad event is logged and dropped, never allowed to crash the process.
    const on = (event: string, handler: (...args: unknown[]) => void) => {
      client.on(event, (...args: never[]) => {
        if (generation !== this.#generation || this.#stopped) return;
        try {
          handler(...(args as unknown[]));
        } catch (error) {
          this.options.log.warn({ event, err: describeError(error) }, "whatsapp-web: event handler failed");
        }
      });
    };
    on("qr", (qr) => {
      if (typeof qr !== "string" || !qr) return;
      const first = this.#state !== "waiting-for-scan";
      this.#qr = qr;
      this.#setState("waiting-for-scan");
      if (first)
        this.options.log.info("whatsapp-web: not logged in; scan the QR code (terminal or /admin/whatsapp-web)");
      this.options.onQr(qr);
    });
    on("authenticated", () => {
      this.#qr = null;
      this.#setState("authenticated");
      this.options.log.info("whatsapp-web: authenticated");
    });
    on("ready", () => {
      this.#delayMs = this.options.backoff.initialMs;
      this.#lastProblem = null;
      this.#setState("connected");
      this.options.log.info("whatsapp-web: connected");
    });
    on("auth_failure", () => this.#lost("auth_failure"));
    on("disconnected", (reason) => this.#lost(typeof reason === "string" ? reason : "disconnected"));
    on("message", (message) => this.options.onMessage(message));
    // 'message_create' (our own messages too), 'message_edit' and 'message_revoke_everyone' are not
    // listened to on purpose: the bot answers what was sent, and keeps no copy to edit or revoke.
    client.initialize().catch((error: unknown) => {
      if (generation === this.#generation) this.#lost("initialize failed", error);
    });
  }

  /** Marks the connection lost and schedules one reconnect (several signals for one loss count once). */
  #lost(problem: string, error?: unknown): void {
    if (this.#stopped) return;
    this.#lastProblem = problem;
    this.#qr = null;
    if (this.#timer) return;
    const delayMs = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, this.options.backoff.maxMs);
    this.#nextAttemptAt = new Date(Date.now() + delayMs);
    this.#setState("disconnected");
    this.options.log.warn(
      { problem, retryInMs: delayMs, ...(error === undefined ? {} : { err: describeError(error) }) },
      "whatsapp-web: connection lost; reconnecting",
    );
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#reconnect();
    }, delayMs);
    this.#timer.unref();
  }

  async #reconnect(): Promise<void> {
    await this.#dispose();
    this.#nextAttemptAt = null;
    this.#connect();
  }

  async #dispose(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    this.#generation += 1;
    if (!client) return;
    try {
      await client.destroy();
    } catch (error) {
      this.options.log.warn({ err: describeError(error) }, "whatsapp-web: closing the browser failed");
    }
    client.removeAllListeners();
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#since = new Date();
    if (state !== "disconnected") this.#nextAttemptAt = null;
  }
}

/** An error for the log: its class and message, not its payload (which may quote a message). */
export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof Error) return { type: error.name, message: error.message.slice(0, 300) };
  return { type: typeof error, message: "" };
}
