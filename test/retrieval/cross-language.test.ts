import { cp, mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Glossary } from "../../src/retrieval/glossary.js";
import { KnowledgeBase } from "../../src/retrieval/knowledge-base.js";
import { LexicalCoverage } from "../../src/retrieval/lexical-coverage.js";
import { sharedEmbedder, silentLog, testConfig } from "../helpers/rahnama.js";

describe("glossary", () => {
  it("recognises migrants' words in every script, inflected, and gives the English terms", async () => {
    const glossary = await Glossary.load(testConfig().paths.knowledge);
    expect(glossary.toEnglish("মালিক আমার পাসপোর্ট দিচ্ছে না", "ben")).toContain("passport");
    expect(glossary.toEnglish("ویزا کے لیے کتنا خرچہ ہوگا", "urd")).toMatch(/visa.*cost|cost.*visa/);
    expect(glossary.toEnglish("сколько стоит патента в москве", "rus")).toContain("patent");
    expect(glossary.toEnglish("mujhe naukri chahiye saudi mein", "urd")).toContain("job");
    expect(glossary.toEnglish("hello how are you", "urd")).toBeNull();
  });

  it("reads Iraqi typing: the hamza's seat dropped, returnees and foreigners in dialect", async () => {
    const glossary = await Glossary.load(testConfig().paths.knowledge);
    expect(glossary.toEnglish("شكد بالمية من الوظايف", "ara")).toContain("job");
    expect(glossary.toEnglish("كم واحد من الراجعين ساعدوا", "ara")).toContain("return");
    expect(glossary.toEnglish("نسبة للعمال الاجانب", "ara")).toContain("migrant");
  });

  it("counts a question's word as covered by a section that says the same in other words", async () => {
    const glossary = await Glossary.load(testConfig().paths.knowledge);
    const named = glossary.wordsNaming("медосмотр дар Душанбе мешавад?", "tgk");
    expect([...named.keys()]).toContain("medical test health");
    expect(glossary.termsIn("Муоинаи тиббиро дар Душанбе гузаронед", "tgk").has("medical test health")).toBe(true);
  });
});

describe("lexical coverage", () => {
  const coverage = new LexicalCoverage([
    { lang: "rus", text: "Патент нужен для работы в России. Стоимость патента зависит от региона." },
    { lang: "rus", text: "Регистрация по месту пребывания в России нужна в течение 7 дней." },
    { lang: "ara", text: "يجب أن يذكر العقد الراتب والسكن وتذكرة العودة." },
  ]);
  it("counts the question's words found in the passage, inflected forms included", () => {
    const passage = "Стоимость патента зависит от региона.";
    expect(coverage.score("стоимости патентов", passage, "rus")).toBe(1);
    const partial = coverage.score("сколько стоит патент в москве", passage, "rus");
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(1);
    expect(coverage.score("рецепт плова с бараниной", passage, "rus")).toBe(0);
  });

  it("sees through Arabic prefixes: 'with the contract' meets 'the contract'", () => {
    expect(coverage.score("بالعقد والراتب", "يجب أن يذكر العقد الراتب والسكن وتذكرة العودة.", "ara")).toBe(1);
  });

  it("can judge a question only by the words a language's leaflets know", () => {
    const passage = "Патент нужен для работы в России.";
    expect(coverage.score("патент kya hai bhai", passage, "rus", true)).toBe(1);
    expect(coverage.score("патент kya hai bhai", passage, "rus")).toBeLessThan(0.5);
  });
});

describe("cross-language fallback", () => {
  async function englishOnlyKnowledge(): Promise<KnowledgeBase> {
    const root = await mkdtemp(path.join(os.tmpdir(), "rahnama-cross-"));
    const knowledge = path.join(root, "knowledge");
    await mkdir(path.join(knowledge, "leaflets", "eng"), { recursive: true });
    for (const id of ["bd-passport", "heat-safety-gulf", "kafala-sponsorship-system"]) {
      await cp(
        path.join(testConfig().paths.knowledge, "leaflets", "eng", `${id}.md`),
        path.join(knowledge, "leaflets", "eng", `${id}.md`),
      );
    }
    await cp(path.join(testConfig().paths.knowledge, "glossary.yaml"), path.join(knowledge, "glossary.yaml"));
    return KnowledgeBase.open({
      knowledgeDir: knowledge,
      dataDir: path.join(root, "data"),
      embedder: await sharedEmbedder(),
      log: silentLog,
      reindex: "auto",
    });
  }

  it("answers from the English leaflet when nothing in the user's language is good enough, and says so", async () => {
    const knowledge = await englishOnlyKnowledge();
    const answer = await knowledge.search({
      query: "میرا پاسپورٹ کیسے بنے گا؟ کون سے کاغذات چاہئیں",
      lang: "urd",
      countries: ["BD"],
    });
    expect(answer.crossLanguage).toBe(true);
    expect(answer.confident).toBe(true);
    expect(answer.hits[0]?.leafletId).toBe("bd-passport");
    expect(answer.hits[0]?.lang).toBe("eng");
    knowledge.close();
  });

  it("does not fall back when the question has nothing the glossary knows", async () => {
    const knowledge = await englishOnlyKnowledge();
    const answer = await knowledge.search({ query: "آج موسم کیسا ہے", lang: "urd", countries: [] });
    expect(answer.crossLanguage).toBe(false);
    expect(answer.confident).toBe(false);
    knowledge.close();
  });
});
