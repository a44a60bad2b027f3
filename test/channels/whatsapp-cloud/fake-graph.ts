import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface GraphRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown> & {
    to?: string;
    type?: string;
    status?: string;
    message_id?: string;
    text?: { body: string };
    interactive?: {
      type: "button" | "list";
      body: { text: string };
      action: {
        button?: string;
        buttons?: { reply: { id: string; title: string } }[];
        sections?: { rows: { id: string; title: string; description?: string }[] }[];
      };
    };
    template?: { name: string; language: { code: string } };
  };
}

interface Refusal {
  readonly status: number;
  readonly code?: number;
}

/**
 * Meta's Graph API as far as the channel uses it: POST /{phone_number_id}/messages on 127.0.0.1,
 * recording what arrives. `refuse` makes the next sends answer with an error, as the real API does
 * under rate limits or outages.
 */
export class FakeGraph {
  /** Every request that was answered 200, in arrival order. */
  readonly accepted: GraphRequest[] = [];
  /** Every request, including refused ones. */
  readonly received: GraphRequest[] = [];
  #refusals: (Refusal | "ok")[] = [];
  #server: Server | null = null;
  root = "";

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const entry: GraphRequest = {
          path: request.url ?? "",
          authorization: request.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as GraphRequest["body"],
        };
        this.received.push(entry);
        const refusal = entry.body.status === "read" ? undefined : this.#refusals.shift();
        response.setHeader("content-type", "application/json");
        if (refusal && refusal !== "ok") {
          response.statusCode = refusal.status;
          response.end(JSON.stringify({ error: { message: "refused by the fake", code: refusal.code ?? 1 } }));
          return;
        }
        this.accepted.push(entry);
        response.end(
          JSON.stringify({
            messaging_product: "whatsapp",
            messages: [{ id: `wamid.out${String(this.accepted.length)}` }],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.root = `http://127.0.0.1:${String(port)}/v21.0`;
  }

  /** The next sends (not read receipts) are answered with these errors, one each ("ok": accepted). */
  refuse(...refusals: (Refusal | "ok")[]): void {
    this.#refusals.push(...refusals);
  }

  /** Messages (not read receipts) accepted for one number. */
  messagesTo(waId: string): GraphRequest["body"][] {
    return this.accepted.filter((r) => r.body.to === waId && r.body.status !== "read").map((r) => r.body);
  }

  readReceipts(): string[] {
    return this.accepted.filter((r) => r.body.status === "read").map((r) => r.body.message_id ?? "");
  }

  /** Waits until `check` returns a value (not undefined/false), polling; fails after `timeoutMs`. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > until) throw new Error("timed out waiting for the fake Graph API");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

export const phoneNumberId = "1234567890123";
export const appSecret = "app-secret-for-tests-0123456789";
export const verifyToken = "verify-token-for-tests";

export function whatsappEnv(graph: FakeGraph, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_CLOUD_TOKEN: "EAAG-test-token-0123456789abcdef",
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: appSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken,
    WHATSAPP_CLOUD_API_ROOT: graph.root,
    ...extra,
  };
}

let counter = 0;

/** A unique wamid, as Meta gives each message. */
export function wamid(): string {
  counter += 1;
  return `wamid.HBgM${String(process.pid)}x${String(counter)}`;
}

/** A webhook call carrying one message from `from`, as Meta posts it. */
export function webhookPayload(from: string, message: Record<string, unknown>): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: "Test Person" }, wa_id: from }],
              messages: [{ from, id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  };
}

export function sign(body: string, secret = appSecret): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
