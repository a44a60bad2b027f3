import { loadConfig } from "./config.js";
import { isRahnamaError } from "./errors.js";
import { createLogger, type Logger } from "./log.js";
import { runApp } from "./run.js";

/** sysexits.h: what a supervisor (systemd, Docker) can tell apart without reading the logs. */
const exitCodes: Partial<Record<string, number>> = {
  // EX_UNAVAILABLE: a service it needs (Redis) is not there; worth retrying later.
  RAHNAMA_ERR_STORE_UNAVAILABLE: 69,
  // EX_CONFIG: retrying cannot help until a setting is changed.
  RAHNAMA_ERR_CONFIG_INVALID: 78,
};

/**
 * A failed start that Rahnama understands is one line naming its code, no stack: the operator needs
 * what to fix, not where in the code it was noticed. Anything else keeps its stack in the log.
 */
function failedStart(log: Logger, error: unknown): number {
  if (!isRahnamaError(error)) {
    log.fatal({ err: error }, "start-up failed");
    return 1;
  }
  console.error(`${error.code}: ${error.message}`);
  return exitCodes[error.code] ?? 1;
}

/** Wiring only: read settings, start, stop cleanly on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    // The logger's level comes from the config, so a bad config is reported on stderr plainly.
    console.error(isRahnamaError(error) ? `${error.code}: ${error.message}` : error);
    process.exit(78);
  }
  const log = createLogger({ level: config.LOG_LEVEL, personalData: config.LOG_PERSONAL_DATA });
  if (config.LOG_PERSONAL_DATA) log.warn("LOG_PERSONAL_DATA is on: logs will contain what users write");

  let running;
  try {
    running = await runApp(config, log);
  } catch (error) {
    process.exit(failedStart(log, error));
  }
  running.ready.catch((error: unknown) => {
    if (isRahnamaError(error)) log.fatal({ code: error.code }, "start-up failed");
    const code = failedStart(log, error);
    void running.close().finally(() => process.exit(code));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    void running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

void main();
