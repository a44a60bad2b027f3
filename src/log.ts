import pino, { type Logger } from "pino";

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
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          // Query strings can carry Direct Line tokens.
          url: req.url?.split("?")[0],
        }),
      },
    },
    options.destination,
  );
}
