import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { isRahnamaError, RahnamaError } from "../errors.js";
import { normaliseLanguage } from "../i18n/languages.js";
import { createLogger } from "../log.js";
import { KnowledgeBase } from "../retrieval/knowledge-base.js";
import { topics, type Topic } from "../retrieval/leaflet.js";
import { importPdf } from "../retrieval/pdf-import.js";
import { selectEmbedder } from "../retrieval/select-embedder.js";
import { progressBar } from "./progress-bar.js";

const usage = `Usage:
  npm run ingest                       validate every leaflet and bring the index up to date
                                       (only changed leaflets are embedded again)
  npm run ingest -- --full             re-embed everything
  npm run ingest -- leaflet.pdf --lang bn --country BD [--topic recruitment-costs] [--id my-id]
                   [--title "..."] [--source-url https://...]
                                       import a PDF leaflet as Markdown (reviewed: false) and index it

A running bot uses the new index after its next start.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      full: { type: "boolean" },
      lang: { type: "string" },
      country: { type: "string" },
      topic: { type: "string" },
      id: { type: "string" },
      title: { type: "string" },
      "source-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, personalData: false });

  for (const file of positionals) {
    const lang = normaliseLanguage(values.lang);
    const country = values.country?.toUpperCase();
    if (!lang || !country || !/^[A-Z]{2}$/.test(country)) {
      throw new RahnamaError(
        "INPUT_INVALID",
        `Importing ${file} needs --lang (e.g. bn or ben) and --country (e.g. BD)\n\n${usage}`,
      );
    }
    if (values.topic && !(topics as readonly string[]).includes(values.topic)) {
      throw new RahnamaError("INPUT_INVALID", `--topic must be one of: ${topics.join(", ")}`);
    }
    const imported = await importPdf(file, {
      lang,
      country,
      knowledgeDir: config.paths.knowledge,
      ...(values.id ? { id: values.id } : {}),
      ...(values.title ? { title: values.title } : {}),
      ...(values.topic ? { topic: values.topic as Topic } : {}),
      ...(values["source-url"] ? { sourceUrl: values["source-url"] } : {}),
    });
    console.log(
      `Wrote ${imported.path} (${imported.leaflet.sections.length} sections, reviewed: false). Check it, then set reviewed.`,
    );
  }

  const embedder = await selectEmbedder(config, log);
  const knowledge = await KnowledgeBase.open({
    knowledgeDir: config.paths.knowledge,
    dataDir: config.paths.data,
    embedder,
    log,
    reindex: values.full ? "always" : "auto",
    onProgress: progressBar("embedding"),
  });
  const report = knowledge.ingest;
  const seconds = (report.milliseconds / 1000).toFixed(1);
  console.log(
    report.mode === "none"
      ? `Index is up to date: ${report.leaflets} leaflets, ${report.chunks} passages (${embedder.id}).`
      : `${report.mode === "full" ? "Rebuilt" : "Updated"} the index in ${seconds} s: ${report.embedded} passages embedded ` +
          `(${report.changedLeaflets} leaflets changed, ${report.removedLeaflets} removed); ${report.leaflets} leaflets, ${report.chunks} passages, ${embedder.id}.`,
  );
  knowledge.close();
  await embedder.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Problems are for the person editing leaflets: print them plainly, one per line.
    console.error(isRahnamaError(error) ? `${error.code}\n${error.message}` : error);
    process.exit(1);
  },
);
