import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreadedEmbedder } from "../../src/retrieval/threaded-embedder.js";
import { sharedEmbedder } from "../helpers/rahnama.js";

const cosine = (a: readonly number[], b: readonly number[]) =>
  a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

describe("USE-lite in a worker thread", () => {
  let threaded: ThreadedEmbedder;
  beforeAll(async () => {
    threaded = await ThreadedEmbedder.start();
  }, 60_000);
  afterAll(async () => {
    await threaded.close();
  });

  it("gives the same vectors as the model on the main thread", async () => {
    const texts = ["how much can the agent charge for saudi arabia?", "my employer took my passport"];
    const [inWorker, inMain] = await Promise.all([
      threaded.embedQueries(texts),
      sharedEmbedder().then((model) => model.embedQueries(texts)),
    ]);
    expect(inWorker).toHaveLength(2);
    inWorker.forEach((vector, i) => {
      expect(vector).toHaveLength(512);
      expect(cosine(vector, inMain[i] ?? [])).toBeGreaterThan(0.9999);
    });
    // Different questions stay different: the worker does not answer one request with another's vectors.
    expect(cosine(inWorker[0] ?? [], inWorker[1] ?? [])).toBeLessThan(0.9);
  });

  it("keeps many requests in flight apart", async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `question number ${i} about ${i % 2 ? "visas" : "wages"}`);
    const one = await Promise.all(texts.map((text) => threaded.embedQueries([text])));
    const all = await threaded.embedPassages(texts);
    one.forEach(([vector], i) => expect(cosine(vector ?? [], all[i] ?? [])).toBeGreaterThan(0.9999));
  });

  it("gives its scratch memory back on request and keeps answering", async () => {
    await threaded.releaseMemory();
    const [vector] = await threaded.embedQueries(["still here after a collection"]);
    expect(vector).toHaveLength(512);
  });

  it("fails clearly, never hangs, once closed", async () => {
    const other = await ThreadedEmbedder.start();
    const pending = expect(other.embedQueries(["a question asked as the server stops"])).rejects.toMatchObject({
      code: "RAHNAMA_ERR_EMBEDDER_FAILED",
    });
    await other.close();
    await pending;
    await expect(other.embedQueries(["later"])).rejects.toMatchObject({ code: "RAHNAMA_ERR_EMBEDDER_FAILED" });
  }, 60_000);
});
