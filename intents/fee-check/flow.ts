import { flowAnswer, type Flow } from "../../src/core/flow.js";
import type { QuickReply } from "../../src/core/message.js";
import type { TurnContext } from "../../src/core/turn.js";
import type { FeeRule } from "../../src/directory/fee-rules.js";
import { countriesMentioned, countryName, isOriginCountry } from "../../src/i18n/countries.js";
import { formatAmount, parseAmount } from "../../src/nlu/amounts.js";
import { factQuestion } from "../../src/nlu/fact-questions.js";
import { normaliseForMatching } from "../../src/nlu/normalise-text.js";
import { searchAndQuote } from "../fallback/handler.js";

// "I don't know", "jani na", "pata nahi", "намедонам" … at the amount step (folded words).
const notKnowing = [
  "dont know",
  "do not know",
  "not sure",
  "no idea",
  "jani na",
  "janina",
  "pata nahi",
  "pata nahin",
  "maloom nahi",
  "জানি না",
  "پتہ نہیں",
  "معلوم نہیں",
  "نمیدانم",
  "نمی دانم",
  "نه پوهیږم",
  "لا اعرف",
  "ما اعرف",
  "не знаю",
  "намедонам",
  "bilmayman",
].map(normaliseForMatching);

function doesNotKnow(text: string): boolean {
  const folded = ` ${normaliseForMatching(text)} `;
  return notKnowing.some((phrase) => folded.includes(` ${phrase} `));
}

const origins = ["BD", "PK", "AF", "IQ", "TJ", "UZ"] as const;
const destinations = ["SA", "AE", "QA", "KW", "OM", "BH", "MY", "SG", "JO", "RU"] as const;
/** When the person writes a bare number, it is in their own country's money. */
const homeCurrency: Readonly<Record<string, string>> = {
  BD: "BDT",
  PK: "PKR",
  AF: "AFN",
  IQ: "IQD",
  TJ: "TJS",
  UZ: "UZS",
};

function countryButtons(ctx: TurnContext, codes: readonly string[]): QuickReply[] {
  return [
    ...codes.map((code) => ({ title: countryName(code, ctx.lang), action: `flow:country:${code}` })),
    { title: ctx.text("fee-check", "other_country").text, action: "flow:country:other" },
  ];
}

/** The country from a tapped button or named in the text; "other" when the person says so. */
function readCountry(ctx: TurnContext, wanted: (code: string) => boolean): string | null {
  const tapped = flowAnswer(ctx);
  if (tapped?.startsWith("country:")) return tapped.slice("country:".length);
  return countriesMentioned(ctx.inbound.text).find(wanted) ?? null;
}

function sourceOf(rule: FeeRule): { source: string; date: string } {
  const first = rule.sources[0];
  return { source: first?.title.split(":")[0]?.trim() ?? "", date: first?.date ?? "undated" };
}

function describe(ctx: TurnContext, rule: FeeRule, amount: { value: number; currency: string }, route: string): string {
  const who = rule.applies_to ? ctx.text("fee-check", `who_${rule.applies_to}`).text : "";
  const vars = { ...sourceOf(rule), route, who, set: rule.set, maximum: formatAmount(rule.maximum, rule.currency) };
  if (rule.kind === "service-charge") {
    const charge = ctx.text("fee-check", "service_charge", vars).text;
    // "And if I found the job myself?" is the usual next question: its lower maximum is said at once.
    if (rule.self_found_maximum === undefined) return charge;
    const selfFound = formatAmount(rule.self_found_maximum, rule.currency);
    return `${charge} ${ctx.text("fee-check", "service_charge_self_found", { self_found: selfFound }).text}`;
  }
  if (amount.currency === "none") return ctx.text("fee-check", "maximum_only", vars).text;
  if (amount.currency !== rule.currency) return ctx.text("fee-check", "other_currency", vars).text;
  const key = amount.value > rule.maximum ? "over" : "within";
  return ctx.text("fee-check", key, { ...vars, amount: formatAmount(amount.value, amount.currency) }).text;
}

async function conclude(
  ctx: TurnContext,
  origin: string,
  destination: string | null,
  amount: { value: number; currency: string },
): Promise<void> {
  const route = `${countryName(origin, ctx.lang)} → ${destination ? countryName(destination, ctx.lang) : ctx.text("fee-check", "other_country").text}`;
  const rules = ctx.services.fees.forRoute(origin, destination);
  const judged = rules.some((rule) => rule.kind !== "service-charge" && rule.currency === amount.currency);
  const over = rules.some(
    (rule) => rule.kind !== "service-charge" && rule.currency === amount.currency && amount.value > rule.maximum,
  );
  ctx.endFlow(rules.length === 0 ? "no-maximum-known" : !judged ? "maximum-shown" : over ? "over" : "within");
  // A maximum is only as good as its year: every verdict says when it was set and that it may have changed.
  const lines =
    rules.length > 0
      ? rules.map(
          (rule) =>
            `${describe(ctx, rule, amount, route)} ${ctx.text("fee-check", "as_of", { year: String(rule.as_of) }).text}`,
        )
      : [ctx.text("fee-check", "unknown", { route }).text];
  lines.push(ctx.text("fee-check", "ilo_note").text);
  const { knowledge } = ctx.services;
  const leafletIds = [
    ...new Set([...rules.flatMap((rule) => (rule.leaflet ? [rule.leaflet] : [])), "fair-recruitment-no-fees"]),
  ];
  const quickReplies: QuickReply[] = leafletIds
    .map((id) => knowledge.leaflet(id, [ctx.lang, "eng"]))
    .flatMap((leaflet) => (leaflet ? [{ title: leaflet.shortTitle, action: `leaflet:${leaflet.id}` }] : []));
  quickReplies.push(ctx.button("common", "btn_counsellor", "intent:counsellor"));
  ctx.say(lines.join("\n\n"), { quickReplies });
}

