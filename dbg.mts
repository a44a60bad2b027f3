import { loadConfig } from "./src/config.js";
import { createLogger } from "./src/log.js";
import { KnowledgeBase } from "./src/retrieval/knowledge-base.js";
import { selectEmbedder } from "./src/retrieval/select-embedder.js";
import { countriesMentioned, placeMentions, originFromLanguage } from "./src/i18n/countries.js";
import { questionKinds } from "./src/nlu/question-kind.js";
const config = loadConfig(); const log = createLogger({ level: "error", personalData: false });
const embedder = await selectEmbedder(config, log);
const kb = await KnowledgeBase.open({ knowledgeDir: config.paths.knowledge, dataDir: config.paths.data, embedder, log, reindex: "auto" });
const qs: [string, any][] = [
 ["Rostovda kuryer bo'lib ishlash taqiqi qachongacha amal qiladi?", "uzb"],
 ["Koreyada zavod oylikni bermayapti. o'zbek tilida yordam beradigan chet ellik ishchilar markazi raqami qanday?", "uzb"],
 ["جو لوگ خود بخود او پی ایف میں رجسٹر نہیں ہوئے، وہ ایک دفعہ کتنے روپے دے کر ممبر بن سکتے ہیں؟", "urd"],
 ["باقليم كوردستان كم عامل اجنبي (عاملة منزلية) يگدر الشخص يكفل؟", "ara"],
 ["موږ له پاکستانه د تورخم له لارې راستنېږو. هلته هرې کورنۍ ته څومره افغانۍ ورکول کېږي؟", "pus"],
 ["skolko dney mozhno ne delat registraciyu v rossii esli ya grazhdanin kirgizii?", "rus"],
];
for (const [q, lang] of qs) {
  const origin = originFromLanguage(lang);
  const own = await kb.search({ query: q, lang, countries: countriesMentioned(q), limit: 5, crossLanguage: false });
  const a = await kb.answer({ query: q, lang, countries: [...new Set([...countriesMentioned(q), ...(origin?[origin]:[])])], kinds: questionKinds(q), places: countriesMentioned(q).filter(c=>c!==origin), cities: placeMentions(q).flatMap(m => m.city && m.code!==origin ? [{code:m.code, city:m.city}] : []), origin });
  console.log("\n", lang, q.slice(0,80), "| places", JSON.stringify(placeMentions(q)), "kinds", questionKinds(q));
  console.log("  own confident", own.confident, own.hits.slice(0,3).map(h => `${h.leafletId} cov=${(h as any).coverage?.toFixed?.(2)} s=${(h as any).score?.toFixed?.(3)}`).join(" | "));
  console.log("  answer", a?.confident, a?.leaflet.id, a?.heading, JSON.stringify(a?.ranked[0]?.parts));
}
kb.close(); await embedder.close(); process.exit(0);
