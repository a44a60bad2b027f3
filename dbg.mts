import { loadConfig } from "./src/config.js";
import { createLogger } from "./src/log.js";
import { KnowledgeBase } from "./src/retrieval/knowledge-base.js";
import { selectEmbedder } from "./src/retrieval/select-embedder.js";
import { LexicalCoverage } from "./src/retrieval/lexical-coverage.js";
const config = loadConfig(); const log = createLogger({ level: "error", personalData: false });
const embedder = await selectEmbedder(config, log);
const kb = await KnowledgeBase.open({ knowledgeDir: config.paths.knowledge, dataDir: config.paths.data, embedder, log, reindex: "auto" });
const qs = ["how much is the patent in moscow", "minimum wage in qatar for housemaids", "can my employer keep my passport in saudi", "what is kafala", "how many days to register in russia", "agent wants 8 lakh for dubai is it legal", "heat stroke signs at work", "family reunification germany afghan"];
const index = (kb as any).index;
for (let r = 0; r < 3; r++) {
  const parts: Record<string, number> = { embed: 0, vec: 0, fts: 0, search: 0, answer: 0 };
  for (const q of qs) {
    let s = performance.now(); const [v] = await embedder.embedQueries([q + r]); parts.embed += performance.now() - s;
    s = performance.now(); await index.vectorSearch(v, { langs: ["eng"], countries: [], topics: [] }, 20); parts.vec += performance.now() - s;
    s = performance.now(); await index.textSearch(q, { langs: ["eng"], countries: [], topics: [] }, 20, "words"); parts.fts += performance.now() - s;
    s = performance.now(); await kb.search({ query: q + " " + r + "x", lang: "eng", countries: [], limit: 8 }); parts.search += performance.now() - s;
    s = performance.now(); await kb.answer({ query: q + " " + r + "y", lang: "eng", countries: [], kinds: [], places: [], cities: [], origin: null }); parts.answer += performance.now() - s;
  }
  console.log(Object.entries(parts).map(([k, v]) => `${k} ${(v / qs.length).toFixed(1)}`).join("  "));
}
const cov = (kb as any)["#coverage"];
const hits = (await kb.search({ query: "patent moscow price", lang: "eng", countries: [], limit: 20 })).hits;
const c: LexicalCoverage = new LexicalCoverage(kb.leaflets.flatMap(l => l.sections.map(s => ({ lang: l.lang, text: s.text }))));
let s0 = performance.now();
for (let i = 0; i < 10; i++) for (const h of hits) c.score("how much is the patent in moscow " + i, h.heading + " " + h.text, "eng");
console.log("coverage per 20 hits", ((performance.now() - s0) / 10).toFixed(2), "ms", hits.length);
kb.close(); await embedder.close(); process.exit(0);
