import { describe, expect, it } from "vitest";
import { factQuestion } from "../../src/nlu/fact-questions.js";
import { questionGap } from "../../src/nlu/question-gaps.js";
import { asksForPhoneNumber, asksHowManyLinesAnswered, helplineKindsAsked } from "../../src/nlu/helpline-questions.js";
import { questionKinds } from "../../src/nlu/question-kind.js";

describe("what kind of fact a question asks for", () => {
  it.each([
    ["how much is the patent in moscow", "amount"],
    ["koto taka lagbe malaysia jete", "amount"],
    ["سعودیہ کے لیے کتنے پیسے لگتے ہیں", "amount"],
    ["сколько стоит патент", "amount"],
    ["how many days do i have to register", "period"],
    ["kitne din mein visa aata hai", "period"],
    ["сколько дней без регистрации", "period"],
    ["skolko dney mozhno bez registracii", "period"],
    ["patent skolko stoit v moskve", "amount"],
    ["what is the hotline number", "phone"],
    ["رقم الطوارئ في العراق", "phone"],
    ["which website do i check my status on", "website"],
    ["until when does the ban on couriers last", "date"],
    ["с какого числа запрет на такси", "date"],
    ["rostovda taqiq qachongacha", "date"],
    ["দুবাইতে এই নিয়ম কবে থেকে চালু", "date"],
    ["what percentage of the jobs must go to locals", "share"],
    ["شكد نسبة العمال الاجانب", "share"],
    ["how many airports have a help desk", "count"],
    ["چند مرکز تذکره فعال است", "count"],
    // "how many people" asks for a number of people, never for money
    ["чанд нафар тоҷикон дар рӯйхати РКЛ ҳастанд?", "headcount"],
    ["сколько человек погибло на маршрутах", "headcount"],
    // "how many" with a unit of time asks for a period however it is worded
    ["сколько месяцев можно остаться после учёбы", "period"],
    ["څو میاشتې وروسته بل شرکت ته تللای شم", "period"],
    ["koto bochor lage", "period"],
    ["kam az kam umar kitni honi chahiye", "age"],
    ["what is the age limit for housemaids", "age"],
    // Dari and Pashto typed in Latin letters
    ["tamdid kart amayesh chand toman mishe", "amount"],
    ["pasport chand roz tool mekasha", "period"],
    ["da pakistan visa fees sumra de", "amount"],
    // a monthly salary is an amount, not a number of months
    ["په قطر کې لږ تر لږه میاشتنۍ تنخوا څومره ده؟", "amount"],
    ["قیمت پتنت کار در مسکو در سال 2026 ماهانه چند روبل است", "amount"],
  ])("%s asks for %s", (question, kind) => {
    expect(questionKinds(question)).toContain(kind);
  });

  it("does not take money or time for a count", () => {
    expect(questionKinds("чанд нафар тоҷикон дар рӯйхати РКЛ ҳастанд?")).not.toContain("amount");
    expect(questionKinds("how many ringgit is the minimum wage")).not.toContain("count");
    expect(questionKinds("сколько месяцев можно остаться")).not.toContain("count");
    expect(questionKinds("сколько месяцев можно остаться")).not.toContain("amount");
    expect(questionKinds("what to do when my employer keeps my passport")).not.toContain("date");
    expect(questionKinds("kam az kam umar kitni honi chahiye")).not.toContain("amount");
    expect(questionKinds("my agent took my passport")).not.toContain("age");
  });

  it("asks for nothing in particular when the question is about a rule", () => {
    expect(questionKinds("can my employer keep my passport")).toEqual([]);
  });
});

