import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { RahnamaError } from "../errors.js";
import { createLogger, type Logger } from "../log.js";
import { ensureIndex, type IngestOptions, type IngestReport } from "./ingest.js";
import { KnowledgeIndex } from "./knowledge-index.js";
import { loadLeaflets } from "./leaflet.js";
import { selectEmbedder } from "./select-embedder.js";

/**
 * Builds the knowledge index in a child process. Building (embedding every English passage, writing
 * the tables and their word indexes) takes memory that the native allocator keeps once it is freed:
 * built inside the bot, the index's build would stay in the bot's resident memory for as long as it
 * runs (about 270 MB more than a restart with the index on disk, measured by bench/startup-memory.ts).
 * The child builds it and exits; the bot then opens what it wrote.
 */

const requestSchema = z.object({
  knowledgeDir: z.string().min(1),
  dataDir: z.string().min(1),
  reindex: z.enum(["auto", "always", "never"]),
  logLevel: z.string().min(1),
  embedder: z.object({
    EMBEDDER: z.enum(["auto", "transformers", "use-lite"]),
    TRANSFORMERS_MODEL: z.string(),
    EMBED_BATCH_WAIT_MS: z.number(),
    EMBED_BATCH_MAX: z.number(),
    paths: z.object({ models: z.string() }),
  }),
});
export type IndexBuildRequest = z.infer<typeof requestSchema>;

const reportSchema = z.object({
  report: z.custom<IngestReport>((value) => typeof value === "object" && value !== null),
});

/** Runs the build in a child process and returns its report; throws when the child fails. */
export async function buildIndexInChildProcess(request: IndexBuildRequest, log: Logger): Promise<IngestReport> {
  const here = import.meta.url;
  // Under tsx or vitest this module is TypeScript: the child needs tsx to run it; the built bot runs JS.
  const typescript = here.endsWith(".ts");
  const entry = fileURLToPath(here);
  const child = fork(entry, ["--build-index"], {
    execArgv: typescript ? ["--import", "tsx"] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // Only what the build needs (the embedder settings passed may be the whole configuration).
    env: { ...process.env, RAHNAMA_INDEX_BUILD: JSON.stringify(requestSchema.parse(request)) },
  });
  log.info({ pid: child.pid }, "building the knowledge index in a child process");
  // A bot stopped mid-build (docker stop on a first start) must not leave the build running on its own;
  // the index's meta file is written last, so the next start sees the build unfinished and redoes it.
  const stopBuild = () => child.kill("SIGKILL");
  process.once("exit", stopBuild);
  child.once("exit", () => process.off("exit", stopBuild));
  return new Promise<IngestReport>((resolve, reject) => {
    let report: IngestReport | null = null;
    child.on("message", (message) => {
      const parsed = reportSchema.safeParse(message);
      if (parsed.success) report = parsed.data.report;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0 && report) resolve(report);
      else
        reject(
          new RahnamaError(
            "INDEX_FAILED",
            `Building the knowledge index failed in its child process (exit ${code ?? signal ?? "unknown"}); see the log above`,
          ),
        );
    });
  });
}

async function runBuild(): Promise<void> {
  const request = requestSchema.parse(JSON.parse(process.env.RAHNAMA_INDEX_BUILD ?? "{}"));
  const log = createLogger({ level: request.logLevel, personalData: false });
  const embedder = await selectEmbedder(request.embedder, log);
  const index = await KnowledgeIndex.open(request.dataDir);
  try {
    const leaflets = await loadLeaflets(request.knowledgeDir);
    const options: IngestOptions = { mode: request.reindex, log };
    const report = await ensureIndex(index, leaflets, embedder, options);
    await new Promise<void>((resolve) => process.send?.({ report }, () => resolve()));
  } finally {
    index.close();
    await embedder.close?.();
  }
}

if (process.argv.includes("--build-index") && process.send) {
  // The bot that asked for the build died without stopping it (kill -9): nobody will open what is
  // built, and an orphan would keep the embedder's memory. Noticed between embedding batches.
  process.on("disconnect", () => process.exit(1));
  runBuild().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
