import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { RahnamaError } from "./errors.js";
import { isLanguageCode, type LanguageCode } from "./i18n/languages.js";
import { projectRoot } from "./paths.js";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
    error: "must be true or false",
  })
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const directory = z.string().min(1, "must not be empty");

const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+/, "must be an http:// or https:// URL")
  .transform((url) => url.replace(/\/+$/, ""));

/** The names proxy-addr (fastify's trustProxy) knows for whole private ranges. */
const proxyRangeNames = ["loopback", "linklocal", "uniquelocal"];

/** `10.0.0.5`, `10.0.0.0/8`, `fd00::/8` or a range name; what fastify's `trustProxy` takes as a list. */
function isProxyAddress(entry: string): boolean {
  if (proxyRangeNames.includes(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * Whose X-Forwarded-For / -Proto / -Host to believe: the proxies named, else nobody. "Everyone" (true) is
 * refused, because then any client sets its own address and so escapes the login lockout and the web
 * chat rate limit. So is a hop count: fastify 5.12 ignores it, since counting hops cannot tell the proxy
 * from a client that connects directly and writes the hops itself.
 */
const trustProxyFromEnv = z.string().transform((value, context): false | string[] => {
  if (["false", "0", "no", "off"].includes(value)) return false;
  const toAddresses =
    "give the address of your proxy instead, or several separated by commas, e.g. 10.0.0.5 or 10.0.0.0/8";
  if (["true", "yes", "on", "*"].includes(value)) {
    context.addIssue({
      code: "custom",
      message: `would believe the X-Forwarded-For of any client, which then picks its own address; ${toAddresses}`,
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) {
    context.addIssue({ code: "custom", message: `must be proxy addresses, not a number of hops; ${toAddresses}` });
    return z.NEVER;
  }
  const entries = value.split(",").map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isProxyAddress(entry)) {
      context.addIssue({
        code: "custom",
        message: `${JSON.stringify(entry)} is not an IP address, an address/prefix (CIDR) or one of ${proxyRangeNames.join(", ")}`,
      });
      return z.NEVER;
    }
  }
  return entries;
});

/**
 * Every setting, read from the environment. `.env.example` documents each variable; keep the two in
 * step (a test checks it).
 */
const configSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: directory.default("./data"),
  KNOWLEDGE_DIR: directory.default("./knowledge"),
  INTENTS_DIR: directory.default("./intents"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default("rahnama:"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_PERSONAL_DATA: booleanFromEnv.default(false),
  DEFAULT_LANGUAGE: z
    .string()
    .refine(isLanguageCode, "must be one of eng, ben, urd, fas, pus, ara, rus, tgk, uzb, kaz, kir, tuk")
    .default("eng"),
  DATA_RETENTION_DAYS: integer(1, 3650).default(90),
  TURN_TIMEOUT_MS: integer(100, 120_000).default(15_000),
  MAX_MESSAGE_CHARS: integer(100, 20_000).default(2_000),
  EMBEDDER: z.enum(["auto", "use-lite", "transformers"]).default("auto"),
  MODELS_DIR: directory.default("./models"),
  TRANSFORMERS_MODEL: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, "must look like owner/name, e.g. Xenova/multilingual-e5-small")
    .default("Xenova/multilingual-e5-small"),
  EMBED_BATCH_WAIT_MS: integer(0, 100).default(5),
  // With USE-lite in a worker thread, batches of 8 served 16 concurrent searches at 106-116/s against 68-99/s
  // for batches of 16-32 (scratch runs on the 2-core machine, 2026-12-07): a long batch waits for its longest text.
  EMBED_BATCH_MAX: integer(1, 256).default(8),
  REINDEX_ON_START: z.enum(["auto", "always", "never"]).default("auto"),
  // "child": a missing or stale index is built in a child process, whose memory goes when it exits;
  // "inline": in the bot's own process (its resident memory then keeps the build's ~270 MB).
  INDEX_BUILD: z.enum(["child", "inline"]).default("child"),
  DIRECTLINE_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  DIRECTLINE_TOKEN_TTL_SECONDS: integer(60, 86_400).default(3_600),
  RATE_LIMIT_PER_MINUTE: integer(1, 100_000).default(120),
  // New web chat conversations one client address may start per clock hour. 60 lets a pre-departure
  // orientation of 40 people on an MRC's one Wi-Fi address all open the chat, some twice (a reload of the
  // official page starts a new one), while one address can no longer open thousands.
  WEBCHAT_NEW_CONVERSATIONS_PER_HOUR: integer(1, 1_000_000).default(60),
  CORS_ORIGINS: z.string().default("*"),
  TRUST_PROXY: trustProxyFromEnv.default(false),
  USER_ID_SALT: z.string().min(16, "must be at least 16 characters").optional(),
  ADMIN_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
  METRICS_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),

  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, "must look like 123456:ABC… (the token BotFather gives)")
    .optional(),
  TELEGRAM_API_ROOT: httpUrl.default("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_URL: httpUrl.optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 letters, digits, _ or -")
    .optional(),

  WHATSAPP_CLOUD_TOKEN: z.string().min(20).optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, "must be the numeric phone number id")
    .optional(),
  WHATSAPP_CLOUD_APP_SECRET: z.string().min(16).optional(),
  WHATSAPP_CLOUD_VERIFY_TOKEN: z.string().min(8).optional(),
  WHATSAPP_CLOUD_API_ROOT: httpUrl.default("https://graph.facebook.com/v21.0"),
  WHATSAPP_CLOUD_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, "must be an approved template name (lower case, digits, _)")
    .optional(),

  WHATSAPP_WEB_ENABLED: booleanFromEnv.default(false),
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),

  MICROSOFT_APP_ID: z.string().min(1).optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
  // Without credentials /api/messages checks no token, so it is served only when asked for, and then
  // replies go to this one connector (the Emulator's), never to a serviceUrl a request names.
  BOTFRAMEWORK_EMULATOR_URL: httpUrl
    .refine((url) => URL.canParse(url) && !/[?#]/.test(url), "must be the Emulator's base URL, without ? or #")
    .optional(),
});

