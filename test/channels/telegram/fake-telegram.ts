import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
}

export interface SentMessage {
  readonly chatId: string;
  readonly text: string;
  readonly parseMode: string | undefined;
  readonly keyboard: { text: string; callback_data: string }[][] | undefined;
}

/** What the fake answers instead of the usual `ok` (a 429 with retry_after, a 500, a 403). */
export interface FakeFailure {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export const fakeToken = "123456:TEST-token-for-the-fake-bot-api";

/**
 * A fake Telegram Bot API on 127.0.0.1, at the HTTP level: telegraf talks to it through
 * TELEGRAM_API_ROOT exactly as it talks to api.telegram.org. Records every call.
 */
export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  /** Decides per sendMessage attempt whether it fails; null delivers it. */
  failSendMessage: (attempt: number, body: Record<string, unknown>) => FakeFailure | null = () => null;
  /** How many getMe calls still fail with 502, as when Telegram cannot be reached at start. */
  getMeFailures = 0;
  /** Answer getMe with 401, as Telegram does for a revoked token. */
  refuseToken = false;
  #sendAttempts = 0;
  #nextUpdateId = 1;
  #nextMessageId = 1000;
  #updates: Record<string, unknown>[] = [];
  #pollers: { offset: number; respond: (updates: Record<string, unknown>[]) => void }[] = [];
  #server: Server | null = null;
  url = "";

  async start(): Promise<this> {
    this.#server = createServer((request, response) => void this.#handle(request, response));
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${String(port)}`;
    return this;
  }

  async close(): Promise<void> {
    for (const poller of this.#pollers.splice(0)) poller.respond([]);
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** Queues an update for getUpdates; returns it with its update_id. */
  push(update: Record<string, unknown>): Record<string, unknown> {
    const withId = { update_id: this.#nextUpdateId++, ...update };
    this.#updates.push(withId);
    for (const poller of this.#pollers.splice(0)) poller.respond(this.#pending(poller.offset));
    return withId;
  }

  /** A new update_id for an update posted to a webhook instead. */
  nextUpdateId(): number {
    return this.#nextUpdateId++;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  sentTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((message) => message.chatId === String(chatId));
  }

  /** Waits until `predicate` holds over what was recorded (checked every 20 ms). */
  async waitFor<T>(read: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value) return value;
      if (Date.now() > deadline) throw new Error("the fake Telegram did not see what the test waited for");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  #pending(offset: number): Record<string, unknown>[] {
    return this.#updates.filter((update) => (update.update_id as number) >= offset);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? "");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const reply = (status: number, body: unknown) => {
      if (response.writableEnded || response.destroyed) return;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (!match || match[1] !== fakeToken) {
      reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const method = match[2] ?? "";
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    this.calls.push({ method, body });
    switch (method) {
      case "getMe":
        if (this.refuseToken) {
          reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
          return;
        }
        if (this.getMeFailures > 0) {
          this.getMeFailures -= 1;
          reply(502, { ok: false, error_code: 502, description: "Bad Gateway" });
          return;
        }
        reply(200, {
          ok: true,
          result: { id: 123456, is_bot: true, first_name: "Rahnama", username: "rahnama_test_bot" },
        });
        return;
      case "deleteWebhook":
      case "setWebhook":
      case "answerCallbackQuery":
        reply(200, { ok: true, result: true });
        return;
      case "getUpdates":
        this.#getUpdates(body, request, (updates) => reply(200, { ok: true, result: updates }));
        return;
      case "sendMessage":
        this.#sendMessage(body, reply);
        return;
      default:
        reply(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
  }

  #getUpdates(
    body: Record<string, unknown>,
    request: IncomingMessage,
    respond: (u: Record<string, unknown>[]) => void,
  ) {
    const offset = typeof body.offset === "number" ? body.offset : 0;
    // Telegram forgets updates below the offset: they were confirmed.
    this.#updates = this.#updates.filter((update) => (update.update_id as number) >= offset);
    const pending = this.#pending(offset);
    const timeoutSeconds = typeof body.timeout === "number" ? body.timeout : 0;
    if (pending.length > 0 || timeoutSeconds === 0) {
      respond(pending);
      return;
    }
    const poller = { offset, respond };
    this.#pollers.push(poller);
    const timer = setTimeout(() => {
      this.#pollers = this.#pollers.filter((p) => p !== poller);
      respond([]);
    }, timeoutSeconds * 1_000);
    request.socket.once("close", () => {
      clearTimeout(timer);
      this.#pollers = this.#pollers.filter((p) => p !== poller);
    });
  }

  #sendMessage(body: Record<string, unknown>, reply: (status: number, body: unknown) => void): void {
    this.#sendAttempts += 1;
    const failure = this.failSendMessage(this.#sendAttempts, body);
    if (failure) {
      reply(failure.status, failure.body);
      return;
    }
    const markup = body.reply_markup as { inline_keyboard?: SentMessage["keyboard"] } | undefined;
    this.sent.push({
      chatId: String(body.chat_id),
      text: String(body.text),
      parseMode: body.parse_mode as string | undefined,
      keyboard: markup?.inline_keyboard,
    });
    reply(200, {
      ok: true,
      result: {
        message_id: this.#nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(body.chat_id), type: "private" },
        text: body.text,
      },
    });
  }
}

/** A private-chat text message from a person, as Telegram sends it. */
export function textUpdate(
  chatId: number,
  text: string,
  extra: { messageId?: number; languageCode?: string } = {},
): Record<string, unknown> {
  return {
    message: {
      message_id: extra.messageId ?? Math.floor(Math.random() * 1e9),
      date: Math.floor(Date.now() / 1000),
      from: { id: chatId, is_bot: false, first_name: "Test", language_code: extra.languageCode ?? "en" },
      chat: { id: chatId, type: "private", first_name: "Test" },
      text,
    },
  };
}
