import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/nlu/language-detector.js";

describe("language detection of short chat messages", () => {
  it.each([
    ["how much does it cost to go to saudi arabia", "eng"],
    ["what is visa trading", "eng"],
    ["আমি বিদেশে যেতে চাই", "ben"],
    ["آپ کیسے ہیں؟ مجھے سعودی عرب جانا ہے", "urd"],
    ["سلام، می‌خواهم به آلمان بروم", "fas"],
    ["زه غواړم چې بهر کار وکړم", "pus"],
    ["مرحبا، أريد العمل في الخارج", "ara"],
    ["Привет, как получить патент?", "rus"],
    ["Салом, ман мехоҳам ба Русия равам", "tgk"],
    ["Salom, men Rossiyaga ishlash uchun bormoqchiman", "uzb"],
    // Iraqi Arabic writes گ like Persian; its article, ta marbuta and dialect words still mark it Arabic.
    ["شگد ياخذ وقت الجواز الالكتروني بالعراق؟", "ara"],
    ["خالي كان يشتغل بدبي ومات بحادث شغل، شگد أقل تعويض تاخذه العائلة؟", "ara"],
    ["صاحب الشغل يگول ماكو قانون", "ara"],
    ["شكد راتب سائق تكسي بألمانيا؟", "ara"],
    ["الان در ایران کار می‌کنم، البته پاسپورت دارم", "fas"],
    ["Сәлеметсіз бе, мен Ресейде жұмыс істегім келеді", "kaz"],
    ["Саламатсызбы, мен Орусияда иштегим келет, жардам бериңиз", "kir"],
    // Uzbek in Cyrillic without ў shares қ, ғ, ҳ with Tajik; its words tell them apart.
    ["ИИВ ишонч телефони рақами нечи? ариза бермоқчиман", "uzb"],
    ["патент қанча туради, ҳужжат керак", "uzb"],
    ["ман дар Маскав кор мекунам, патент чанд пул ҳаст", "tgk"],
    // Russian with an Uzbek word in it stays Russian.
    ["Акамнинг ўғли в Германии учится, сколько можно остаться после учебы?", "rus"],
    // Arabic, Dari and Pashto without their distinctive letters are told apart by their small words.
    ["انتهى العقد مالي بالكويت، هل لازم يرجعني الكفيل على حسابه؟", "ara"],
    ["و ده ترکیه چند؟", "fas"],
    ["که پاسپورت نه وي څه وکړم", "pus"],
    // Too short for franc, but only Russian says "а если".
    ["а если водителем?", "rus"],
  ])("%s → %s", (text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });

  it.each([
    ["mujhe saudi jana hai kya karna hoga", "urd"],
    ["ami bidesh jete chai ki korbo", "ben"],
    ["shgad sa3a agdar ashtaghel bl esbo3 eza adrus b europa ka talib?", "ara"],
    ["shu raqam el tawari2 bil saudia?", "ara"],
    ["malezi hadaqal mash chand ringgit ast? dalal gofta 1200", "fas"],
    ["tazkira kom idara warkawi? za ghwaram e-tazkira wakhlam", "pus"],
    // Pashto in Latin letters shares "ke", "da", "na" with Roman Urdu; "pa", "sa", "tar", "bandiz" are its own.
    ["pa qatar ke garmai ke kar tar so bajo bandiz de?", "pus"],
    ["riyadh ke zakhmi shom, da kar wizarat number sa de?", "pus"],
    ["skolko stoit patent v moskve mne nuzhno", "rus"],
    // Arabizi's digit letters count although digits are dropped before the other checks.
    ["sima3it 3an il 3amal bil kuwait, kam sa3a bil yom?", "ara"],
    // Repeating a word ("na … na") is one marker, not three.
    ["dubai na kabul ta paise legam sumra na ziat na", "pus"],
    ["qatar ki garmai ki da kar band we? so baje na tar so baje", "pus"],
    ["v kuvayte letom s kakogo chasa zapreshayut rabotat?", "rus"],
  ])("tells Latin-script Urdu, Bengali, Arabic, Dari, Pashto and Russian from English: %s", (text, lang) => {
    expect(detectLanguage(text)).toMatchObject({ lang, romanised: true });
  });

  it("reads Uzbek's hyphenated -chi as Uzbek: Saudiyada-chi?", () => {
    expect(detectLanguage("Saudiyada-chi?").lang).toBe("uzb");
  });

  it("keeps English as English", () => {
    for (const text of [
      "is it the law in qatar that my employer pays for my ticket",
      "what is the minimum wage in kuwait for a house maid",
      "my brother is in dubai and the company took his passport",
    ]) {
      expect(detectLanguage(text).lang, text).toBe("eng");
    }
  });

  it("does not guess from a word or two", () => {
    expect(detectLanguage("hi").confident).toBe(false);
    expect(detectLanguage("ok").lang).toBeNull();
    expect(detectLanguage("123 👍").lang).toBeNull();
  });
});
