import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { tinyModelId } from "../../scripts/generate-tiny-model.js";
import { KnowledgeBase } from "../../src/retrieval/knowledge-base.js";
import { importPdf } from "../../src/retrieval/pdf-import.js";
import { TransformersEmbedder } from "../../src/retrieval/transformers-embedder.js";
import type { Embedder } from "../../src/retrieval/embedder.js";
import { minimalPdf } from "../helpers/minimal-pdf.js";
import { sharedEmbedder, silentLog, testConfig } from "../helpers/rahnama.js";

const fixtures = fileURLToPath(new URL("../fixtures/models", import.meta.url));
const sample = ["bd-passport", "kafala-sponsorship-system", "heat-safety-gulf"];

/** A knowledge folder of three real leaflets and an empty data folder. */
async function workspace(): Promise<{ knowledge: string; data: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "rahnama-ingest-"));
  const knowledge = path.join(root, "knowledge");
  await mkdir(path.join(knowledge, "leaflets", "eng"), { recursive: true });
  for (const id of sample) {
    await cp(
      path.join(testConfig().paths.knowledge, "leaflets", "eng", `${id}.md`),
      path.join(knowledge, "leaflets", "eng", `${id}.md`),
    );
  }
  return { knowledge, data: path.join(root, "data") };
}

describe("incremental ingest", () => {
  // The tiny transformers model keeps these tests fast; the ingest logic does not depend on the model.
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await TransformersEmbedder.load({ modelsDir: fixtures, modelId: tinyModelId });
  });
  const open = (dirs: { knowledge: string; data: string }, model = embedder) =>
    KnowledgeBase.open({
      knowledgeDir: dirs.knowledge,
      dataDir: dirs.data,
      embedder: model,
      log: silentLog,
      reindex: "auto",
    });

  it("embeds everything once, then nothing until a leaflet changes, then only that leaflet", async () => {
    const dirs = await workspace();
    const first = await open(dirs);
    expect(first.ingest).toMatchObject({ mode: "full", reason: "missing", leaflets: 3 });
    const total = first.ingest.chunks;
    expect(first.ingest.embedded).toBe(total);
    first.close();

    const second = await open(dirs);
    expect(second.ingest).toMatchObject({ mode: "none", embedded: 0, chunks: total });
    second.close();

    const file = path.join(dirs.knowledge, "leaflets", "eng", "heat-safety-gulf.md");
    await writeFile(
      file,
      `${await readFile(file, "utf8")}\n## Drink water often\nIn the Gulf summer, drink water often and rest in the shade whenever you can, zymurgy.\n`,
    );
    const third = await open(dirs);
    const heatChunks = third.leaflet("heat-safety-gulf", ["eng"])?.sections.length ?? 0;
    expect(third.ingest).toMatchObject({
      mode: "incremental",
      changedLeaflets: 1,
      removedLeaflets: 0,
      embedded: heatChunks,
      chunks: total + 1,
    });
    const found = await third.search({ query: "zymurgy", lang: "eng", countries: [] });
    expect(found.hits[0]?.leafletId).toBe("heat-safety-gulf");
    third.close();
  });

  it("drops the passages of a deleted leaflet and keeps the others", async () => {
    const dirs = await workspace();
    const before = await open(dirs);
    const kafalaChunks = before.leaflet("kafala-sponsorship-system", ["eng"])?.sections.length ?? 0;
    const total = before.ingest.chunks;
    before.close();
    await rm(path.join(dirs.knowledge, "leaflets", "eng", "kafala-sponsorship-system.md"));
    const after = await open(dirs);
    expect(after.ingest).toMatchObject({
      mode: "incremental",
      removedLeaflets: 1,
      embedded: 0,
      chunks: total - kafalaChunks,
    });
    const search = await after.search({ query: "kafala sponsor kafeel", lang: "eng", countries: [], limit: 20 });
    expect(search.hits.map((hit) => hit.leafletId)).not.toContain("kafala-sponsorship-system");
    after.close();
  });

  it("re-indexes everything when the embedding model changes", async () => {
    const dirs = await workspace();
    (await open(dirs)).close();
    const other = await open(dirs, await sharedEmbedder());
    expect(other.ingest).toMatchObject({ mode: "full", reason: "embedder-changed" });
    other.close();
  });

  it("leaves the index as it was when a leaflet is broken", async () => {
    const dirs = await workspace();
    const before = await open(dirs);
    const total = before.ingest.chunks;
    before.close();
    await writeFile(path.join(dirs.knowledge, "leaflets", "eng", "broken.md"), "---\nid: broken\n---\ntext");
    await expect(open(dirs)).rejects.toMatchObject({ code: "RAHNAMA_ERR_KNOWLEDGE_INVALID" });
    await rm(path.join(dirs.knowledge, "leaflets", "eng", "broken.md"));
    const again = await open(dirs);
    expect(again.ingest).toMatchObject({ mode: "none", chunks: total });
    again.close();
  });
});

