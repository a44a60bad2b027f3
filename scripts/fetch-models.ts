/**
 * `npm run models:fetch`: downloads the multilingual embedding model into MODELS_DIR, on a machine
 * with internet. The bot itself never downloads anything; copy the folder to offline servers.
 *
 *   npm run models:fetch                      # Xenova/multilingual-e5-small (quantized, ~120 MB)
 *   npm run models:fetch -- Xenova/other-model
 */
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { loadConfig } from "../src/config.js";
import { progressBar } from "../src/cli/progress-bar.js";
import { requiredModelFiles } from "../src/retrieval/transformers-embedder.js";

const hub = process.env.HF_ENDPOINT ?? "https://huggingface.co";

async function download(url: string, target: string): Promise<void> {
  const response = await fetch(url, { redirect: "follow" });
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length") ?? 0);
  const show = progressBar(path.basename(target));
  let done = 0;
  const counted = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
  counted.on("data", (chunk: Buffer) => {
    done += chunk.length;
    if (total > 0) show(done, total);
  });
  await mkdir(path.dirname(target), { recursive: true });
  // Written under a temporary name first: a half-downloaded model must never look complete.
  await pipeline(counted, createWriteStream(`${target}.part`));
  await rename(`${target}.part`, target);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const modelId = process.argv[2] ?? config.TRANSFORMERS_MODEL;
  const folder = path.join(config.paths.models, modelId);
  for (const file of requiredModelFiles) {
    const target = path.join(folder, file);
    const existing = await stat(target).catch(() => null);
    if (existing && existing.size > 0) {
      console.log(`have ${file}`);
      continue;
    }
    await download(`${hub}/${modelId}/resolve/main/${file}`, target);
  }
  console.log(`${modelId} is in ${folder}; start the bot (EMBEDDER=auto picks it up and re-indexes).`);
}

main().catch((error: unknown) => {
  console.error(`models:fetch failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
