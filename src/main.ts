import { loadConfig } from "./config.js";
import { isRahnamaError } from "./errors.js";
import { createLogger } from "./log.js";
import { runApp } from "./run.js";

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

  const running = await runApp(config, log);
  running.ready.catch((error: unknown) => {
    log.fatal({ err: error, code: isRahnamaError(error) ? error.code : undefined }, "start-up failed");
    if (isRahnamaError(error)) console.error(`${error.code}: ${error.message}`);
    void running.close().finally(() => process.exit(1));
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