describe("questions answered from the data files", () => {
  it.each([
    ["what is the police number in libya", "emergency-number"],
    ["emergency number in turkey for ambulance?", "emergency-number"],
    ["dubai te site e keu ojnan hoye gele kon number e call dibo?", "emergency-number"],
    ["رقم الطوارئ الموحد بالعراق شنو", "emergency-number"],
    ["what is the max cost bangladesh govt fixed for qatar", "cost-ceiling"],
    ["malaysia jete bd sorkar total khoroch koto fix korse?", "cost-ceiling"],
    ["qanoon ke mutabiq OEP zyada se zyada kitni service fee le sakta hai?", "cost-ceiling"],
    ["OEP تر ټولو زیات څومره سروس فیس اخیستلی شي؟", "cost-ceiling"],
  ])("%s", (question, kind) => {
    expect(factQuestion(question)).toBe(kind);
  });

  it("leaves ordinary questions to the leaflets", () => {
    for (const question of [
      "how do i renew my patent",
      "my agent took my passport",
      "what is kafala",
      // "the most" without a cost: hours, deductions, days of leave
      "সিঙ্গাপুরে শিপইয়ার্ডে কাজ করি, মাসে সর্বোচ্চ কত ঘণ্টা ওভারটাইম করানো যায়?",
      "malik beton theke maximum koto katte pare?",
      "how many days leave am i allowed to take",
      // Money paid to the worker, and one fee of the many, are not the cost of going abroad.
      "কল্যাণ বোর্ড চিকিৎসার জন্য সর্বোচ্চ কত টাকা দেয়?",
      "gamca medical er sorkari fee koto?",
      "bank diye pathaile sorkar koto percent prono dey?",
    ]) {
      expect(factQuestion(question), question).toBeNull();
    }
  });
});

