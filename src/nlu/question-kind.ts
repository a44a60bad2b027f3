import { cueList, hasCue, withoutArabicPrefix, words } from "./normalise-text.js";

/**
 * What kind of fact a question asks for, so the answer can be the passage that holds one: an amount
 * ("how much", "koto taka", "کتنے پیسے", "сколько стоит"), a period ("how many days", "kitne din",
 * "сколько дней"), a number to call, a website or app, or a place to go. A question may ask for none.
 */
export type QuestionKind =
  | "amount"
  | "period"
  | "date"
  | "share"
  | "count"
  /** How many people: answered by a number of people ("120,000 Tajik citizens"), not by any count. */
  | "headcount"
  | "age"
  | "penalty"
  | "phone"
  | "website"
  | "office";

// Word starts written "a | b", folded like chat text (cueList). One list per kind, every language.
const cues: Readonly<Record<Exclude<QuestionKind, "count" | "headcount">, readonly string[]>> = {
  amount: cueList(`
    how much | cost | costs | price | fee | fees | charge | salary | wage | pay  | paid | maximum | max |
    minimum | compensation | fine | money | taka | rupees | kitna | kitne | kitni | kitney | koto | kto taka |
    কত টাকা | খরচ | ফি | বেতন | মজুরি | কত | کتنے | کتنی | کتنا | خرچ | فیس | تنخواہ | چقدر | چند | هزینه |
    معاش | پول | څومره | څو | لګښت | کم | بكم | شكد | اشكد | شگد | اشگد | shgad | shkad | ashgad | شقد | قديش |
    رسوم | تكلفه | راتب | سعر | сколько | skolko | stoit | stoimost | tsena | стоит | стоимость | цена |
    зарплат | штраф | плата | чанд | нарх | музд | маош | qancha | necha | narx | maosh | tolov | jarima |
    قیمت | قيمت | تومان | chand | cheqadr | cheqadar | chiqadr | chiqadar | chqadr | qimat | qeemat | kharch |
    hazina | toman | sumra | tsomra | somra
  `),
  period: cueList(`
    how many days | how long | how many months | how many hours | days | deadline | within | hours |
    kitne din | kitna lamba | kitne baje | kitne bje | kitne bajay | kis waqt | کتنے بجے | কয়টা | koyta |
    ساعت چند | چه ساعتی | څو بجې | в какое время | во сколько | соати чанд | soat nechada | الساعه کم | شوکت |
    kitna time | kitna waqt | kitne waqt | kitna arsa | kab tak | kitne saal | kitni qaid | koto bochor |
    koto mash | کتنا وقت | کتنا عرصہ | کب تک | کتنے سال | چقدر وقت | چند سال | څومره وخت | څو کاله | شکد وقت |
    شگد وقت | shgad wakt | shgad waqt | كم سنه | كم سنة | сколько времени | сколько лет | как долго |
    чанд вақт | чанд сол | qancha vaqt | necha yil | kitne mahine | koto din | কত দিন | কত ঘণ্টা |
    দিনের মধ্যে | کتنے دن | کتنے گھنٹے | چند روز | چند ساعت | چند ماه | څو ورځ | څو ساعت | كم يوم | كم ساعه |
    كم شهر | مده | сколько дней | до какого числа | с какого числа | какого числа | до какой даты |
    qachongacha | qaysi sanagacha | то кай | skolko dney | skolko dnei | skolko mesyacev | srok |
    сколько часов | срок | чанд руз | чанд соат | necha kun | necha soat | muddat
  `),
  // "When", "since when", "until what date": answered by a date ("from 1 April to 31 December"), not a duration.
  date: cueList(`
    when does | when do | when did | when is | when was | when will | when can | when should | since when |
    until when | by when | what date | which date | which year | what year | kab | kab se | kab tak |
    kis tarikh | tarikh | kobe | কবে | তারিখ | কত সালে | کب | کب سے | تاریخ | چه وقت | چه زمانی | از کی |
    تا کی | کدام تاریخ | che waqt | له کله | تر کله | متى | من متى | لحد متى | شوكت | شوقت | تاريخ | shwakit |
    shwakt | imta | с каких пор | до каких пор | в каком году | s kakogo | do kakogo | с какого | до какого |
    какого числа | до какой даты | с какой даты | дата | кай | аз кай | то кай | санаи | qachon | qachondan |
    qachongacha | qaysi sana | қачон | sana
  `),
  // "How old must she be": answered by an age ("18–45 years old", "at least 25", "not higher than 21").
  age: cueList(`
    age | how old | umar | umer | umr | omor | boyos | বয়স | عمر | عمرش | عمرها | سن | سنش | возраст |
    лет должно | синну | синнусол | yosh | ёш
  `),
  // "What is the fine", "how long is the entry ban", "what punishment": answered by the section on penalties.
  penalty: cueList(`
    fine | fined | penalty | penalties | punish | jail | prison | deport | entry ban | штраф | наказ | запрет на въезд |
    запрет въезда | депорт | выдвор | jarima | jazo | чарима | ҷарима | чазо | ҷазо | جریمه | جرمانه | غرامه | عقوبه |
    سزا | جزا | قید | اخراج | دیپورت | ترحیل | منع دخول | জরিমানা | শাস্তি | saza | qaid | jurmana | jorimana |
    gharama
  `),
  share: cueList(`
    percent | percentage | per cent | ratio | what share | fisad | feesad | فیصد | শতাংশ | শতকরা | parsent |
    درصد | فیصده | سلنه | نسبة | نسبه | nisbat | nisba | بالمية | процент | protsent | доля | фоиз | foiz
  `),
  phone: cueList(`
    number | phone | call | hotline | helpline | whatsapp | nomber | nambar | নম্বর | নাম্বার | ফোন | نمبر |
    فون | شماره | تلفون | شمېره | رقم | هاتف | номер | nomer | телефон | звонить | рақам | raqam | telefon
  `),
  website: cueList(`
    website | site | online | app | link | portal | ওয়েবসাইট | অ্যাপ | ویب | سایت | موقع | сайт | онлайн |
    sayt
  `),
  office: cueList(`
    where | which office | kothay | kahan | কোথায় | کہاں | کجا | چیرته | وین | أين | где | gde | куда | куҷо |
    qayer
  `),
};

