import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { KnowledgeBase } from "../../src/retrieval/knowledge-base.js";
import { UseLiteEmbedder } from "../../src/retrieval/use-lite-embedder.js";
import { startThrowawayRedis, type ThrowawayRedis } from "./throwaway-redis.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A Redis for tests only: REDIS_URL if set, else one started on a free port. */
    redisUrl: string | null;
    /** A data folder whose knowledge index is already built from knowledge/, shared read-only. */
    indexedDataDir: string;
  }
}

let redis: ThrowawayRedis | null = null;
let dataDir = "";

export async function setup(project: TestProject): Promise<void> {
  const inCi = process.env.CI === "true";
  if (process.env.REDIS_URL) {
    project.provide("redisUrl", process.env.REDIS_URL);
  } else {
    try {
      redis = await startThrowawayRedis();
      project.provide("redisUrl", redis.url);
    } catch (error) {
      // Locally a missing redis-server only skips the Redis suites; in CI it must fail the run.
      if (inCi) throw new Error(`CI=true and no Redis for tests: ${String(error)}`, { cause: error });
      console.warn(`Redis tests will not run: ${String(error)}`);
      project.provide("redisUrl", null);
    }
  }

  // Building the index embeds every chunk (seconds per leaflet); do it once for all test files.
  dataDir = await mkdtemp(path.join(os.tmpdir(), "rahnama-test-index-"));
  // KNOWLEDGE_DIR lets an MRC (or a developer) run the suite against another knowledge folder.
  const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: process.env.KNOWLEDGE_DIR ?? "" });
  const embedder = await UseLiteEmbedder.load();
  const knowledge = await KnowledgeBase.open({
    knowledgeDir: config.paths.knowledge,
    dataDir: config.paths.data,
    embedder,
    log: createLogger({ level: "warn", personalData: false }),
    reindex: "auto",
  });
  knowledge.close();
  project.provide("indexedDataDir", dataDir);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