describe("questions no leaflet can answer", () => {
  it.each([
    ["whats today riyal to taka rate?", "exchange-rate"],
    ["aj dubai dirham er rate koto taka?", "exchange-rate"],
    ["қурби рубл ба сомонӣ имрӯз чанд аст?", "exchange-rate"],
    ["есть сейчас вакансии на стройке в казани?", "vacancy"],
    ["is 'Gulf Star Overseas Employment' with licence no 2345/RWP genuine?", "named-agency"],
    ["شركة النور للسفريات بالكرادة مرخصة؟", "named-agency"],
    // "این" ("this") folds like the Arabic "where" and must not read as "where do I check?"
    ["دفتر پامیر سفر در کابل ویزه کاری میده، این دفتر جواز داره؟", "named-agency"],
    ["الفلاح اوورسیز کا لائسنس اصلی ہے؟", "named-agency"],
  ])("%s", (question, gap) => {
    expect(questionGap(question)).toBe(gap);
  });

  it("leaves the tazkira, a return-ticket insurance and a remittance incentive to the leaflets", () => {
    for (const question of [
      "در کل افغانستان چند مرکز توزیع تذکره الکترونیکی فعال است؟",
      "Koreyaga EPS bilan boraman, uyga qaytish chiptasi sugurtasi qancha turadi?",
      "bank diye taka pathaile family koto percent incentive pay? hundi te to beshi rate dey",
      // Signs of forced labour are no job search, though "is there" and "work" come close together.
      "یک لیست نشانه ها هست که بفهمی کار اجباری میکنی یا نی؟",
      // "I have a work permit" and "is there a heat measure at which work must stop": no vacancy asked.
      "Olmaotadagi firmada ish ruxsatnomam bor, Astanaga kochsam shu ruxsatnoma bilan ishlasam boladimi?",
      "Дар Қатар ғайр аз соат, боз ягон ченаки гармо ҳаст, ки кор бояд қатъ шавад?",
      // Uzbek's o' and g' are letters, not quotation marks around an agency's name.
      "Qozog'istonda labour immigrant ruxsatnomasini eng ko'pi necha oyga berishadi?",
    ]) {
      expect(questionGap(question), question).toBeNull();
    }
  });

  // One question per kind in every language, as migrants type them: the ideas, not the sentences, are matched.
  it.each([
    ["نن ورځ د ډالر نرخ څو دی؟", "exchange-rate"],
    ["bugun dollar kursi qancha?", "exchange-rate"],
    ["1 rubl necha so'm?", "exchange-rate"],
    ["як рубл чанд сомонӣ?", "exchange-rate"],
    ["الدولار بكم اليوم بالعراق؟", "exchange-rate"],
    ["یک درهم چند افغانی است امروز؟", "exchange-rate"],
    ["сколько сегодня стоит доллар?", "exchange-rate"],
    ["how many taka for 1 ringgit today?", "exchange-rate"],
    ["ایک ریال کتنے روپے کا ہے آج؟", "exchange-rate"],
    ["nan da pakistani rupai aw afghani nerkh so de?", "exchange-rate"],
    ["په دوبۍ کې د ډرایور لپاره اوس کار شته؟", "vacancy"],
    ["Koreyada hozir ish bormi? zavodda", "vacancy"],
    ["дар Маскав ҳоло кор ҳаст? сохтмон", "vacancy"],
    ["اكو شغل بقطر هسه للسواق؟", "vacancy"],
    ["در دبی کار خالی برای راننده هست؟", "vacancy"],
    ["any driver jobs in dubai right now?", "vacancy"],
    ["qatar mein driver ki job mil jayegi abhi?", "vacancy"],
    ["د 'الفلاح' شرکت جواز لري که نه؟", "named-agency"],
    ["ширкати 'Сомон Тревел' литсензия дорад?", "named-agency"],
    ["شرکت 'ستاره کابل' جواز دارد یا نه؟", "named-agency"],
    ["агентство «Восток Труд» лицензия есть?", "named-agency"],
    ["Al Madina Manpower in Lahore, licensed or fake?", "named-agency"],
    ["مكتب الرافدين للتشغيل مرخص لو لا؟", "named-agency"],
    ["shgad si3r el dollar el yom?", "exchange-rate"],
    ["dhaka to kuala lumpur plane ticket koto taka ekhon?", "airfare"],
    ["سستا ٹکٹ ملتان سے جدہ کا کتنے کا ہے؟", "airfare"],
    ["بلیط کابل به استانبول چند است؟", "airfare"],
    ["билет Ташкент Москва сколько стоит сейчас?", "airfare"],
    ["chipta Samarqand Moskva narxi qancha?", "airfare"],
  ])("%s", (question, gap) => {
    expect(questionGap(question)).toBe(gap);
  });

  it("leaves to the leaflets questions that only look like these", () => {
    for (const question of [
      "মালয়েশিয়ায় এখন সর্বনিম্ন বেতন কত রিঙ্গিত? আমার কোম্পানি পনেরশো দেয়",
      "трудовой договор расторгли после 4 месяцев работы. сколько дней есть чтобы найти новый договор?",
      "باكستاني ابي اتاكد ان مكتب التوظيف مرخص OEP وين اشيك عليه",
      "یو چا په فیسبوک کی وویل ترکیه کی کار شته تجربه نه غواړی ټکټ او ویزه زه جوړوم دوکه خو نه ده",
      "telegram kanalda chet elda ish bor zarplata 3000$ tajriba shartmas deyapti fake emasmi",
      "как понять что вакансия обман",
      "saudi te 1500 riyal beton, koto taka hobe?",
      // Who must pay a ticket is in the contracts and the leaflets, not a price of the day.
      "who pays the return ticket after the contract ends in qatar?",
      "dubai mein housemaid ko ghar jane ka ticket kitne saal baad milta hai?",
      "agent ticket ke 80 hazar le raha hai, ye legal hai?",
    ]) {
      expect(questionGap(question), question).toBeNull();
    }
  });

  it("still answers how to check an agency or where to look for vacancies", () => {
    for (const question of [
      "how can i check if an agency is licensed",
      "chet eldagi ish vakansiyalarini rasmiy qaysi platformada tekshirsa boladi?",
      "what is the remittance fee for sending money",
    ]) {
      expect(questionGap(question), question).toBeNull();
    }
  });
});

