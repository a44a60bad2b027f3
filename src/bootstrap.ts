import { intentFlows, intentHandlers, topicHandler } from "../intents/index.js";
import type { Config } from "./config.js";
import { Bot } from "./core/bot.js";
import { ConversationRepository } from "./core/conversation.js";
import { TextCatalogue } from "./core/texts.js";
import { TranscriptRepository } from "./core/transcript.js";
import type { BotServices, IntentHandler, RegisteredIntent } from "./core/turn.js";
import { MrcDirectory } from "./directory/mrc-directory.js";
import { RahnamaError } from "./errors.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { CounsellorDesk } from "./handoff/counsellor-desk.js";
import { Desks, loadDesks } from "./handoff/desks.js";
import { Handoff } from "./handoff/handoff.js";
import { UserIdHasher } from "../channels/shared/user-ids.js";
import { conversationLogFields, type Logger } from "./log.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { HybridIntentClassifier, LexicalIntentClassifier } from "./nlu/intent-classifier.js";
import { exampleVectors, type LabelledExample } from "./nlu/intent-vectors.js";
import { normaliseForMatching } from "./nlu/normalise-text.js";
import { FeeRules } from "./directory/fee-rules.js";
import { RuleFacts } from "./directory/rule-facts.js";
import { Erasure } from "./core/erasure.js";
import type { LanguageCode } from "./i18n/languages.js";
import { loadIntentFiles, type IntentDefinition } from "./nlu/intent-files.js";
import { readCrisisModel } from "./nlu/crisis-model-file.js";
import { SafetyDetector } from "./nlu/safety-detector.js";
import type { Embedder } from "./retrieval/embedder.js";
import type { IngestOptions } from "./retrieval/ingest.js";
import { KnowledgeBase } from "./retrieval/knowledge-base.js";
import { KnowledgeGaps } from "./retrieval/knowledge-gaps.js";
import { selectEmbedder } from "./retrieval/select-embedder.js";
import { InstanceLiveness } from "./store/instance-liveness.js";
import { MemoryStore } from "./store/memory-store.js";
import { RedisStore } from "./store/redis-store.js";
import type { Store } from "./store/store.js";

/** Intents the classifier never picks: safety runs from its own stage, fallback when nothing matches. */
const unclassifiedIntents = new Set(["safety", "fallback"]);

export interface Rahnama {
  readonly bot: Bot;
  readonly services: BotServices;
  close(): Promise<void>;
}

export interface BootstrapOverrides {
  readonly store?: Store;
  readonly embedder?: Embedder;
  readonly metrics?: Metrics;
  readonly onIndexProgress?: IngestOptions["onProgress"];
  /** Counselling desks instead of knowledge/directory/counselling-desks.yaml (tests of opening hours). */
  readonly desks?: Desks;
  /** This process's liveness in the store, already started (run.ts shares one with the web chat). */
  readonly instance?: InstanceLiveness;
  /** The keyed hash the channels use (run.ts makes one for both); else read from USER_ID_SALT or DATA_DIR. */
  readonly userIds?: UserIdHasher;
}

export async function openStore(config: Config, log: Logger): Promise<Store> {
  if (!config.REDIS_URL) {
    log.info("state store: in memory (set REDIS_URL to keep conversations across restarts)");
    return new MemoryStore();
  }
  const store = await RedisStore.connect(config.REDIS_URL, config.REDIS_KEY_PREFIX, log);
  log.info({ prefix: config.REDIS_KEY_PREFIX }, "state store: redis");
  return store;
}

