import type { LanguageCode } from "../i18n/languages.js";
import { cueList, cueTexts, hasCue, normaliseForMatching } from "./normalise-text.js";

/**
 * Questions answered from validated data tables rather than leaflet passages: "what is the emergency
 * number in Libya", "police number in Tajikistan", "what is the most the government allows for Qatar".
 * Cues are word starts in folded text (see normaliseForMatching), every reply language.
 */
export type FactQuestion = "emergency-number" | "cost-ceiling";

const emergencyCues = [
  // Someone hurt or collapsed: the question is which number to call now.
  "unconscious",
  "fainted",
  "faint",
  "bleeding",
  "heart attack",
  "accident",
  "injured",
  "ojnan",
  "behosh",
  "অজ্ঞান",
  "দুর্ঘটনা",
  "بے ہوش",
  "بیہوش",
  "بې هوښه",
  "بې هوښ",
  "بېهوښه",
  "بیهوښه",
  "ټپي",
  "اضطراري",
  "اضطراری",
  "حادثه",
  "حادث",
  "без сознания",
  "несчастн",
  "бехуш",
  "hushsiz",
  "emergency",
  "police",
  "ambulance",
  "fire brigade",
  "rescue",
  "911",
  "999",
  "112",
  "জরুরি",
  "ইমার্জেন্সি",
  "পুলিশ",
  "অ্যাম্বুলেন্স",
  "ایمرجنسی",
  "پولیس",
  "ایمبولینس",
  "ریسکیو",
  "اورژانس",
  "پلیس",
  "امبولانس",
  "عاجل",
  "بیړنی",
  "بیړني",
  "طوارئ",
  "الطوارئ",
  "tawari",
  "شرطه",
  "الشرطه",
  "اسعاف",
  "الاسعاف",
  "экстренн",
  "скорой",
  "скорая",
  "скорую",
  "полици",
  "милици",
  "милиса",
  "таъҷилӣ",
  "favqulodda",
  "politsiya",
  "tez yordam",
].map(normaliseForMatching);

const numberCues = [
  "number",
  "call",
  "dial",
  "nomber",
  "nambar",
  "নম্বর",
  "নাম্বার",
  "ফোন",
  "نمبر",
  "فون",
  "شماره",
  "شمېره",
  "شمیره",
  "رقم",
  "raqam",
  "номер",
  "телефон",
  "рақам",
  "zang",
  "telefon",
  // "Where do I ring?": the verb asks for a number too ("куда звонить в скорую").
  "звонить",
  "позвонить",
  "звонят",
  "qo'ng'iroq",
  "اتصل",
  "اتصال",
  "ra8m",
  "ra2m",
  "rakam",
].map(normaliseForMatching);

// Cues that name the official maximum cost of going abroad by themselves.
const ceilingCues = [
  "max cost",
  "maximum cost",
  "max fee",
  "maximum fee",
  "cost ceiling",
  "fee ceiling",
  "ceiling",
  "cost limit",
  "govt fixed",
  "government fixed",
  "government rate",
  "govt rate",
  "legal fee",
  "zyada se zyada kitni fee",
  "sorkar koto",
  "sorkari khoroch",
  "সরকার নির্ধারিত",
  "সর্বোচ্চ খরচ",
  "সরকারি খরচ",
  "সরকার কত টাকা",
  "سرکاری فیس",
  "حداکثر هزینه",
].map(normaliseForMatching);

// "The most …" and "may charge" name a ceiling only with a cost word: "সর্বোচ্চ কত ঘণ্টা ওভারটাইম" asks for hours.
const maximumWords = [
  "maximum",
  "max",
  "at most",
  "zyada se zyada",
  "ziada se ziada",
  "zada se zada",
  "may charge",
  "can charge",
  "allowed to charge",
  "allowed to take",
  "সর্বোচ্চ",
  "زیادہ سے زیادہ",
  "حداکثر",
  "تر ټولو زیات",
  "الحد الاقصى",
  "اعلى حد",
  "максимальн",
  "eng kop",
].map(normaliseForMatching);

