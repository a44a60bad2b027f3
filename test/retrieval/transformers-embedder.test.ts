import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  tinyDimension,
  tinyEmbedding,
  tinyModelId,
  tinyVocabulary,
  writeTinyModel,
} from "../../scripts/generate-tiny-model.js";
import { loadConfig } from "../../src/config.js";
import { BatchingEmbedder } from "../../src/retrieval/batching-embedder.js";
import type { Embedder } from "../../src/retrieval/embedder.js";
import { selectEmbedder } from "../../src/retrieval/select-embedder.js";
import { TransformersEmbedder } from "../../src/retrieval/transformers-embedder.js";
import { silentLog } from "../helpers/rahnama.js";

const fixtures = fileURLToPath(new URL("../fixtures/models", import.meta.url));

/** What mean pooling + normalisation must give for these tokens, computed by hand from the fixture's weights. */
function expected(tokens: readonly string[]): number[] {
  const ids = ["[CLS]", ...tokens, "[SEP]"].map((token) =>
    tinyVocabulary.indexOf(token as (typeof tinyVocabulary)[number]),
  );
  expect(ids.every((id) => id >= 0)).toBe(true);
  const mean = Array.from(
    { length: tinyDimension },
    (_, d) => ids.reduce((sum, id) => sum + tinyEmbedding(id, d), 0) / ids.length,
  );
  const length = Math.hypot(...mean);
  return mean.map((value) => value / length);
}

function expectClose(actual: readonly number[] | undefined, wanted: readonly number[]) {
  expect(actual).toHaveLength(wanted.length);
  actual?.forEach((value, i) => expect(value).toBeCloseTo(wanted[i] ?? NaN, 5));
}

describe("transformers.js embedder on the tiny committed model", () => {
  it("the committed fixture is exactly what the generator writes", async () => {
    const dir = await writeTinyModel(await mkdtemp(path.join(os.tmpdir(), "tiny-model-")));
    for (const file of ["onnx/model_quantized.onnx", "tokenizer.json", "tokenizer_config.json", "config.json"]) {
      const fresh = await readFile(path.join(dir, file));
      const committed = await readFile(path.join(fixtures, tinyModelId, file));
      expect(committed.equals(fresh), file).toBe(true);
    }
  });

  it("tokenises, runs the ONNX model, mean-pools over the mask, normalises and adds the e5 prefixes", async () => {
    const embedder = await TransformersEmbedder.load({ modelsDir: fixtures, modelId: tinyModelId });
    expect(embedder.id).toBe("transformers:rahnama/tiny-bert");
    expect(embedder.dimension).toBe(tinyDimension);
    expect(embedder.languages).toBe("all");

    const [query] = await embedder.embedQueries(["Visa fee"]);
    expectClose(query, expected(["query", ":", "visa", "fee"]));
    const [passage] = await embedder.embedPassages(["Visa fee"]);
    expectClose(passage, expected(["passage", ":", "visa", "fee"]));
    expect(Math.hypot(...(query ?? []))).toBeCloseTo(1, 6);

    // Padding in a batch of unequal lengths must not change any vector.
    const batch = await embedder.embedQueries(["visa", "how much is the agent fee for my work permit"]);
    expectClose(batch[0], expected(["query", ":", "visa"]));
    expectClose(
      batch[1],
      expected(
        ["query", ":", "how", "much", "is", "the", "agent", "fee", "for", "my", "work", "permit"].map((t) =>
          tinyVocabulary.includes(t as never) ? t : "[UNK]",
        ),
      ),
    );
    await embedder.close();
  });

  it("never downloads: a model that is not on disk is a clear error", async () => {
    await expect(
      TransformersEmbedder.load({ modelsDir: fixtures, modelId: "Xenova/multilingual-e5-small" }),
    ).rejects.toMatchObject({
      code: "RAHNAMA_ERR_EMBEDDER_FAILED",
      message: expect.stringContaining("npm run models:fetch") as unknown,
    });
  });
});

describe("choosing the embedding model at start-up", () => {
  const settings = (env: Record<string, string>) =>
    loadConfig({ MODELS_DIR: fixtures, TRANSFORMERS_MODEL: tinyModelId, ...env });

  it("picks the transformers model when its files are present", async () => {
    const embedder = await selectEmbedder(settings({}), silentLog);
    expect(embedder.id).toBe("transformers:rahnama/tiny-bert");
    await embedder.close();
  });

  it("falls back to the bundled USE-lite model when they are not", async () => {
    const embedder = await selectEmbedder(settings({ TRANSFORMERS_MODEL: "Xenova/multilingual-e5-small" }), silentLog);
    expect(embedder.id).toBe("use-lite-en@0.2.0");
    await embedder.close();
  });

  it("refuses EMBEDDER=transformers without the model, naming what to do", async () => {
    await expect(
      selectEmbedder(
        settings({ EMBEDDER: "transformers", TRANSFORMERS_MODEL: "Xenova/multilingual-e5-small" }),
        silentLog,
      ),
    ).rejects.toMatchObject({
      code: "RAHNAMA_ERR_CONFIG_INVALID",
    });
  });
});

describe("micro-batching of concurrent queries", () => {
  it("embeds queries that arrive together in one model call, with the same vectors as one by one", async () => {
    const inner = await TransformersEmbedder.load({ modelsDir: fixtures, modelId: tinyModelId });
    const calls: number[] = [];
    const counting: Embedder = {
      id: inner.id,
      dimension: inner.dimension,
      languages: inner.languages,
      embedQueries: (texts) => {
        calls.push(texts.length);
        return inner.embedQueries(texts);
      },
      embedPassages: (texts) => inner.embedPassages(texts),
      close: () => inner.close(),
    };
    const batching = new BatchingEmbedder(counting, 5, 32);
    const texts = ["visa", "passport fee", "my salary", "send money home", "job contract", "work permit"];
    const together = await Promise.all(texts.map((text) => batching.embedQueries([text])));
    expect(calls).toEqual([texts.length]);
    const alone = await Promise.all(texts.map((text) => inner.embedQueries([text])));
    together.forEach((vectors, i) => expectClose(vectors[0], alone[i]?.[0] ?? []));
    await batching.close();
  });

  it("sends a full batch at once without waiting", async () => {
    const inner = await TransformersEmbedder.load({ modelsDir: fixtures, modelId: tinyModelId });
    const batching = new BatchingEmbedder(inner, 60_000, 4);
    const results = await Promise.all(["a", "visa", "fee", "job"].map((text) => batching.embedQueries([text])));
    expect(results).toHaveLength(4);
    expect(batching.batchSizes).toEqual([4]);
    await batching.close();
  });
});