describe("PDF import", () => {
  const tips = [
    [
      "Safe migration tips from Bangladesh",
      "",
      "Never pay a recruiting agent in cash without a receipt. Keep every receipt in a safe place.",
      "Keep a copy of your passport and contract at home with your family.",
      "",
      "If you have a problem, talk to the Migrant Resource Centre before you pay anything.",
    ],
    ["Quetzalcoatl hotline drills happen every month at the centre."],
  ];

  it("writes a Markdown leaflet marked for review and indexes it", async () => {
    const dirs = await workspace();
    const embedder = await TransformersEmbedder.load({ modelsDir: fixtures, modelId: tinyModelId });
    const pdfFile = path.join(dirs.knowledge, "..", "safe-migration-tips.pdf");
    await writeFile(pdfFile, minimalPdf(tips, { title: "Safe migration tips", created: "2024-01-15" }));

    const imported = await importPdf(pdfFile, {
      lang: "ben",
      country: "BD",
      knowledgeDir: dirs.knowledge,
      topic: "recruitment-costs",
    });
    expect(path.relative(dirs.knowledge, imported.path)).toBe(
      path.join("leaflets", "ben", "pdf-safe-migration-tips.md"),
    );
    expect(imported.leaflet).toMatchObject({
      lang: "ben",
      reviewed: false,
      countries: ["BD"],
      topics: ["recruitment-costs"],
      title: "Safe migration tips",
    });
    expect(imported.leaflet.sources[0]).toMatchObject({ file: "safe-migration-tips.pdf", date: "2024-01-15" });
    const written = await readFile(imported.path, "utf8");
    expect(written).toContain("Never pay a recruiting agent in cash without a receipt.");

    const knowledge = await KnowledgeBase.open({
      knowledgeDir: dirs.knowledge,
      dataDir: dirs.data,
      embedder,
      log: silentLog,
      reindex: "auto",
    });
    const found = await knowledge.search({ query: "quetzalcoatl", lang: "ben", countries: ["BD"] });
    expect(found.hits[0]?.leafletId).toBe("pdf-safe-migration-tips");
    knowledge.close();
  });

  it("refuses a file that is not a PDF, or has no text, and writes nothing", async () => {
    const dirs = await workspace();
    const notPdf = path.join(dirs.knowledge, "..", "letter.pdf");
    await writeFile(notPdf, "this is not a pdf at all");
    await expect(importPdf(notPdf, { lang: "ben", country: "BD", knowledgeDir: dirs.knowledge })).rejects.toMatchObject(
      {
        code: "RAHNAMA_ERR_INPUT_INVALID",
        message: expect.stringContaining("not a readable PDF") as unknown,
      },
    );
    const empty = path.join(dirs.knowledge, "..", "scan.pdf");
    await writeFile(empty, minimalPdf([[""]]));
    await expect(importPdf(empty, { lang: "ben", country: "BD", knowledgeDir: dirs.knowledge })).rejects.toMatchObject({
      message: expect.stringContaining("no text to import") as unknown,
    });
    await expect(readFile(path.join(dirs.knowledge, "leaflets", "ben", "pdf-letter.md"))).rejects.toThrow();
  });
});
