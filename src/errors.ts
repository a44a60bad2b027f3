/**
 * One catalogue of coded errors. Every error that crosses a boundary (HTTP, a channel, start-up) is a
 * RahnamaError with a stable code, so operators can grep logs and clients can branch on the code.
 */
export const errorCatalogue = {
  CONFIG_INVALID: { status: 500, message: "The configuration is invalid" },
  KNOWLEDGE_INVALID: { status: 500, message: "A knowledge file is invalid" },
  INTENTS_INVALID: { status: 500, message: "An intent file is invalid" },
  INDEX_NOT_READY: { status: 503, message: "The knowledge index is not loaded yet" },
  INDEX_FAILED: { status: 500, message: "The knowledge index could not be built or read" },
  EMBEDDER_FAILED: { status: 500, message: "The embedding model failed" },
  STORE_UNAVAILABLE: { status: 503, message: "The state store is unavailable" },
  STORE_CONFLICT: { status: 409, message: "The record changed while it was being updated" },
  TURN_TIMEOUT: { status: 504, message: "The bot took too long to answer" },
  TURN_FAILED: { status: 500, message: "The bot failed to handle a message" },
  TURN_IN_PROGRESS: {
    status: 503,
    message: "Another delivery of this message is being handled; deliver it again later",
  },
  PIPELINE_NEXT_TWICE: { status: 500, message: "A pipeline stage called next() more than once" },
  INPUT_INVALID: { status: 400, message: "The request is invalid" },
  INPUT_TOO_LARGE: { status: 413, message: "The message is too long" },
  AUTH_MISSING: { status: 401, message: "Authorization is missing" },
  AUTH_INVALID: { status: 403, message: "Authorization is not valid for this conversation" },
  NOT_FOUND: { status: 404, message: "Not found" },
  RATE_LIMITED: { status: 429, message: "Too many requests" },
  CONVERSATIONS_LIMITED: {
    status: 429,
    message: "Too many new conversations from this network address; try again later",
  },
  CONSOLE_LOGIN_FAILED: { status: 401, message: "Wrong account or password" },
  CONSOLE_CSRF: { status: 403, message: "The request lacks this session's CSRF token" },
  CONSOLE_FORBIDDEN: { status: 403, message: "This conversation belongs to another MRC" },
  CHANNEL_UNDELIVERED: { status: 502, message: "The person's channel did not take the message" },
  HANDOFF_CONFLICT: { status: 409, message: "The conversation is not in a state that allows this" },
  HANDOFF_FORBIDDEN: {
    status: 403,
    message: "Only the counsellor holding the conversation or a supervisor may do this",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorKey = keyof typeof errorCatalogue;
export type ErrorCode = `RAHNAMA_ERR_${ErrorKey}`;

export class RahnamaError extends Error {
  readonly key: ErrorKey;
  readonly code: ErrorCode;
  readonly status: number;
  /** Safe-to-log details: never message text or personal data. The pipeline adds `stage`. */
  readonly details: Record<string, unknown>;

  constructor(key: ErrorKey, message?: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    const entry = errorCatalogue[key];
    super(message ?? entry.message, { cause: options.cause });
    this.name = "RahnamaError";
    this.key = key;
    this.code = `RAHNAMA_ERR_${key}`;
    this.status = entry.status;
    this.details = { ...options.details };
  }

  is(key: ErrorKey): boolean {
    return this.code === `RAHNAMA_ERR_${key}`;
  }
}

export function isRahnamaError(error: unknown, key?: ErrorKey): error is RahnamaError {
  return error instanceof RahnamaError && (key === undefined || error.is(key));
}