// "How many" with nothing that makes it money or time ("how many airports", "چند مرکز", "сколько человек"):
// answered by a count. Money words ("fee", "taka") and time words make it an amount or a period instead.
const howMany = cueList(`
  how many | kitne | kitni | koto | koyta | koyti | কতগুলো | কয়টি | কয়টা | কতজন | কত | کتنے | کتنی | چند |
  چند تا | څو | څومره | كم | بكم | شكد | شگد | shgad | сколько | skolko | чанд | nechta | necha | нечта | неча |
  chand | sumra | tsomra
`);
// Money words and currencies ("how many ringgit", "په څو روپۍ") make "how many" an amount.
const moneyWords = cueList(`
  cost | fee | price | salary | wage | pay | paid | money | charge | fine | taka | rupee | rupay | টাকা | খরচ |
  ফি | বেতন | روپے | خرچ | فیس | تنخواہ | پول | هزینه | معاش | پیسې | افغانۍ | رسوم | راتب | فلوس | دينار |
  стоит | стоимость | руб | денег | зарплат | плат | штраф | пул | маош | нарх | pul | maosh | narx | so'm |
  som | amount | loan | مبلغ | قرض | قروض | ঋণ | لون | کریڈٹ | кредит | займ | доплат | доплач | qarz | روپۍ |
  روپی | rupay | ringgit | رینګټ | رنگٹ | riyal | ریال | ريال | dirham | درهم | dinar | دینار | rubl | сомон |
  somoni | тенге | tenge | won | وون | lira | لیره | dollar | ڈالر | ډالر | دالر | دولار | долл | евро | euro |
  یورو | يورو | টাকা | afghani | افغانی | قیمت | قيمت | تومان | toman | qimat | qeemat | kharch | hazina | paisa |
  تنخوا | تنخواه | tankhwa | tankhwah | tankha | اجوره | ujrat
`);
// "How many" with a unit of time asks for a period in any wording ("сколько месяцев", "څو میاشتې", "koto bochor").
const timeWords = cueList(`
  day | days | week | weeks | month | months | year | years | hour | hours | minutes | din | mahine | mahina |
  saal | ghante | hafte | mash | bochor | ghonta | দিন | মাস | বছর | ঘণ্টা | সপ্তাহ | دن | مہین | سال | گھنٹ |
  ہفت | روز | ماه | هفته | ساعت | ورځ | ورځې | میاشت | کال | اونۍ | يوم | ايام | أيام | شهر | اشهر | أشهر |
  سنة | سنه | سنين | سنوات | ساعه | ساعات | اسبوع | دن | день | дней | дня | месяц | год | лет | час | недел |
  рӯз | моҳ | сол | соат | ҳафта | kun | oy | yil | soat | hafta | кун | ой | йил | dney | mesyac | let | roz |
  rooz | ruz | mah | maah | sal | wraz | wradz | miasht | myasht
`);

// "How many" people ("чанд нафар", "сколько человек", "کتنے لوگ", "কতজন"): a count, never an amount.
const peopleWords = cueList(`
  people | persons | person | workers | migrants | citizens | died | dead | nafar | нафар | одам | кас | odam |
  kishi | kishilar | odamlar | человек | людей | граждан | мигрантов | погибл | умерл | মানুষ | লোক | জন | মারা |
  لوگ | لوگوں | افراد | نفر | نفره | تنه | کسان | اشخاص | شخص | عمال | مهاجر | مهاجرین | مړه | مرده |
  мурда | мурданд | фавтид
`);

const compiled = Object.entries(cues) as [QuestionKind, readonly string[]][];

const matches = (text: string, list: readonly string[]) =>
  list.some((cue) => (cue.includes(" ") ? text.includes(` ${cue} `) : hasCue(text, [cue])));

/** The kinds of fact a question asks for (usually none or one). */
export function questionKinds(question: string): QuestionKind[] {
  // Arabic's glued article and prepositions come off a second reading: "الغرامة" is "the fine".
  const folded = words(question);
  const bare = folded.map(withoutArabicPrefix);
  const text = ` ${folded.join(" ")} ${bare.some((word, index) => word !== folded[index]) ? `| ${bare.join(" ")} ` : ""}`;
  const kinds = compiled.filter(([, list]) => matches(text, list)).map(([kind]) => kind);
  // "How old must she be?" asked as "kitni umar": an age, not an amount or a count.
  if (kinds.includes("age") && !matches(text, moneyWords))
    return kinds.filter((kind) => kind !== "amount" && kind !== "count");
  if (matches(text, howMany) && !matches(text, moneyWords)) {
    // The generic "how many" put it under amounts too: with a unit of time and no money it is only a period.
    if (matches(text, timeWords)) return [...kinds.filter((kind) => kind !== "amount" && kind !== "period"), "period"];
    if (!kinds.includes("period")) kinds.push("count");
    if (matches(text, peopleWords))
      return [...kinds.filter((kind) => kind !== "amount" && kind !== "count"), "headcount"];
  }
  return kinds;
}
