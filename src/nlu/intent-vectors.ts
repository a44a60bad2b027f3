import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { LanguageCode } from "../i18n/languages.js";
import { coversLanguage, type Embedder } from "../retrieval/embedder.js";
import type { ExampleVectors } from "./intent-classifier.js";

const cacheSchema = z.object({
  key: z.string(),
  embedderId: z.string(),
  examples: z.array(z.object({ intent: z.string(), text: z.string(), vector: z.array(z.number()) })),
});

export interface LabelledExample {
  readonly intent: string;
  readonly text: string;
  readonly lang: LanguageCode;
}

/**
 * Vectors of the intent examples in the languages the embedder covers, cached in the data folder under
 * a key of the embedder and the examples, so they are computed once per change, not at every start.
 */
export async function exampleVectors(
  examples: readonly LabelledExample[],
  embedder: Embedder,
  dataDir: string,
): Promise<ExampleVectors> {
  const covered = examples.filter((example) => coversLanguage(embedder, example.lang));
  const key = createHash("sha256")
    .update(embedder.id)
    .update(JSON.stringify(covered.map((example) => [example.intent, example.text])))
    .digest("hex");
  const file = path.join(dataDir, "intent-vectors.json");
  try {
    const cached = cacheSchema.parse(JSON.parse(await readFile(file, "utf8")));
    if (cached.key === key) return cached;
  } catch {
    // Missing or unreadable: compute below.
  }
  // Examples are short questions, so they are embedded as queries are (e5's "query: " prefix).
  const queryVectors = covered.length > 0 ? await embedder.embedQueries(covered.map((example) => example.text)) : [];
  const result = {
    key,
    embedderId: embedder.id,
    examples: covered.map((example, i) => ({
      intent: example.intent,
      text: example.text,
      vector: queryVectors[i] ?? [],
    })),
  };
  await mkdir(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, JSON.stringify(result));
  await rename(temporary, file);
  return result;
}
