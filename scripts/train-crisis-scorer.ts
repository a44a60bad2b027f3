import { writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { crisisModelFileName } from "../src/nlu/crisis-model-file.js";
import { buildCrisisModelFile } from "./crisis-model-build.js";

/**
 * `npm run train:crisis`: retrains the learned crisis scorer from test/safety and the intents' examples and
 * writes intents/safety/crisis-model.json with its thresholds. Run it after changing the corpus, the team's
 * safety sets or the intents' examples; the CI test `test/nlu/crisis-model-file.test.ts` fails until the
 * committed model is the one these files give.
 */
const config = loadConfig({ ...process.env, LOG_LEVEL: "warn" });
const started = performance.now();
const model = await buildCrisisModelFile(config.paths.intents, new Date().toISOString().slice(0, 10));
const file = path.join(config.paths.intents, "safety", crisisModelFileName);
await writeFile(file, `${JSON.stringify(model, null, 1)}\n`);
console.log(`${file}: thresholds ${JSON.stringify(model.thresholds)}; trained on ${JSON.stringify(model.trainedOn)}`);
console.log(`held-out authors: ${JSON.stringify(model.calibration.heldOutAuthors)}`);
console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