describe("helpline numbers asked for", () => {
  it.each([
    ["which number do i call in qatar to complain about my employer?", "labour-complaints"],
    ["Koreyada zavod oylikni bermayapti. chet ellik ishchilar markazi raqami qanday?", "migrant-helpline"],
    ["پاکستان میں انسانی اسمگلنگ کی شکایت کے لیے کون سا نمبر ہے؟", "trafficking"],
    ["малайзияда занон барои кӯмак ба кадом рақам занг мезананд?", "women"],
    ["কুয়েতে বেতন না দিলে অভিযোগের ফোন নম্বর কী?", "labour-complaints"],
    // Arabic's article and prepositions are glued on: "الخط الساخن لوزارة العمل".
    ["رقم الخط الساخن لوزارة العمل القطرية شنو؟", "labour-complaints"],
    // "Is there a number at the ministry?": a number with a helpline's subject, without "which" or "call".
    ["اكو رقم بوزارة العمل اللبنانية للعاملات المنزليات؟", "labour-complaints"],
    ["дар ОАЭ хати боварӣ барои қурбониёни савдои одамон ҳаст? рақамаш чанд", "trafficking"],
    ["ягон колл-центр барои коргарони хориҷӣ ҳаст? корфармо маошро намедиҳад", "labour-complaints"],
    // The verb "to complain" with Arabic's glued prefixes, and "хатти" typed with a double т.
    ["اكدر اشتكي على الشركة بمسج؟ شنو الرقم؟", "labour-complaints"],
    ["дар Баҳрайн хатти боварӣ барои коргарон ҳаст?", "labour-complaints"],
    // Pashto's own spelling of "telephone", and a counselling centre for foreign workers.
    ["په کوریا کې د بهرنیو کارګرو لپاره د مشورې مرکز ټیلیفون څه دی؟", "migrant-helpline"],
  ])("%s", (question, kind) => {
    expect(helplineKindsAsked(question)).toContain(kind);
  });

  it("reads Russian typed in Latin letters in Cyrillic", () => {
    expect(factQuestion("v rossii kakoy nomer vizvat skoruyu?", "rus")).toBe("emergency-number");
    expect(factQuestion("v rossii kakoy nomer vizvat skoruyu?")).toBeNull();
  });

  it("tells 'how many of the lines answered?' from a request for a line's number", () => {
    const lines = (question: string) => asksHowManyLinesAnswered(question, questionKinds(question), "tgk");
    expect(
      lines("рақамҳои хатти боварии вазорат дар Русия кор мекунанд? журналистон занг заданд, чандтааш ҷавоб дод?"),
    ).toBe(true);
    expect(lines("сколько номеров горячей линии ответили журналистам?")).toBe(true);
    expect(lines("рақами телефони вазорати меҳнат дар Маскав чанд аст?")).toBe(false);
    const english = "I called the hotline and nobody answered, which other number can I call?";
    expect(asksHowManyLinesAnswered(english, questionKinds(english), "eng")).toBe(false);
    expect(asksForPhoneNumber(english, "eng")).toBe(true);
  });

  it("leaves counts, digits and licence numbers alone", () => {
    for (const question of [
      "how many workers does qatar have",
      "سفارت یک نمبر ریفرنس میدهد. آن نمبر چند رقمی است؟",
      "what is the licence number of a recruiting agency for complaints",
    ]) {
      expect(helplineKindsAsked(question), question).toBeNull();
    }
  });
});

describe("a penalty asked", () => {
  it.each([
    "اقامة الخدامة خلصت، شكد الغرامة باليوم؟",
    "Если без патента поймают, какой штраф?",
    "pakistan ke qanoon mein trafficking ki kitni qaid hai?",
    "qonun bo'yicha unga qanday jazo bor?",
  ])("%s", (question) => {
    expect(questionKinds(question)).toContain("penalty");
  });
});
