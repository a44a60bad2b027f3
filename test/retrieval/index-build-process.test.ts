import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { projectRoot } from "../../src/paths.js";
import type { Embedder } from "../../src/retrieval/embedder.js";
import { KnowledgeBase } from "../../src/retrieval/knowledge-base.js";
import { sharedEmbedder } from "../helpers/rahnama.js";

const log = createLogger({ level: "silent", personalData: false });

async function fixtureKnowledge(): Promise<string> {
  const knowledge = await mkdtemp(path.join(os.tmpdir(), "rahnama-child-build-"));
  for (const file of ["glossary.yaml", "check.yaml", "specific-subjects.yaml"]) {
    await cp(path.join(projectRoot, "knowledge", file), path.join(knowledge, file));
  }
  await mkdir(path.join(knowledge, "leaflets", "eng"), { recursive: true });
  await writeFile(
    path.join(knowledge, "leaflets", "eng", "fixture-registration.md"),
    [
      "---",
      "id: fixture-registration",
      "title: How many days do I have to register in Fixtureland?",
      "language: eng",
      "countries: [RU]",
      "topics: [documents]",
      "sources:",
      '  - title: "Test fixture"',
      "    url: https://example.org/fixture",
      "    date: 2026-01-01",
      "reviewed: 2026-12-01",
      "---",
      "",
      "## Register within 7 days",
      "In this fixture, a migrant registers the address within 7 working days of arrival.",
      "",
    ].join("\n"),
  );
  return knowledge;
}

/** The shared test embedder, counting the passages this process embeds. */
async function countingEmbedder(): Promise<{ embedder: Embedder; passages: () => number }> {
  const inner = await sharedEmbedder();
  let passages = 0;
  const embedder: Embedder = {
    id: inner.id,
    dimension: inner.dimension,
    languages: inner.languages,
    embedQueries: (texts) => inner.embedQueries(texts),
    embedPassages: (texts) => {
      passages += texts.length;
      return inner.embedPassages(texts);
    },
    // Shared with the other tests: not closed here.
    close: () => Promise.resolve(),
  };
  return { embedder, passages: () => passages };
}

const useLite = {
  EMBEDDER: "use-lite" as const,
  TRANSFORMERS_MODEL: "Xenova/multilingual-e5-small",
  EMBED_BATCH_WAIT_MS: 0,
  EMBED_BATCH_MAX: 8,
  paths: { models: path.join(os.tmpdir(), "rahnama-no-models") },
};

describe("building the index in a child process", () => {
  it("builds a missing index in a child, answers from it, and opens it as fresh next time", async () => {
    const knowledgeDir = await fixtureKnowledge();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "rahnama-child-data-"));
    const { embedder, passages } = await countingEmbedder();
    const open = () =>
      KnowledgeBase.open({
        knowledgeDir,
        dataDir,
        embedder,
        log,
        reindex: "auto",
        buildInChildProcess: { embedder: useLite, logLevel: "silent" },
      });
    const first = await open();
    expect(first.ingest).toMatchObject({ mode: "full", chunks: 1, embedded: 1 });
    // The child embedded the passage, not this process.
    expect(passages()).toBe(0);
    const outcome = await first.search({ query: "how many days to register", lang: "eng", countries: [] });
    expect(outcome.hits[0]?.text).toContain("7 working days");
    first.close();
    const second = await open();
    expect(second.ingest.mode).toBe("none");
    second.close();
  }, 120_000);

  it("builds the index itself when the child cannot (here: a model that is not there)", async () => {
    const knowledgeDir = await fixtureKnowledge();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "rahnama-child-data-"));
    const { embedder, passages } = await countingEmbedder();
    const base = await KnowledgeBase.open({
      knowledgeDir,
      dataDir,
      embedder,
      log,
      reindex: "auto",
      buildInChildProcess: { embedder: { ...useLite, EMBEDDER: "transformers" }, logLevel: "silent" },
    });
    expect(base.ingest).toMatchObject({ mode: "full", chunks: 1 });
    expect(passages()).toBe(1);
    base.close();
  }, 120_000);
});
