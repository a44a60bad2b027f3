import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  readonly method: string;
  /** The conversation id, decoded from the URL. */
  readonly conversationId: string;
  /** The activity replied to, when the bot used "reply to activity"; null for "send to conversation". */
  readonly replyToId: string | null;
  readonly authorization: string | undefined;
  readonly activity: ConnectorActivity;
}

export interface ConnectorActivity {
  type: string;
  text?: string;
  textFormat?: string;
  replyToId?: string;
  conversation?: { id: string };
  suggestedActions?: { actions: { type: string; title: string; text?: string; value?: { action?: string } }[] };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The Bot Framework Connector service as far as a bot talks to it: a plain HTTP server on 127.0.0.1,
 * used as the activities' `serviceUrl`, that records every activity the bot posts.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    let connector: FakeConnector | null = null;
    const server = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(request.url ?? "");
        if (request.method !== "POST" || !match?.[1] || !connector) {
          response.writeHead(404, { "content-type": "application/json" }).end("{}");
          return;
        }
        connector.calls.push({
          method: request.method,
          conversationId: decodeURIComponent(match[1]),
          replyToId: match[2] ? decodeURIComponent(match[2]) : null,
          authorization: request.headers.authorization,
          activity: JSON.parse(body) as ConnectorActivity,
        });
        connector.counter += 1;
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ id: `sent-${String(connector.counter)}` }));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    connector = new FakeConnector(server, `http://127.0.0.1:${String(port)}`);
    return connector;
  }

  /** What the bot posted to one conversation. */
  to(conversationId: string): ConnectorCall[] {
    return this.calls.filter((call) => call.conversationId === conversationId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