export type RawConfig = z.output<typeof configSchema>;

export interface Config extends Omit<RawConfig, "DEFAULT_LANGUAGE"> {
  DEFAULT_LANGUAGE: LanguageCode;
  /** Absolute forms of the directory settings, resolved against the working directory. */
  readonly paths: { data: string; knowledge: string; intents: string; models: string };
  readonly corsOrigins: "*" | string[];
}

/**
 * Reads and validates the environment. Empty strings count as unset, so `VAR=` in a .env file
 * means "use the default".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") input[key] = value.trim();
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `${name}: ${issue.message} (got ${JSON.stringify(input[name] ?? null)})`;
    });
    throw new RahnamaError("CONFIG_INVALID", `Invalid configuration:\n  ${problems.join("\n  ")}`, {
      details: { variables: parsed.error.issues.map((issue) => issue.path.join(".")) },
    });
  }
  const raw = parsed.data;
  const pairs: [keyof RawConfig, keyof RawConfig][] = [["TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET"]];
  // A managed identity (UserAssignedMSI) has an app id and no password; the other kinds need both.
  if (raw.MICROSOFT_APP_TYPE !== "UserAssignedMSI") pairs.push(["MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD"]);
  for (const [a, b] of pairs) {
    if ((raw[a] === undefined) !== (raw[b] === undefined)) {
      throw new RahnamaError("CONFIG_INVALID", `Invalid configuration:\n  ${a} and ${b} must be set together`, {
        details: { variables: [a, b] },
      });
    }
  }
  if (raw.BOTFRAMEWORK_EMULATOR_URL !== undefined && raw.MICROSOFT_APP_ID !== undefined) {
    throw new RahnamaError(
      "CONFIG_INVALID",
      "Invalid configuration:\n  BOTFRAMEWORK_EMULATOR_URL is for a local Emulator without credentials; unset it or MICROSOFT_APP_ID",
      { details: { variables: ["BOTFRAMEWORK_EMULATOR_URL", "MICROSOFT_APP_ID"] } },
    );
  }
  const whatsappCloud = [
    "WHATSAPP_CLOUD_TOKEN",
    "WHATSAPP_CLOUD_PHONE_NUMBER_ID",
    "WHATSAPP_CLOUD_APP_SECRET",
    "WHATSAPP_CLOUD_VERIFY_TOKEN",
  ] as const;
  const setCloud = whatsappCloud.filter((name) => raw[name] !== undefined);
  if (setCloud.length > 0 && setCloud.length < whatsappCloud.length) {
    const missing = whatsappCloud.filter((name) => raw[name] === undefined);
    throw new RahnamaError(
      "CONFIG_INVALID",
      `Invalid configuration:\n  the WhatsApp Cloud API needs all four settings; missing ${missing.join(", ")}`,
      { details: { variables: missing } },
    );
  }
  const resolve = (dir: string) => path.resolve(process.cwd(), dir);
  return {
    ...raw,
    DEFAULT_LANGUAGE: raw.DEFAULT_LANGUAGE,
    paths: {
      data: resolve(raw.DATA_DIR),
      knowledge: resolveAgainstProject(raw.KNOWLEDGE_DIR),
      intents: resolveAgainstProject(raw.INTENTS_DIR),
      models: resolveAgainstProject(raw.MODELS_DIR),
    },
    corsOrigins:
      raw.CORS_ORIGINS === "*"
        ? "*"
        : raw.CORS_ORIGINS.split(",")
            .map((origin) => origin.trim())
            .filter(Boolean),
  };
}

/** The shipped knowledge and intents sit next to the code, wherever the process was started from. */
function resolveAgainstProject(dir: string): string {
  return path.isAbsolute(dir) ? dir : path.resolve(projectRoot, dir);
}

export const configVariableNames: readonly string[] = Object.keys(configSchema.shape);
