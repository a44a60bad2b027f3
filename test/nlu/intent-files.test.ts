import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MrcDirectory } from "../../src/directory/mrc-directory.js";
import { isRahnamaError } from "../../src/errors.js";
import { loadIntentFiles } from "../../src/nlu/intent-files.js";
import { testConfig } from "../helpers/rahnama.js";

async function copyOf(folder: "intents" | "knowledge"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `rahnama-${folder}-`));
  const config = testConfig();
  await cp(folder === "intents" ? config.paths.intents : config.paths.knowledge, dir, { recursive: true });
  return dir;
}

async function rejection(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (error) {
    if (isRahnamaError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a validation error");
}

describe("data files an MRC edits are validated at start-up", () => {
  it("an intent reply without its English fallback is named by file, line and field", async () => {
    const dir = await copyOf("intents");
    await writeFile(
      path.join(dir, "thanks-bye", "intent.yaml"),
      [
        "id: thanks-bye",
        "description: Thanks",
        "examples:",
        "  eng: [thanks]",
        "replies:",
        "  default:",
        '    urd: "شکریہ"',
        "",
      ].join("\n"),
    );
    const message = await rejection(() => loadIntentFiles(dir));
    expect(message).toContain("RAHNAMA_ERR_INTENTS_INVALID");
    expect(message).toContain("thanks-bye/intent.yaml:7: replies.default: needs an English (eng) text");
  });

  it("an intent in the wrong folder, an unknown language and an unknown field are all reported together", async () => {
    const dir = await copyOf("intents");
    await writeFile(path.join(dir, "greeting", "intent.yaml"), "id: hello\ndescription: Says hello\n");
    await writeFile(
      path.join(dir, "thanks-bye", "intent.yaml"),
      "id: thanks-bye\ndescription: Thanks\nexamples:\n  xyz: [thanks]\ncolour: blue\n",
    );
    const message = await rejection(() => loadIntentFiles(dir));
    expect(message).toContain("greeting/intent.yaml:1: id: must equal the folder name (greeting)");
    expect(message).toMatch(/thanks-bye\/intent\.yaml:\d+: examples/);
    expect(message).toMatch(/thanks-bye\/intent\.yaml:\d+: .*colour/);
  });

  it("an MRC contact without a source is refused", async () => {
    const dir = await copyOf("knowledge");
    const file = path.join(dir, "directory", "mrcs.yaml");
    await writeFile(
      file,
      "reviewed: 2026-11-28\ncentres:\n  - id: x\n    country: BD\n    city: Dhaka\n    name: Some centre\n    contacts:\n      - kind: hotline\n        value: '123'\n    sources: []\n",
    );
    const message = await rejection(() => MrcDirectory.load(dir));
    expect(message).toContain("directory/mrcs.yaml:10: centres.0.sources: every centre's details need a source");
  });
});
