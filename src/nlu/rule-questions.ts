import { cueList, cueTexts, hasCue, normaliseForMatching } from "./normalise-text.js";
import { questionKinds } from "./question-kind.js";

/**
 * Questions about a rule or figure that `knowledge/facts.yaml` holds as data: what a Russian work patent
 * costs, how many days one has to register, when the job notification is due, the Gulf's midday work ban.
 * A subject word alone is not enough ("I lost my patent" asks nothing of the table): the question must
 * also ask the kind of fact the table gives (an amount, a period, hours).
 */
export type RuleQuestion =
  "patent-price" | "registration-deadline" | "job-notification" | "midday-ban" | "minimum-wage" | "working-hours";

const patentWords = cueList(`
  patent | патент | patyent | پتنت | پیٹنٹ | پاتنت | براءة العمل | পেটেন্ট
`);

// The last words are Iraq's rule: a foreign worker reports to the labour department after arrival.
const registrationWords = cueList(`
  register | registr | registat | регистрац | регистратс | registratsiya | ro'yxat | royxat | roʻyxat |
  ruyxat | на учет | на учёт | миграционный учет | миграционный учёт | прописк | propisk | бакайд | ба кайд |
  кайди | qayd | رجسٹریشن | رجسٹر | ثبت نام | ثبت | راجستر | ريجستر | تسجيل | التسجيل | নিবন্ধন |
  রেজিস্ট্রেশন | রেজিস্টার | report to | department of labour | دائره العمل | مراجعه دائره
`);

const periodWords = cueList(`
  deadline | within | срок | в течение | муҳлат | мухлат | muddat | مهلت | مدت | خلال | مهله | মেয়াদ |
  সময়সীমা
`);

const notificationWords = cueList(`
  notification | notify | уведомлен | уведомит | uvedomlen | xabarnoma | хабарнома | огохинома | огохнома |
  ogohnoma | اطلاعیه | اطلاع دادن | اطلاع | اشعار | إشعار | اخطار | নোটিফিকেশন | নোটিশ | نوٹیفکیشن
`);
// "Уведомление о прибытии" is the registration; the job notification is about work.
const arrivalWords = cueList(`
  arrival | прибыт | прибыв | kelganim | омадан | رسیدن | আগমন | وصول
`);
const jobWords = cueList(`
  job | work | employ | contract | работ | трудов | договор | кор | шартнома | ish | shartnoma | mvd | мвд |
  کار | قرارداد | ملازمت | نوکری | عمل | عقد | কাজ | চুক্তি
`);

const middayWords = cueList(`
  midday | mid day | noon | afternoon ban | summer | heat ban | полуден | в обед | летом | летний | нисфирузи |
  тобистон | tobiston | yozda | tush payti | tushki | dopohor | dupur | দুপুর | গ্রীষ্ম | গরমের সময় |
  dopahar | garmi | گرمی | دوپہر | ظهر | تابستان | غرمه | اوړی | الظهیره | الظهر | الصیف | صیف
`);
const banOrHoursWords = cueList(`
  ban | banned | not allowed | stop work | hours | what time | timing | запрет | нельзя | часы | во сколько |
  манъ | мамнуъ | taqiq | soat | соат | вакт | vaqt | waqt | ghante | bondho | নিষেধ | বন্ধ | সময় | ঘণ্টা |
  پابندی | بند | ممنوع | منع | حظر | ساعت | ساعات | وخت | بندیز | وقت
`);

const lowestWords = cueList(`
  minimum | min | minimal | lowest | kam se kam | kam az kam | kamaz kam | ন্যূনতম | সর্বনিম্ন | নূন্যতম |
  কম পক্ষে | کم از کم | کم سے کم | حداقل | لږ تر لږه | لږترلږه | الحد الادنی | الحد الادنى | ادنی | минимальн |
  минималн | мрот | хадди акал | акаллан | eng kam | eng past | hadaqal | hadde aqal | haddeaqal | hadd aqal |
  минималк | minimalk
`);
const wageWords = cueList(`
  wage | salary | pay | minimalk | минималк | beton | betan | বেতন | মজুরি | tankhwa | tankhah | tankha | تنخواہ | تنخواه | معاش |
  دستمزد | مزد | اجور | الاجور | للاجور | اجر | الراتب | الرواتب | للرواتب | راتب | رواتب | зарплат | оплат |
  маош | музд | ish haqi | maosh | oylik | mash | maash | moash | muash | mosh
`);

