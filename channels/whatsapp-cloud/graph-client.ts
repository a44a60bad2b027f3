import { RateLimitedError, TransientSendError } from "../shared/paced-queue.js";

/**
 * One outgoing message body of the Cloud API, without the recipient (`to` is added when it is sent).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export type GraphMessage =
  | { readonly type: "text"; readonly text: { readonly body: string; readonly preview_url: boolean } }
  | { readonly type: "interactive"; readonly interactive: InteractiveMessage }
  | {
      readonly type: "template";
      readonly template: { readonly name: string; readonly language: { readonly code: string } };
    };

export type InteractiveMessage =
  | {
      readonly type: "button";
      readonly body: { readonly text: string };
      readonly action: { readonly buttons: readonly { type: "reply"; reply: { id: string; title: string } }[] };
    }
  | {
      readonly type: "list";
      readonly body: { readonly text: string };
      readonly action: {
        readonly button: string;
        readonly sections: readonly {
          rows: readonly { id: string; title: string; description?: string }[];
        }[];
      };
    };

/** Graph error codes that mean "too many messages": 130429 throughput of the number, 131056 pair rate, 4 and 80007 app or account limits. */
const throughputCodes = new Set([130429, 4, 80007]);
const pairRateCode = 131056;
/** "Re-engagement message": more than 24 hours since the person last wrote. */
const outsideWindowCode = 131047;

/** The Cloud API refused a request for good (bad token, unknown number, invalid message): not retried. */
export class GraphRefusedError extends Error {
  constructor(
    readonly status: number,
    /** Graph's error code, e.g. 131026 (undeliverable); safe to log, never personal data. */
    readonly code: number | null,
  ) {
    super(`WhatsApp Cloud API refused the request (HTTP ${String(status)}, code ${String(code)})`);
    this.name = "GraphRefusedError";
  }

  get outsideWindow(): boolean {
    return this.code === outsideWindowCode;
  }
}

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com/v21.0 */
  readonly apiRoot: string;
  readonly phoneNumberId: string;
  readonly token: string;
  /** Back-off after a rate-limit answer (Graph gives no Retry-After for these codes). */
  readonly rateLimitBackoffMs: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The Cloud API over plain fetch: there is no maintained official Node SDK. Failures come back typed
 * for the paced queue: RateLimitedError (tried again after a pause), TransientSendError (5xx, network,
 * timeout: retried with back-off) or GraphRefusedError (given up).
 */
export class GraphClient {
  readonly #messagesUrl: string;
  readonly #fetch: typeof fetch;

  constructor(private readonly options: GraphClientOptions) {
    this.#messagesUrl = `${options.apiRoot.replace(/\/+$/, "")}/${options.phoneNumberId}/messages`;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Sends one message to a WhatsApp number (`to` is the wa_id the webhook gave). */
  async sendMessage(to: string, message: GraphMessage): Promise<void> {
    await this.#post({ messaging_product: "whatsapp", recipient_type: "individual", to, ...message });
  }

  /** Shows the person's message as read (blue ticks). */
  async markRead(messageId: string): Promise<void> {
    await this.#post({ messaging_product: "whatsapp", status: "read", message_id: messageId });
  }

  async #post(body: Record<string, unknown>): Promise<void> {
    let response: Response;
    try {
      response = await this.#fetch(this.#messagesUrl, {
        method: "POST",
        headers: { authorization: `Bearer ${this.options.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new TransientSendError("WhatsApp Cloud API unreachable", { cause: error });
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const code = await errorCode(response);
    if (code === pairRateCode) throw new RateLimitedError(this.options.rateLimitBackoffMs, false);
    if ((code !== null && throughputCodes.has(code)) || response.status === 429) {
      throw new RateLimitedError(this.options.rateLimitBackoffMs, true);
    }
    if (response.status >= 500) {
      throw new TransientSendError(`WhatsApp Cloud API failed (HTTP ${String(response.status)})`);
    }
    throw new GraphRefusedError(response.status, code);
  }
}

async function errorCode(response: Response): Promise<number | null> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === "number" ? body.error.code : null;
  } catch {
    return null;
  }
}
