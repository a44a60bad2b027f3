import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.js";

const publicDir = path.join(projectRoot, "src", "console", "public");
const placeholders = (text: string) => [...text.matchAll(/\{[a-z_]+\}/g)].map((m) => m[0]).sort();

async function load(file: string): Promise<{ meta: Record<string, unknown>; texts: Record<string, string> }> {
  const parsed = JSON.parse(await readFile(path.join(publicDir, "i18n", file), "utf8")) as Record<string, unknown>;
  const { _meta: meta, ...texts } = parsed;
  return { meta: meta as Record<string, unknown>, texts: texts as Record<string, string> };
}

describe("the console's interface texts", () => {
  it("has every English text in every language, with the same placeholders, machine-made ones marked unreviewed", async () => {
    const english = await load("eng.json");
    const files = (await readdir(path.join(publicDir, "i18n"))).filter((file) => file !== "eng.json");
    expect(files.map((file) => file.slice(0, 3)).sort()).toEqual([
      "ara",
      "ben",
      "fas",
      "pus",
      "rus",
      "tgk",
      "urd",
      "uzb",
    ]);
    for (const file of files) {
      const { meta, texts } = await load(file);
      expect(Object.keys(texts), file).toEqual(Object.keys(english.texts));
      for (const [key, text] of Object.entries(english.texts)) {
        expect(placeholders(texts[key] ?? ""), `${file} ${key}`).toEqual(placeholders(text));
        expect((texts[key] ?? "").trim(), `${file} ${key}`).not.toBe("");
      }
      expect(meta, file).toMatchObject({ reviewed: false, translated_from: "eng" });
      expect(["ltr", "rtl"]).toContain(meta.dir);
    }
  });

  it("has a text for every key the page uses", async () => {
    const english = (await load("eng.json")).texts;
    const sources = await Promise.all(
      (await readdir(publicDir))
        .filter((file) => /\.(js|html)$/.test(file))
        .map((file) => readFile(path.join(publicDir, file), "utf8")),
    );
    const used = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(/data-(?:text|placeholder)="([a-z_]+)"/g)) used.add(match[1] ?? "");
      for (const match of source.matchAll(/\bt\("([a-z_-]+)"/g)) used.add(match[1] ?? "");
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((key) => !(key in english))).toEqual([]);
  });
});