const hourWords = cueList(`
  hour | hours | ghante | ghanta | ghonta | ঘণ্টা | گھنٹے | گھنٹہ | ساعت | ساعته | ساعتونه | ساعه | ساعات |
  час | часа | часов | соат | soat
`);
const overtimeWords = cueList(`
  overtime | over time | ওভারটাইম | اوورٹائم | اوور ٹائم | اوور ټایم | اضافه کاری | اضافه‌کاری | اضافی کار |
  الاضافی | سفرتایم | сверхуроч | переработ | овертайм | изофакори | qoshimcha ish | qo'shimcha ish
`);
const workWords = cueList(`
  work | working | kaam | kaj | কাজ | کام | کار | العمل | عمل | شغل | دوام | работ | кор | ish | ишла
`);
const limitWords = cueList(`
  max | maximum | limit | how many | normal | per day | a day | a week | kitne | kitna | kitni |
  zyada se zyada | ziada se ziada | roz | koto | কত | کتنے | چند | څو | کم | سقف | حداکثر | حد | сколько |
  максимум | в день | в неделю | чанд | necha | qancha | неча | нечта | қанча | канча
`);
// Hours of rest are the other side of the working-hours rules ("how many hours of rest in a row a day?").
const restWords = cueList(`
  rest | break | aram | araam | আরাম | বিশ্রাম | آرام | استراحت | راحت | راحه | استراحه | دمه | отдых | перерыв |
  истирохат | истироҳат | дам олиш | дам гир | dam olish | dam ol | tanaffus | танаффус
`);

// A fine or penalty is another amount than the patent's price ("the fine without a patent, how many roubles?").
const penaltyWords = cueList(`
  fine | penalty | штраф | jarima | чарима | جریمه | جرمانه | غرامه | জরিমানা
`);

// What else a patent asks one to pay for: the exam, the medical insurance, the medical check, translation.
// "How much is the exam for the patent?" asks that price, not the patent's monthly one.
const otherPatentCostWords = cueList(`
  exam | test | insurance | policy | medical | translation | fingerprint | экзамен | тест | страхов | полис |
  дмс | медосмотр | медкомисс | медицин | перевод | дактилоскоп | imtihon | imtixon | sug'urta | sugurta |
  tibbiy | имтиҳон | имтихон | суғурта | сугурта | тиббӣ | тибби | ташхис | امتحان | آزمون | بیمه | معاینه |
  ترجمه | طبی | بيمه | تامين | تأمين | فحص | পরীক্ষা | বীমা | মেডিকেল | ডিএমএস
`);

const russianPaperworkWords = [...patentWords, ...cueList("mvd | мвд | gosuslug | госуслуг")];

/** Whether the question names Russia's migrant paperwork (a patent, the MVD): its rules are Russia's. */
export function namesRussianPaperwork(question: string): boolean {
  return hasCue(` ${normaliseForMatching(question)} `, russianPaperworkWords);
}

/** The table question this is, or null. */
export function ruleQuestion(question: string, lang?: string): RuleQuestion | null {
  // Every reading of the message: Arabic without its attached words ("للراتب"), Latin Russian in Cyrillic.
  const texts = cueTexts(question, lang);
  const has = (cues: readonly string[]): boolean => texts.some((text) => hasCue(text, cues));
  const kinds = questionKinds(question);
  const asksPeriod = kinds.includes("period") || has(periodWords);
  if (has(notificationWords) && has(jobWords) && !has(arrivalWords)) return "job-notification";
  const asksPenalty = has(penaltyWords);
  if (has(registrationWords) && asksPeriod && !asksPenalty) return "registration-deadline";
  if (has(patentWords) && kinds.includes("amount") && !asksPeriod && !asksPenalty && !has(otherPatentCostWords))
    return "patent-price";
  if (has(lowestWords) && has(wageWords)) return "minimum-wage";
  if (has(middayWords) && (has(banOrHoursWords) || asksPeriod)) return "midday-ban";
  // "How many hours a day can they make me work in Kuwait?", "overtime limit in Malaysia?"
  const hoursAsked = has(hourWords) && (has(workWords) || has(restWords)) && has(limitWords);
  if (hoursAsked || (has(overtimeWords) && (has(limitWords) || asksPeriod))) return "working-hours";
  return null;
}