/** Loads data, models and state, and wires the bot. Everything is validated here, before serving. */
export async function createRahnama(config: Config, log: Logger, overrides: BootstrapOverrides = {}): Promise<Rahnama> {
  const intentFiles = await loadIntentFiles(config.paths.intents);
  const intents = registerIntents(intentFiles.intents, intentHandlers, topicHandler);
  const texts = new TextCatalogue();
  texts.add("common", intentFiles.common);
  for (const intent of intentFiles.intents) texts.add(intent.id, intent.replies);
  const missing = texts.missingTranslations();
  if (missing.length > 0) log.warn({ missing }, "some bot texts fall back to another language");

  const directory = await MrcDirectory.load(config.paths.knowledge);
  const desksFile = path.join(config.paths.knowledge, "directory", "counselling-desks.yaml");
  // A knowledge folder of an MRC's own may not have one yet: counsellors are then taken to be always on.
  const desks = overrides.desks ?? (existsSync(desksFile) ? await loadDesks(desksFile) : Desks.alwaysOpen());
  if (!overrides.desks && !existsSync(desksFile))
    log.warn({ file: desksFile }, "no counselling desks file; counsellors are taken to be always at work");
  const embedder = overrides.embedder ?? (await selectEmbedder(config, log));
  const knowledge = await KnowledgeBase.open({
    knowledgeDir: config.paths.knowledge,
    dataDir: config.paths.data,
    embedder,
    log,
    reindex: config.REINDEX_ON_START,
    ...(overrides.onIndexProgress ? { onProgress: overrides.onIndexProgress } : {}),
    // A child process can load the same model only when it was chosen by these settings.
    ...(config.INDEX_BUILD === "child" && !overrides.embedder
      ? { buildInChildProcess: { embedder: config, logLevel: config.LOG_LEVEL } }
      : {}),
  });
  const store = overrides.store ?? (await openStore(config, log));
  const ttlSeconds = config.DATA_RETENTION_DAYS * 86_400;

  const examples = trainingExamples(intentFiles.intents);
  const vectors = await exampleVectors(examples, embedder, config.paths.data);
  // Building the index and the examples' vectors is the embedder's busiest hour: give its scratch memory back.
  await embedder.releaseMemory?.();

  const userIds = overrides.userIds ?? (await UserIdHasher.fromConfig(config.USER_ID_SALT, config.paths.data));
  const logConversation = conversationLogFields(userIds, config.LOG_PERSONAL_DATA);
  const conversations = new ConversationRepository(store, ttlSeconds, (key, error) =>
    log.error(
      // Not the error itself: JSON.parse quotes the record it could not read, which holds what was written.
      { ...logConversation(key), problem: corruptionOf(error), code: "RAHNAMA_ERR_STORE_CONFLICT" },
      "corrupt conversation record replaced",
    ),
  );
  const handoff = new Handoff(store, ttlSeconds);
  const instance = overrides.instance ?? new InstanceLiveness(store, log);
  if (!overrides.instance) await instance.start();
  const erasure = new Erasure(store);
  erasure.registerPart((key, conversation) => handoff.forget(key, conversation));
  const metrics = overrides.metrics ?? createMetrics();
  const services: BotServices = {
    config,
    log,
    logConversation,
    userIds,
    metrics,
    store,
    instance,
    conversations,
    transcripts: new TranscriptRepository(store, ttlSeconds),
    handoff,
    desk: new CounsellorDesk(conversations, handoff, desks, (seconds, desk) =>
      metrics.handoffWaitSeconds.observe({ desk }, seconds),
    ),
    desks,
    texts,
    knowledge,
    directory,
    classifier: new HybridIntentClassifier(new LexicalIntentClassifier(examples), vectors),
    safety: SafetyDetector.fromIntents(intentFiles.intents, await readCrisisModel(config.paths.intents)),
    intents,
    flows: new Map(intentFlows.map((flow) => [flow.id, flow])),
    cancelWords: new Set(
      Object.values(intentFiles.cancelWords).flatMap((words) => (words ?? []).map(normaliseForMatching)),
    ),
    fees: await FeeRules.load(config.paths.knowledge),
    ruleFacts: await RuleFacts.load(config.paths.knowledge),
    erasure,
    gaps: new KnowledgeGaps(store, ttlSeconds),
  };
  return {
    bot: new Bot(services),
    services,
    async close() {
      if (!overrides.instance) await instance.stop();
      knowledge.close();
      await embedder.close();
      await store.close();
    },
  };
}

/** The examples the classifier learns from (safety and fallback are never picked by it). */
export function trainingExamples(definitions: readonly IntentDefinition[]): LabelledExample[] {
  return definitions
    .filter((intent) => !unclassifiedIntents.has(intent.id))
    .flatMap((intent) =>
      (Object.entries(intent.examples) as [LanguageCode, readonly string[]][]).flatMap(([lang, list]) =>
        list.map((text) => ({ intent: intent.id, text, lang })),
      ),
    );
}

function registerIntents(
  definitions: readonly IntentDefinition[],
  handlers: Readonly<Record<string, IntentHandler>>,
  topicHandler: IntentHandler,
): Map<string, RegisteredIntent> {
  const registered = new Map<string, RegisteredIntent>();
  const problems: string[] = [];
  for (const definition of definitions) {
    const handler = handlers[definition.id] ?? (definition.topic ? topicHandler : undefined);
    if (!handler) problems.push(`${definition.file}: no handler for intent "${definition.id}" in intents/index.ts`);
    else registered.set(definition.id, { definition, handler });
  }
  for (const id of Object.keys(handlers)) {
    if (!definitions.some((definition) => definition.id === id))
      problems.push(`intents/index.ts: handler "${id}" has no intents/${id}/intent.yaml`);
  }
  for (const required of ["greeting", "fallback", "safety", "counsellor", "change-language"]) {
    if (!registered.has(required) && !problems.some((p) => p.includes(`"${required}"`)))
      problems.push(`intent "${required}" is required`);
  }
  if (problems.length > 0)
    throw new RahnamaError("INTENTS_INVALID", `Intent wiring is incomplete:\n  ${problems.join("\n  ")}`);
  return registered;
}

/** What is wrong with a stored record, without quoting it: the paths of the invalid fields, or "not JSON". */
function corruptionOf(error: unknown): string {
  if (error instanceof SyntaxError) return "not JSON";
  if (error instanceof Error && "issues" in error && Array.isArray(error.issues)) {
    return `invalid: ${(error.issues as { path?: unknown[] }[]).map((issue) => (issue.path ?? []).join(".")).join(", ")}`;
  }
  return error instanceof Error ? error.name : "unknown";
}
