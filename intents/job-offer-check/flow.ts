import { yesNoButtons, readYesNo, type YesNo } from "../../src/core/flow-answers.js";
import type { Flow } from "../../src/core/flow.js";
import type { QuickReply } from "../../src/core/message.js";
import type { TurnContext } from "../../src/core/turn.js";
import { tellQueueStatus } from "../../src/handoff/queue-notice.js";

/**
 * Six questions on the red flags IOM and the ILO list for fraudulent offers and trafficking (see the
 * trafficking-warning-signs and gen-check-a-job-offer leaflets). `risky` is the answer that is a warning
 * sign; a "not sure" counts half, since an unknown is itself worth checking.
 */
const questions = [
  { step: "fees", risky: "yes", weight: 1 },
  { step: "passport", risky: "yes", weight: 2 },
  { step: "contract", risky: "no", weight: 1 },
  { step: "differs", risky: "yes", weight: 2 },
  { step: "licence", risky: "no", weight: 1 },
  { step: "pressure", risky: "yes", weight: 1 },
] as const;

/** Flags that alone make an offer high risk: a kept passport or a bait-and-switch job. */
const seriousFlags = new Set(["passport", "differs"]);

const leafletsByRisk = ["gen-check-a-job-offer", "gen-fake-job-offers-online", "trafficking-warning-signs"] as const;
const agencyLeafletByCountry: Readonly<Record<string, string>> = {
  BD: "bd-recruitment-process-and-agencies",
  PK: "pk-licensed-oeps",
  AF: "af-check-job-offer-abroad",
  UZ: "uz-licensed-agencies-and-job-offers",
  KG: "kg-agencies-and-middlemen",
};

function ask(ctx: TurnContext, index: number): void {
  const question = questions[index];
  if (!question) return;
  ctx.say(ctx.text("job-offer-check", `q_${question.step}`), { quickReplies: yesNoButtons(ctx) });
}

function assess(answers: Record<string, YesNo>): { level: "high" | "medium" | "low"; flags: string[] } {
  let score = 0;
  const flags: string[] = [];
  for (const question of questions) {
    const answer = answers[question.step];
    if (answer === question.risky) {
      score += question.weight;
      flags.push(question.step);
    } else if (answer === "unsure") {
      score += question.weight / 2;
      flags.push(question.step);
    }
  }
  const serious = flags.some((flag) => seriousFlags.has(flag) && answers[flag] === "yes");
  return { level: serious || score >= 3 ? "high" : score >= 1.5 ? "medium" : "low", flags };
}

async function finish(ctx: TurnContext, answers: Record<string, YesNo>): Promise<void> {
  const { level, flags } = assess(answers);
  ctx.endFlow(`${level}-risk`);
  const flagText = flags.map((flag) => ctx.text("job-offer-check", `flag_${flag}`).text).join("; ");
  ctx.say(ctx.text("job-offer-check", `result_${level}`, { flags: flagText }));
  if (level === "high") {
    const { created } = await ctx.services.handoff.request(ctx.conversation, "flow", "high", ctx.now);
    if (created) {
      ctx.services.metrics.handoffs.inc({ reason: "flow" });
      await tellQueueStatus(ctx, { emergencyContactsGiven: false });
    }
  }
  const { knowledge } = ctx.services;
  const country = ctx.conversation.country;
  const ids = [
    ...(country && agencyLeafletByCountry[country] ? [agencyLeafletByCountry[country]] : []),
    ...leafletsByRisk,
  ];
  const quickReplies: QuickReply[] = ids
    .map((id) => knowledge.leaflet(id, [ctx.lang, "eng"]))
    .flatMap((leaflet) => (leaflet ? [{ title: leaflet.shortTitle, action: `leaflet:${leaflet.id}` }] : []))
    .slice(0, 3);
  if (level !== "high") quickReplies.push(ctx.button("common", "btn_counsellor", "intent:counsellor"));
  ctx.say(ctx.text("job-offer-check", "leaflets_intro"), { quickReplies });
}

export const jobOfferCheck: Flow = {
  id: "job-offer-check",
  async start(ctx) {
    ctx.startFlow("job-offer-check", "q0");
    ctx.say(ctx.text("job-offer-check", "intro"));
    ask(ctx, 0);
  },
  async resume(ctx, state) {
    const index = Number(state.step.slice(1));
    const question = questions[index];
    const answer = readYesNo(ctx);
    if (!question) {
      ctx.endFlow();
      return;
    }
    if (!answer) {
      // Ask again once; then treat the message as a new question rather than loop on the buttons.
      if (state.retries >= 1) return "pass";
      ctx.conversation.flow = { ...state, retries: state.retries + 1 };
      ask(ctx, index);
      return;
    }
    const answers = { ...(state.data as Record<string, YesNo>), [question.step]: answer };
    if (index + 1 < questions.length) {
      ctx.setFlowStep(`q${index + 1}`, answers);
      ask(ctx, index + 1);
      return;
    }
    await finish(ctx, answers);
  },
};

export async function startJobOfferCheck(ctx: TurnContext): Promise<void> {
  await jobOfferCheck.start(ctx);
}