function askAmount(ctx: TurnContext): void {
  ctx.say(ctx.text("fee-check", "ask_amount"), { quickReplies: [ctx.button("common", "btn_stop", "flow:stop")] });
}

/** Kept flat in the conversation record (flow data holds strings and numbers only). */
interface FeeCheckData {
  origin?: string;
  destination?: string;
  amount?: number;
  /** "" when the person named no currency: then it is their home country's. */
  currency?: string;
}

/**
 * An amount in the question itself ("agent wants 4 lakh for Saudi"). A small bare number is more likely
 * "2 years" than a fee, so without a currency only a figure of three digits or more counts.
 */
function amountIn(text: string): Pick<FeeCheckData, "amount" | "currency"> {
  const parsed = parseAmount(text);
  if (!parsed || (parsed.currency === null && parsed.value < 100)) return {};
  return { amount: parsed.value, currency: parsed.currency ?? "" };
}

/** Asks for what is still missing, or gives the verdict once origin, destination and amount are known. */
async function proceed(ctx: TurnContext, data: FeeCheckData, step: "start" | "continue"): Promise<void> {
  const set = (next: string) =>
    step === "start" ? ctx.startFlow("fee-check", next, { ...data }) : ctx.setFlowStep(next, { ...data });
  if (!data.origin) {
    set("origin");
    ctx.say(ctx.text("fee-check", "ask_origin"), { quickReplies: countryButtons(ctx, origins) });
    return;
  }
  if (!data.destination) {
    set("destination");
    ctx.say(ctx.text("fee-check", "ask_destination"), { quickReplies: countryButtons(ctx, destinations) });
    return;
  }
  if (data.amount === undefined) {
    set("amount");
    askAmount(ctx);
    return;
  }
  const destination = data.destination === "other" ? null : data.destination;
  const currency = data.currency || homeCurrency[data.origin] || "";
  await conclude(ctx, data.origin, destination, { value: data.amount, currency });
}

export const feeCheck: Flow = {
  id: "fee-check",
  async start(ctx) {
    // What the question already says is not asked again.
    const text = ctx.inbound.action ? "" : ctx.query;
    const mentioned = countriesMentioned(text);
    const origin = ctx.conversation.country ?? mentioned.find(isOriginCountry) ?? ctx.origin() ?? undefined;
    // Any country named counts (Lebanon, Brunei have ceilings too); the buttons offer only the usual ones.
    const destination = mentioned.find((code) => code !== origin);
    // "What is the most an agency may charge for Qatar?" asks for the maximum, not for a verdict on an amount.
    const amount = amountIn(text);
    const asksMaximum = amount.amount === undefined && factQuestion(text) === "cost-ceiling";
    // "How much may a Singapore agency charge?" from someone whose country is unknown is the destination's
    // own rule, which a leaflet gives; the ceilings by origin are asked for only when that fails.
    if (!origin && asksMaximum && destination && (await searchAndQuote(ctx, { quiet: true }))) return;
    await proceed(
      ctx,
      {
        ...(origin ? { origin } : {}),
        ...(destination ? { destination } : {}),
        ...(asksMaximum ? { amount: 0, currency: "none" } : amount),
      },
      "start",
    );
  },
  async resume(ctx, state) {
    const data = state.data as FeeCheckData;
    if (state.step === "origin") {
      const origin = readCountry(ctx, isOriginCountry);
      if (!origin || origin === "other") {
        ctx.endFlow();
        ctx.say(ctx.text("fee-check", "unknown", { route: ctx.text("fee-check", "other_country").text }));
        return;
      }
      ctx.conversation.country = origin;
      await proceed(ctx, { ...data, origin }, "continue");
      return;
    }
    if (state.step === "destination") {
      const destination = readCountry(ctx, (code) => code !== data.origin);
      await proceed(ctx, { ...data, destination: destination ?? "other" }, "continue");
      return;
    }
    const parsed = parseAmount(ctx.inbound.text);
    if (!parsed && (doesNotKnow(ctx.inbound.text) || factQuestion(ctx.inbound.text) === "cost-ceiling")) {
      // "I don't know, what is the maximum?": say the maximum instead of asking again.
      await proceed(ctx, { ...data, amount: 0, currency: "none" }, "continue");
      return;
    }
    if (!parsed) {
      if (state.retries >= 1) {
        // No figure after two tries: still say what the maximum is, without judging an amount.
        await proceed(ctx, { ...data, amount: 0, currency: "none" }, "continue");
        return;
      }
      ctx.conversation.flow = { ...state, retries: state.retries + 1 };
      ctx.say(ctx.text("fee-check", "amount_unclear"), {
        quickReplies: [ctx.button("common", "btn_stop", "flow:stop")],
      });
      return;
    }
    await proceed(ctx, { ...data, amount: parsed.value, currency: parsed.currency ?? "" }, "continue");
  },
};
