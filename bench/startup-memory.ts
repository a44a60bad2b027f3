import { execFileSync } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRahnama } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { projectRoot } from "../src/paths.js";
import { MemoryStore } from "../src/store/memory-store.js";

/**
 * Memory after start, and index build time, with today's leaflets (every leaflet in nine languages) next
 * to the leaflets of a baseline commit (BENCH_BASELINE_COMMIT, default the last commit before issue 11's
 * translations), each started in a fresh process so one does not inherit the other's heap.
 *   npx tsx bench/startup-memory.ts
 */
const baselineCommit = process.env.BENCH_BASELINE_COMMIT ?? "38391ef";

async function child(knowledgeDir: string, existingDataDir?: string): Promise<void> {
  const dataDir = existingDataDir ?? (await mkdtemp(path.join(os.tmpdir(), "rahnama-memory-data-")));
  const config = loadConfig({ ...process.env, KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: dataDir, LOG_LEVEL: "error" });
  const started = performance.now();
  const rahnama = await createRahnama(config, createLogger({ level: "error", personalData: false }), {
    store: new MemoryStore(),
  });
  const startMs = performance.now() - started;
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  const { leaflets } = rahnama.services.knowledge;
  console.log(
    JSON.stringify({
      leaflets: leaflets.length,
      rssMb: rss / 2 ** 20,
      heapMb: heapUsed / 2 ** 20,
      startMs,
      indexMs: rahnama.services.knowledge.ingest.milliseconds,
    }),
  );
  await rahnama.close();
  if (!existingDataDir) await rm(dataDir, { recursive: true, force: true });
}

function measure(
  knowledgeDir: string,
  dataDir?: string,
): {
  leaflets: number;
  rssMb: number;
  heapMb: number;
  startMs: number;
  indexMs: number;
} {
  const output = execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      path.join(projectRoot, "bench", "startup-memory.ts"),
      "--child",
      knowledgeDir,
      ...(dataDir ? [dataDir] : []),
    ],
    { cwd: projectRoot, env: { ...process.env, LANCEDB_LOG: "error" }, encoding: "utf8" },
  );
  const last = output.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(last) as { leaflets: number; rssMb: number; heapMb: number; startMs: number; indexMs: number };
}

if (process.argv[2] === "--child") {
  await child(process.argv[3] ?? path.join(projectRoot, "knowledge"), process.argv[4]);
  process.exit(0);
}

const baselineDir = await mkdtemp(path.join(os.tmpdir(), "rahnama-baseline-knowledge-"));
// Today's directory and data files with the baseline's leaflets: what differs is the leaflets (translations).
await cp(path.join(projectRoot, "knowledge"), path.join(baselineDir, "knowledge"), { recursive: true });
await rm(path.join(baselineDir, "knowledge", "leaflets"), { recursive: true });
execFileSync("sh", ["-c", `git archive ${baselineCommit} knowledge/leaflets | tar -x -C "${baselineDir}"`], {
  cwd: projectRoot,
});
const baseline = measure(path.join(baselineDir, "knowledge"));
const today = measure(path.join(projectRoot, "knowledge"));
// A restart: the index is on disk already (built by the first start), as after any restart that does
// not change the leaflets. Building holds the index writer's memory that a restart never allocates.
const restartDirs = [
  await mkdtemp(path.join(os.tmpdir(), "rahnama-memory-restart-")),
  await mkdtemp(path.join(os.tmpdir(), "rahnama-memory-restart-")),
];
measure(path.join(baselineDir, "knowledge"), restartDirs[0]);
const baselineRestart = measure(path.join(baselineDir, "knowledge"), restartDirs[0]);
measure(path.join(projectRoot, "knowledge"), restartDirs[1]);
const todayRestart = measure(path.join(projectRoot, "knowledge"), restartDirs[1]);
for (const dir of restartDirs) await rm(dir, { recursive: true, force: true });
console.log(`\nStart-up with the knowledge of ${baselineCommit} vs today (fresh process each, index built at start)\n`);
for (const [name, row] of [
  [baselineCommit, baseline],
  ["today", today],
] as const) {
  console.log(
    `${name.padEnd(10)} ${String(row.leaflets).padStart(4)} leaflets  RSS ${row.rssMb.toFixed(0)} MB  heap ${row.heapMb.toFixed(0)} MB  index built in ${(row.indexMs / 1000).toFixed(1)} s`,
  );
}
for (const [name, row] of [
  [`${baselineCommit}, restart`, baselineRestart],
  ["today, restart", todayRestart],
] as const) {
  console.log(
    `${name.padEnd(18)} RSS ${row.rssMb.toFixed(0)} MB  heap ${row.heapMb.toFixed(0)} MB (index already built)`,
  );
}
console.log(`\nRSS after start, today / ${baselineCommit} = ${(today.rssMb / baseline.rssMb).toFixed(2)}×`);
console.log(
  `RSS after a restart (index on disk), today / ${baselineCommit} = ${(todayRestart.rssMb / baselineRestart.rssMb).toFixed(2)}×\n`,
);
console.log(
  JSON.stringify({
    baselineCommit,
    baseline,
    today,
    rssRatio: today.rssMb / baseline.rssMb,
    baselineRestart,
    todayRestart,
    restartRssRatio: todayRestart.rssMb / baselineRestart.rssMb,
  }),
);
await rm(baselineDir, { recursive: true, force: true });
