import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TextCatalogue } from "../../src/core/texts.js";
import { replyLanguages } from "../../src/i18n/languages.js";
import { loadIntentFiles } from "../../src/nlu/intent-files.js";
import { chat, testConfig, testRahnama } from "../helpers/rahnama.js";

describe("bot texts", () => {
  it("every text the bot can say exists in all nine languages", async () => {
    const files = await loadIntentFiles(testConfig().paths.intents);
    const texts = new TextCatalogue();
    texts.add("common", files.common);
    for (const intent of files.intents) texts.add(intent.id, intent.replies);
    expect(replyLanguages).toHaveLength(9);
    expect(texts.missingTranslations()).toEqual([]);
  });

  it("a text missing in the user's language is shown in English, marked as such, not left out", async () => {
    const intents = await mkdtemp(path.join(os.tmpdir(), "rahnama-intents-"));
    await cp(testConfig().paths.intents, intents, { recursive: true });
    const file = path.join(intents, "greeting", "intent.yaml");
    const yaml = await readFile(file, "utf8");
    const withoutUrdu = yaml.replace(/(\n {2}welcome:\n(?: {4}[a-z]{3}: .*\n)*?) {4}urd: .*\n/, "$1");
    expect(withoutUrdu).not.toEqual(yaml);
    await writeFile(file, withoutUrdu);

    const rahnama = await testRahnama({ env: { INTENTS_DIR: intents } });
    try {
      const [welcome, menu] = await chat(rahnama, "missing-urdu")("السلام علیکم");
      const english = rahnama.services.texts.get("greeting", "welcome", "eng").text;
      // The gap is visible: the English text says it is English and is laid out left to right...
      expect(welcome?.text).toBe(`[English] ${english}`);
      expect(welcome?.lang).toBe("eng");
      expect(welcome?.direction).toBe("ltr");
      expect(welcome?.meta.lang).toBe("urd");
      // ...and everything that does exist in Urdu still comes in Urdu, right to left.
      expect(menu?.lang).toBe("urd");
      expect(menu?.direction).toBe("rtl");
      expect(menu?.text).toContain(rahnama.services.texts.get("greeting", "menu_prompt", "urd").text);
    } finally {
      await rahnama.close();
    }
  });
});
