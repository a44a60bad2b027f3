import pino, { type Logger } from "pino";
import { conversationRef, type KeyedHasher } from "./privacy/conversation-ref.js";

export type { Logger } from "pino";

/**
 * Fields that may carry what a person wrote or who they are. Redacted unless LOG_PERSONAL_DATA is on,
 * because a migrant's message can name their employer, their passport number or their location.
 */
const personalDataPaths = [
  "text",
  "*.text",
  "*.*.text",
  "name",
  "*.name",
  "phone",
  "*.phone",
  "user",
  "*.user",
  "userId",
  "*.userId",
  "from",
  "*.from",
  "body",
  "*.body",
  "req.headers.authorization",
  "req.headers.cookie",
  // A conversation key holds a phone number or a chat id: lines name a conversation by `conv` (its keyed
  // reference). These catch a raw key logged by mistake.
  "conversation",
  "*.conversation",
  "conversationKey",
  "*.conversationKey",
  "address",
  "*.address",
  "chatId",
  "*.chatId",
  "wa_id",
  "*.wa_id",
];

export interface LogOptions {
  level: string;
  personalData: boolean;
  /** Where to write; tests pass a stream to read what would have been logged. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LogOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "rahnama" },
      redact: options.personalData ? [] : { paths: personalDataPaths, censor: "[redacted]" },
      serializers: {
        err: pino.stdSerializers.err,
        req: (req: LoggedRequest) => ({
          id: req.id,
          method: req.method,
          url: options.personalData ? req.url?.split("?")[0] : loggableUrl(req),
        }),
      },
    },
    options.destination,
  );
}

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly id?: string;
  /** Fastify's matched route; `url` is its pattern (`/console/api/conversations/:key`). */
  readonly routeOptions?: { readonly url?: string };
}

/**
 * A request's path as a log may show it: the route's pattern, because path segments carry conversation
 * keys (a phone number, a Telegram chat id) and Direct Line conversation ids. A path that matched no
 * route keeps only the segments that read as fixed words. Query strings (Direct Line tokens) never.
 */
export function loggableUrl(req: LoggedRequest): string | undefined {
  const pattern = req.routeOptions?.url;
  if (pattern && pattern !== "*" && pattern !== "/*") return pattern;
  const path = req.url?.split("?")[0];
  return path
    ?.split("/")
    .map((segment) => (/^[a-z][a-z.-]{0,39}$/.test(segment) || segment === "" ? segment : "*"))
    .join("/");
}

/** How a log line names a conversation. */
export interface ConversationLogFields {
  /** Its keyed reference (src/privacy/conversation-ref.ts), the same in the console's audit log. */
  readonly conv: string;
  /** The key itself (a phone number, a chat id), only with LOG_PERSONAL_DATA. */
  readonly conversation?: string;
}

/** `(key) => fields` naming a conversation in a log line; the raw key only when `personalData` is on. */
export function conversationLogFields(
  hasher: KeyedHasher,
  personalData: boolean,
): (conversationKey: string) => ConversationLogFields {
  return (conversationKey) => ({
    conv: conversationRef(hasher, conversationKey),
    ...(personalData ? { conversation: conversationKey } : {}),
  });
}
