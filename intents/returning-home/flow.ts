import { flowAnswer, type Flow } from "../../src/core/flow.js";
import type { QuickReply } from "../../src/core/message.js";
import type { TurnContext } from "../../src/core/turn.js";
import { contactLines } from "../../src/directory/format-contacts.js";
import { countriesMentioned, countryName, isOriginCountry } from "../../src/i18n/countries.js";
import type { Topic } from "../../src/retrieval/leaflet.js";
import { searchAndQuote, showTopic } from "../fallback/handler.js";

const needs = ["work", "loans", "skills", "wellbeing", "documents"] as const;
type Need = (typeof needs)[number];

/** Where each need's answers live; returnee leaflets first. */
const topicsFor: Readonly<Record<Need, Topic[]>> = {
  work: ["reintegration-returnees"],
  loans: ["reintegration-returnees", "remittances"],
  skills: ["reintegration-returnees"],
  wellbeing: ["reintegration-returnees", "health"],
  documents: ["documents", "reintegration-returnees"],
};

/** English words for each need, searched together with the button's words in the user's language. */
const englishTerms: Readonly<Record<Need, string>> = {
  work: "job work employment after return",
  loans: "loan money business after return",
  skills: "skills training certificate recognition",
  wellbeing: "stress psychosocial support feelings",
  documents: "documents passport papers",
};

function needButtons(ctx: TurnContext): QuickReply[] {
  return [
    ...needs.map((need) => ctx.button("returning-home", `need_${need}`, `flow:need:${need}`)),
    ctx.button("returning-home", "need_done", "flow:need:done"),
  ];
}

function askCountry(ctx: TurnContext): void {
  const codes = [...new Set(ctx.services.directory.centres.map((centre) => centre.country))];
  ctx.say(ctx.text("find-mrc", "which_country"), {
    quickReplies: codes.map((code) => ({ title: countryName(code, ctx.lang), action: `flow:country:${code}` })),
  });
}

async function answerNeed(ctx: TurnContext, need: Need): Promise<void> {
  const words = ctx.text("returning-home", `need_${need}`).text;
  const query = ctx.lang === "eng" ? `${words} ${englishTerms[need]}` : words;
  const answered = await searchAndQuote(ctx, { query, topics: topicsFor[need], quiet: true });
  if (!answered) {
    ctx.say(ctx.text("returning-home", "nothing_found"));
    await showTopic(ctx, "reintegration-returnees");
  }
}

export const returningHome: Flow = {
  id: "returning-home",
  async start(ctx) {
    if (!ctx.conversation.country) {
      ctx.startFlow("returning-home", "country");
      askCountry(ctx);
      return;
    }
    ctx.startFlow("returning-home", "need");
    ctx.say(ctx.text("returning-home", "intro"), { quickReplies: needButtons(ctx) });
  },
  async resume(ctx, state) {
    const answer = flowAnswer(ctx);
    if (state.step === "country") {
      const country = answer?.startsWith("country:")
        ? answer.slice("country:".length)
        : countriesMentioned(ctx.inbound.text).find(isOriginCountry);
      if (country) ctx.conversation.country = country;
      ctx.setFlowStep("need");
      ctx.say(ctx.text("returning-home", "intro"), { quickReplies: needButtons(ctx) });
      return;
    }
    const chosen = answer?.startsWith("need:") ? answer.slice("need:".length) : null;
    if (!chosen) return "pass";
    if (chosen === "done" || !(needs as readonly string[]).includes(chosen)) {
      ctx.endFlow();
      const lines = contactLines(ctx.services.directory, ctx.conversation.country, { includeWebsites: true });
      ctx.say([ctx.text("returning-home", "done").text, ...lines].join("\n"), {
        quickReplies: [
          ctx.button("common", "btn_counsellor", "intent:counsellor"),
          ctx.button("common", "btn_menu", "intent:greeting"),
        ],
      });
      return;
    }
    await answerNeed(ctx, chosen as Need);
    ctx.say(ctx.text("returning-home", "more"), { quickReplies: needButtons(ctx) });
  },
};
