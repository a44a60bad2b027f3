import type { Desks } from "../../src/handoff/desks.js";
import type { RunningApp } from "../../src/run.js";
import { runApp } from "../../src/run.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/store.js";
import { sharedEmbedder, silentLog, testConfig } from "./rahnama.js";

/** The whole app on a free port of 127.0.0.1, ready to answer. */
export async function startTestApp(
  options: { env?: Record<string, string>; store?: Store; desks?: Desks } = {},
): Promise<RunningApp> {
  const running = await runApp(testConfig(options.env), silentLog, {
    store: options.store ?? new MemoryStore(),
    embedder: await sharedEmbedder(),
    ...(options.desks ? { desks: options.desks } : {}),
  });
  await running.ready;
  return running;
}

export interface DirectLineConversation {
  conversationId: string;
  token: string;
  streamUrl: string;
}

/** A minimal Direct Line client for tests, speaking plain HTTP like any other client would. */
export class DirectLineClient {
  constructor(readonly baseUrl: string) {}

  async start(): Promise<DirectLineConversation> {
    const response = await fetch(`${this.baseUrl}/v3/directline/conversations`, { method: "POST" });
    if (response.status !== 201) throw new Error(`start failed: ${response.status}`);
    return (await response.json()) as DirectLineConversation;
  }

  post(
    conversation: DirectLineConversation,
    activity: Record<string, unknown>,
    token = conversation.token,
  ): Promise<Response> {
    return fetch(`${this.baseUrl}/v3/directline/conversations/${conversation.conversationId}/activities`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
  }

  async activities(
    conversation: DirectLineConversation,
    watermark = 0,
  ): Promise<{ activities: ActivityJson[]; watermark: string }> {
    const response = await fetch(
      `${this.baseUrl}/v3/directline/conversations/${conversation.conversationId}/activities?watermark=${watermark}`,
      { headers: { authorization: `Bearer ${conversation.token}` } },
    );
    if (!response.ok) throw new Error(`activities failed: ${response.status}`);
    return (await response.json()) as { activities: ActivityJson[]; watermark: string };
  }
}

export interface ActivityJson {
  type: string;
  id: string;
  from: { id: string; role: string };
  text?: string;
  locale?: string;
  replyToId?: string;
  suggestedActions?: { actions: { title: string; value: { action: string } }[] };
  channelData?: {
    clientActivityID?: string;
    rahnama?: {
      intent: string | null;
      confidence: number | null;
      lang: string;
      direction: string;
      citations: {
        leafletId: string;
        title: string;
        reviewed: string | false;
        sources: { title: string; url: string | null; date: string | null }[];
      }[];
      handoff: null | { status: string };
      safety: boolean;
    };
  };
}
