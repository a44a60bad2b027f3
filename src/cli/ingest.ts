import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { isRahnamaError } from "../errors.js";
import { createLogger } from "../log.js";
import { KnowledgeBase } from "../retrieval/knowledge-base.js";
import { selectEmbedder } from "../retrieval/select-embedder.js";
import { progressBar } from "./progress-bar.js";

const usage = `Usage: npm run ingest [-- --if-stale]

Validates every leaflet under KNOWLEDGE_DIR and rebuilds the knowledge index in DATA_DIR.
  --if-stale   only rebuild when leaflets or the embedding model changed (what start-up does)
A running bot picks up the new index at its next start.`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { "if-stale": { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, personalData: false });
  const embedder = await selectEmbedder(config, log);
  const knowledge = await KnowledgeBase.open({
    knowledgeDir: config.paths.knowledge,
    dataDir: config.paths.data,
    embedder,
    log,
    reindex: values["if-stale"] ? "auto" : "always",
    onProgress: progressBar("embedding"),
  });
  const report = knowledge.ingest;
  console.log(
    report.rebuilt
      ? `Indexed ${report.leaflets} leaflets as ${report.chunks} passages in ${(report.milliseconds / 1000).toFixed(1)} s (${embedder.id}).`
      : `Index is up to date: ${report.leaflets} leaflets, ${report.chunks} passages.`,
  );
  knowledge.close();
  await embedder.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Validation problems are for the person editing leaflets: print them plainly, one per line.
    console.error(isRahnamaError(error) ? `${error.code}\n${error.message}` : error);
    process.exit(1);
  },
);
