import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isRahnamaError } from "../../src/errors.js";
import { loadLeaflets, parseLeaflet } from "../../src/retrieval/leaflet.js";
import { testConfig } from "../helpers/rahnama.js";

const good = `---
id: sample-leaflet
title: A sample leaflet about costs
language: eng
countries: [BD]
topics: [recruitment-costs]
sources:
  - title: MRC Bangladesh FAQ
    url: https://www.mrc-bangladesh.org/en/faq
    date: null
reviewed: 2026-11-28
---

## First part
Some words about costs that are long enough to be a passage.
`;

async function knowledgeWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rahnama-leaflets-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function problemsOf(files: Record<string, string>): Promise<string> {
  try {
    await loadLeaflets(await knowledgeWith(files));
  } catch (error) {
    if (isRahnamaError(error, "KNOWLEDGE_INVALID")) return error.message;
    throw error;
  }
  throw new Error("expected the leaflets to be rejected");
}

describe("leaflet validation", () => {
  it("accepts a well-formed leaflet and splits it at ## headings", () => {
    const { leaflet, problems } = parseLeaflet(good, "leaflets/eng/sample-leaflet.md");
    expect(problems).toEqual([]);
    expect(leaflet?.sections).toEqual([
      { heading: "First part", text: "Some words about costs that are long enough to be a passage." },
    ]);
    expect(leaflet?.reviewed).toBe("2026-11-28");
  });

  it("names file, line and field of a bad value", async () => {
    const bad = good.replace("countries: [BD]", "countries: [Bangladesh]");
    const message = await problemsOf({ "leaflets/eng/sample-leaflet.md": bad });
    expect(message).toMatch(/leaflets\/eng\/sample-leaflet\.md:5: countries\.0: /);
  });

  it("names a missing required field", async () => {
    const bad = good.replace(/sources:[\s\S]*?reviewed/, "reviewed");
    const message = await problemsOf({ "leaflets/eng/sample-leaflet.md": bad });
    expect(message).toContain("sample-leaflet.md");
    expect(message).toMatch(/sources: /);
  });

  it("rejects an unknown topic, a bad source url and a made-up review date", async () => {
    const bad = good
      .replace("topics: [recruitment-costs]", "topics: [fees]")
      .replace("https://www.mrc-bangladesh.org/en/faq", "mrc-bangladesh dot org")
      .replace("reviewed: 2026-11-28", "reviewed: last week");
    const message = await problemsOf({ "leaflets/eng/sample-leaflet.md": bad });
    expect(message).toMatch(/:6: topics\.0:/);
    expect(message).toMatch(/:9: sources\.0\.url:/);
    expect(message).toMatch(/:11: reviewed:/);
  });

  it("rejects a leaflet whose id, folder or front matter do not match", async () => {
    const message = await problemsOf({
      "leaflets/ben/sample-leaflet.md": good,
      "leaflets/eng/other-name.md": good,
      "leaflets/eng/no-front-matter.md": "# Just text\n\nNo front matter here.",
    });
    expect(message).toContain("leaflets/ben/sample-leaflet.md:2: language: must equal the folder's language (ben)");
    expect(message).toContain("leaflets/eng/other-name.md:2: id: must equal the file name (other-name)");
    expect(message).toContain("leaflets/eng/no-front-matter.md:1: must start with front matter");
  });

  it("reports broken YAML with its line", async () => {
    const bad = good.replace("title: A sample leaflet about costs", "title: [unclosed");
    const message = await problemsOf({ "leaflets/eng/sample-leaflet.md": bad });
    expect(message).toMatch(/sample-leaflet\.md:\d+: not valid YAML/);
  });

  it("loads every shipped leaflet without a problem", async () => {
    const leaflets = await loadLeaflets(testConfig().paths.knowledge);
    expect(leaflets.filter((leaflet) => leaflet.lang === "eng").length).toBeGreaterThanOrEqual(15);
    for (const leaflet of leaflets) {
      expect(leaflet.sources.length).toBeGreaterThan(0);
      if (leaflet.translatedFrom) expect(leaflet.reviewed).toBe(false);
    }
  });
});
