import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import { conversationKey } from "../../src/core/conversation.js";
import { triageNo, triageYes } from "../../src/core/safety-stage.js";
import { stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { replyLanguages, type LanguageCode } from "../../src/i18n/languages.js";
import { readCorpus, type LabelledMessage } from "../../scripts/crisis-training-data.js";
import { chat, testRahnama } from "../helpers/rahnama.js";

/**
 * The grey zone of the safety check (issue 12): a message the detector is unsure of gets one question,
 * "is someone in danger right now?", with one-tap answers in the person's language. Yes escalates as a
 * detected crisis does; no answers what they asked. The messages come from the corpus, chosen by the
 * detector itself, so the test holds whatever the model learns next.
 */
let rahnama: Rahnama;
let corpus: LabelledMessage[];

beforeAll(async () => {
  rahnama = await testRahnama();
  corpus = await readCorpus();
}, 120_000);

afterAll(async () => {
  await rahnama.close();
});

function greyZone(lang: LanguageCode): string {
  const found = corpus.find(
    (message) =>
      message.lang === lang &&
      rahnama.services.safety.judge(message.text).decision === "triage" &&
      message.text.length < 400,
  );
  if (!found) throw new Error(`no message of ${lang} in the corpus falls in the grey zone`);
  return found.text;
}

const address = (conversation: string) => ({ channel: "webchat" as const, user: `user-${conversation}`, conversation });

describe("a message the safety check is unsure of", () => {
  it("is answered by a model calibrated on held-out authors, not by the lexicon alone", () => {
    expect(rahnama.services.safety.hasModel).toBe(true);
  });

  it.each(replyLanguages)("asks in %s whether someone is in danger now; yes escalates", async (lang) => {
    const send = chat(rahnama, `triage-yes-${lang}`);
    const texts = rahnama.services.texts;
    const asked = await send(greyZone(lang));
    expect(asked).toHaveLength(1);
    expect(asked[0]?.lang).toBe(lang);
    expect(stripDirectionMarks(asked[0]?.text ?? "")).toBe(texts.get("safety", "triage_question", lang).text);
    expect(asked[0]?.meta).toMatchObject({ triage: true, safety: false });
    expect(asked[0]?.quickReplies.map((reply) => stripDirectionMarks(reply.title))).toEqual([
      texts.get("safety", "btn_danger_yes", lang).text,
      texts.get("safety", "btn_danger_no", lang).text,
    ]);
    const before = await rahnama.services.conversations.get(conversationKey(address(`triage-yes-${lang}`)));
    expect(before?.handoff.status).toBe("bot");

    const yes = asked[0]?.quickReplies[0];
    const escalated = await send(yes?.title ?? "", { action: yes?.action ?? triageYes });
    expect(escalated[0]?.meta).toMatchObject({ triage: true, safety: true, intent: "safety" });
    expect(stripDirectionMarks(escalated.map((reply) => reply.text).join("\n"))).toContain(
      texts.get("safety", "alert", lang).text,
    );
    const after = await rahnama.services.conversations.get(conversationKey(address(`triage-yes-${lang}`)));
    expect(after?.handoff).toMatchObject({ status: "pending", priority: "high", reason: "safety" });
  });

  it.each(replyLanguages)("in %s, no answers the message as an ordinary one, with no handoff", async (lang) => {
    const send = chat(rahnama, `triage-no-${lang}`);
    const message = greyZone(lang);
    await send(message);
    const answered = await send(rahnama.services.texts.get("safety", "btn_danger_no", lang).text);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered[0]?.meta).toMatchObject({ triage: true, safety: false });
    expect(stripDirectionMarks(answered[0]?.text ?? "")).not.toBe(
      rahnama.services.texts.get("safety", "triage_question", lang).text,
    );
    const after = await rahnama.services.conversations.get(conversationKey(address(`triage-no-${lang}`)));
    expect(after?.handoff.status).toBe("bot");
    expect(after?.safety).toBe(false);
  });

  it("takes a typed yes, and a tapped no, as well as the buttons", async () => {
    const typed = chat(rahnama, "triage-typed");
    await typed(greyZone("urd"));
    const [escalated] = await typed("ji haan");
    expect(escalated?.meta.safety).toBe(true);

    const tapped = chat(rahnama, "triage-tapped");
    await tapped(greyZone("rus"));
    const [answer] = await tapped("Нет", { action: triageNo });
    expect(answer?.meta.safety).toBe(false);
  });

  it("judges a new message on its own when the person writes something else instead", async () => {
    const send = chat(rahnama, "triage-other");
    await send(greyZone("eng"));
    const [reply] = await send("how much does a passport cost in Bangladesh?");
    expect(reply?.meta.safety).toBe(false);
    expect(reply?.meta.triage).toBeUndefined();
  });
});

