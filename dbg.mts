import { loadConfig } from "./src/config.js";
import { createLogger } from "./src/log.js";
import { KnowledgeBase } from "./src/retrieval/knowledge-base.js";
import { selectEmbedder } from "./src/retrieval/select-embedder.js";
import { countriesMentioned, placeMentions, originFromLanguage } from "./src/i18n/countries.js";
import { questionKinds } from "./src/nlu/question-kind.js";
const config = loadConfig(); const log = createLogger({ level: "error", personalData: false });
const embedder = await selectEmbedder(config, log);
const kb = await KnowledgeBase.open({ knowledgeDir: config.paths.knowledge, dataDir: config.paths.data, embedder, log, reindex: "auto" });
const lang = process.argv[2] as any;
for (const q of process.argv.slice(3)) {
  const origin = originFromLanguage(lang);
  const named = countriesMentioned(q);
  const countries = named.length ? [...new Set([...named, ...(origin?[origin]:[])])] : [];
  const own = await kb.search({ query: q, lang, countries, limit: 6, crossLanguage: false });
  const a = await kb.answer({ query: q, lang, countries, kinds: questionKinds(q), places: named.filter(c=>c!==origin), cities: placeMentions(q).flatMap(m => m.city && m.code!==origin ? [{code:m.code, city:m.city}] : []), origin });
  console.log("\n", lang, q.slice(0,90), "| places", named, "kinds", questionKinds(q), "glossary:", kb.glossary.toEnglish(q, lang));
  console.log("  own", own.confident, own.hits.map(h => `${h.leafletId}`).join(" | "));
  for (const r of (a?.ranked ?? []).slice(0,4)) console.log("   ", r.score.toFixed(2), r.leaflet.id, "#"+r.index, kb.leaflet(r.leaflet.id,["eng"])?.sections[r.index]?.heading, JSON.stringify(r.parts));
}
kb.close(); await embedder.close(); process.exit(0);