// "Cost fixed by the government": a government word and a cost word together.
const governmentWords = [
  "government",
  "govt",
  "sorkar",
  "sarkar",
  "sorkari",
  "sarkari",
  "সরকার",
  "حکومت",
  "سرکار",
  "سرکاری",
  "دولت",
  "حكومه",
  "правительств",
  "государств",
  "hukumat",
  "ҳукумат",
].map(normaliseForMatching);
const costWords = [
  "cost",
  "fee",
  "charge",
  "khoroch",
  "kharcha",
  "kharch",
  "খরচ",
  "ফি",
  "خرچ",
  "فیس",
  "هزینه",
  "لګښت",
  "تکلفه",
  "رسوم",
  "стоимост",
  "расход",
  "xarajat",
  "хароҷот",
].map(normaliseForMatching);
// "How much money" with "the most" asks the cost of going ("সরকারি ভাবে সর্বোচ্চ কত টাকা"), unless it is a wage.
const moneyPhrases = [
  "কত টাকা",
  "koto taka",
  "kto taka",
  "kitne paise",
  "kitna paisa",
  "کتنے پیسے",
  "کتنا پیسہ",
  "چقدر پول",
  "څومره پیسې",
  "сколько денег",
  "qancha pul",
  "чанд пул",
].map(normaliseForMatching);
// A wage is not the cost of going: "the most salary the government allows" asks something else.
const wageWords = [
  "salary",
  "wage",
  "beton",
  "বেতন",
  "tankhwa",
  "تنخواہ",
  "معاش",
  "راتب",
  "зарплат",
  "maosh",
  "маош",
].map(normaliseForMatching);

// Money paid to the worker is not the cost of going: "the most the welfare board gives for treatment", "what
// percent incentive does the government give on remittances".
const benefitWords = cueList(`grant | compensation | welfare | treatment | loan | scholarship | percent | incentive |
  prono | প্রণোদনা | শতাংশ | পার্সেন্ট | فیصد | درصد | процент | foiz | কল্যাণ | অনুদান |
  ক্ষতিপূরণ | চিকিৎসা | ঋণ | kallyan | kalyan | onudan | khotipuron | معاوضہ | امداد | قرض | جبران | تعويض | تعویض |
  منحه | مساعده | компенсац | пособи | кредит | tovon | qarz | ёрдам пули`);
// One fee of the many (the medical test, the passport, the training) is asked, not the whole cost's ceiling.
const singleFeeWords = cueList(`medical | gamca | wafid | passport | training | ttc | registration | insurance |
  exam | ticket | মেডিকেল | গামকা | পাসপোর্ট | ট্রেনিং | প্রশিক্ষণ | রেজিস্ট্রেশন | বীমা | পরীক্ষা | টিকিট |
  میڈیکل | گمکا | وافد | پاسپورٹ | ٹریننگ | رجسٹریشن | بیمہ | امتحان | ٹکٹ | طبی | معاینه | پاسپورت | بیمه |
  медосмотр | медицин | паспорт | страхов | экзамен | билет | tibbiy | pasport | sugurta | imtihon | chipta`);

/** The data-table question this is, or null. */
export function factQuestion(question: string, lang?: LanguageCode): FactQuestion | null {
  const texts = cueTexts(question, lang);
  const has = (cues: readonly string[]) => texts.some((text) => hasCue(text, cues));
  if (has(emergencyCues) && has(numberCues)) return "emergency-number";
  // "How much money" alone could be a grant from the government; with "the most" it is a ceiling.
  const costAsked = has(costWords) || (has(moneyPhrases) && has(maximumWords) && !has(wageWords));
  if (has(benefitWords) || has(singleFeeWords)) return null;
  if (has(ceilingCues) || (costAsked && (has(governmentWords) || has(maximumWords)))) return "cost-ceiling";
  return null;
}