describe("where the person is now", () => {
  const emergency = (replies: readonly { text: string }[]) => replies.map((reply) => reply.text).join("\n");

  it.each([
    ["Russian city with a case ending", "Брата избили в Новосибирске, он без сознания, помогите", "112"],
    ["Saudi city in Urdu script", "میرے بھائی کو ریاض میں کفیل نے بہت مارا ہے، وہ بے ہوش ہے، مدد کریں", "911"],
    [
      "Saudi Arabia with the Arabic yeh, in Pashto",
      "زما ورور په سعودي عربستان کې کفیل وهلی او بند یې کړی، مرسته وکړئ",
      "911",
    ],
    [
      "Saudi Arabia with the Persian yeh, in Pashto",
      "زما ورور په سعودی عربستان کې کفیل وهلی او بند یې کړی، مرسته وکړئ",
      "911",
    ],
    [
      "a Turkish city",
      "my brother is locked in a room in Antalya by the smugglers, they beat him and want money, help",
      "112",
    ],
    ["a Gulf city in Bengali", "আমার ভাইকে দুবাইতে মালিক আটকে রেখে মারছে, বাঁচান", "999"],
    ["a Saudi city in Arabic, glued preposition", "اخوي محبوس بالرياض والكفيل يضربه كل يوم، الحقونا", "911"],
    ["a Turkish city in Dari", "برادرم در استانبول توسط قاچاقبرها زندانی است و پول می‌خواهند، کمک کنید", "112"],
    ["a Russian city with an Uzbek ending", "akamni Moskvada xo'jayin urib, qamab qo'ygan, yordam bering", "112"],
    ["a Russian city in Tajik", "бародарамро дар Маскав латукӯб карданд, беҳуш аст, ёрӣ диҳед", "112"],
  ])("gives the emergency number of the country named (%s) first", async (_name, text, number) => {
    const replies = await chat(rahnama, `where-${_name}`)(text);
    expect(replies[0]?.meta.safety).toBe(true);
    const said = emergency(replies);
    const firstNumber = /🚨 ([^ —]+(?: [^ —]+)*) —/u.exec(said)?.[1];
    expect(firstNumber).toBe(number);
  });

  it("remembers where the person said they work, and asks where they are when nobody said", async () => {
    const send = chat(rahnama, "where-remembered");
    await send("I am from Bangladesh and I work in Riyadh");
    const replies = await send("my employer beats me every day and locked me in, help me please");
    expect(emergency(replies)).toMatch(/🚨 911 —/u);
    expect(emergency(replies)).not.toContain(rahnama.services.texts.get("safety", "ask_location", "eng").text);

    const unknown = chat(rahnama, "where-unknown");
    const first = await unknown("he beats me every day and locked me in, help me please");
    expect(emergency(first)).toContain(rahnama.services.texts.get("safety", "ask_location", "eng").text);
    const answered = await unknown("Qatar");
    expect(answered[0]?.meta.safety).toBe(true);
    expect(emergency(answered)).toMatch(/🚨 999 —/u);
    const stored = await rahnama.services.conversations.get(conversationKey(address("where-unknown")));
    expect(stored?.location).toBe("QA");
  });

  it("lists the emergency number, then the migrants' help line from home, then the MRC", async () => {
    const send = chat(rahnama, "where-order");
    await send("I am from Bangladesh");
    const said = emergency(await send("the malik in Dammam locked me in a room and beats me, please help"));
    const emergencyAt = said.indexOf("🚨 911");
    const helplineAt = said.indexOf("+8809610102030");
    const mrcAt = said.search(/Migrant Resource Cent/u);
    expect(emergencyAt).toBeGreaterThan(-1);
    expect(helplineAt).toBeGreaterThan(emergencyAt);
    expect(mrcAt === -1 || mrcAt > helplineAt).toBe(true);
    // Bangladesh's 333 cannot be dialled from Saudi Arabia.
    expect(said).not.toMatch(/🚨 333\b|☎ 333\b/u);
  });
});

describe("a medical emergency", () => {
  it("leads with first aid from the sourced leaflet, then the emergency number", async () => {
    const replies = await chat(
      rahnama,
      "medical",
    )(
      "my friend fell down from the scaffolding at the site in Doha, his leg is bleeding a lot and he is not answering",
    );
    expect(replies[0]?.meta.safety).toBe(true);
    expect(replies[0]?.citations[0]?.leafletId).toBe("gen-medical-emergency-at-work");
    expect(replies[0]?.text.split("\n").length).toBeLessThanOrEqual(4);
    expect(replies[1]?.text).toMatch(/🚨 999 —/u);
  });
});
