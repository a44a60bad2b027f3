import { describe, expect, it } from "vitest";
import { countriesMentioned, countryName, placeMentions } from "../../src/i18n/countries.js";
import { replyLanguages } from "../../src/i18n/languages.js";
import { countryNames, otherCountryNames } from "../../src/i18n/place-names.js";

describe("countries and cities in what people write", () => {
  it.each([
    ["I work in Yekaterinburg now", ["RU"]],
    ["skolko dney registraciya v rossii esli ya grazhdanin kirgizii?", ["RU", "KG"]],
    ["patent v moskve skolko stoit", ["RU"]],
    ["Я работаю в Екатеринбурге, приехал из Таджикистана", ["RU", "TJ"]],
    ["брат в Москве, патент в Москву сколько", ["RU"]],
    ["ҳоло дар Маскав кор мекунам", ["RU"]],
    ["из Казахстана в Россию", ["KZ", "RU"]],
    ["আমি সৌদিতে আছি, দাম্মামে কাজ করি", ["SA"]],
    ["ভাই মালয়েশিয়ায় যাবে", ["MY"]],
    ["میرا بھائی دمام میں ہے", ["SA"]],
    ["زه په ابوظبی کې یم", ["AE"]],
    ["أنا بالرياض وصديقي بجدة", ["SA"]],
    ["اخوي يشتغل بالبحرين", ["BH"]],
    ["ana b jeddah w sadi2i", ["SA"]],
    ["dar turkiye kar mekonam, dar istanbul", ["TR"]],
    ["men Rossiyada ishlayman, Moskvada", ["RU"]],
    ["ami saudite jabo, dubaite na", ["SA", "AE"]],
    ["my cousin in doha wants to switch company", ["QA"]],
    ["we came back from peshawar to jalalabad", ["PK", "AF"]],
    // Pashto spellings with its own letters: Malaysia, Dubai, Russia.
    ["په ملایشیا کې د کارګر معاش", ["MY"]],
    ["زما ورور په دوبۍ کې دی", ["AE"]],
    ["روسیې ته ځم", ["RU"]],
    // Countries no leaflet is about are recognised too, so that the bot can say it has no leaflet for them.
    ["барои кори мавсимӣ ба Финляндия рафтан мехоҳам", ["FI"]],
    ["ویزه بشردوستانه برازیل برای افغان ها", ["BR"]],
    ["Buyuk Britaniyaga mavsumiy ishchi vizasi", ["GB"]],
    ["Norvegiyaga ishga", ["NO"]],
    ["ده هالند پناهنده شده", ["NL"]],
    // Tajik names, and nationality words for the country.
    ["дар Кувайт чӣ?", ["KW"]],
    ["дар Истанбул кор мекунам", ["TR"]],
    ["манъи даромадан ба Аврупо", ["EU"]],
    ["qirgizlar uchun-chi?", ["KG"]],
    ["а для узбеков?", ["UZ"]],
    ["زه د مردان یم", ["PK"]],
    // Pashto's own letters, where the name lists spell it as Persian does; Tajik and Uzbek names.
    ["د انګلستان د کار ویزه", ["GB"]],
    ["ба Полша бо виза кор рафтан мумкин?", ["PL"]],
    ["AQSh green card lotereyasi", ["US"]],
    ["یو کے کا ویزا", ["GB"]],
    ["Dubayda xojayin", ["AE"]],
    ["Эмирот", ["AE"]],
    ["Pylos wali kashti", ["GR"]],
    ["yunan jane wali kashti", ["GR"]],
  ])("%s", (text, expected) => {
    expect(countriesMentioned(text).sort()).toEqual([...expected].sort());
  });

  it("tells a city from a country and keeps the order written", () => {
    expect(placeMentions("from Dhaka to Riyadh").map((mention) => [mention.code, mention.kind])).toEqual([
      ["BD", "city"],
      ["SA", "city"],
    ]);
  });

  it("knows Russia's cities as Afghans, Pakistanis and Iraqis write them", () => {
    for (const text of ["و در سنت پترزبورگ چطور؟", "په پیټرزبرګ کې", "پیٹرزبرگ میں", "في سانت بطرسبرغ", "در کازان"]) {
      expect(
        placeMentions(text).map((mention) => [mention.code, mention.kind]),
        text,
      ).toContainEqual(["RU", "city"]);
    }
  });

  it("tells declined names from longer names that start alike", () => {
    expect(countriesMentioned("ба Австрия рафтан мехоҳам")).toEqual(["AT"]);
    expect(countriesMentioned("брат в Австралии работает")).toEqual(["AU"]);
    expect(countriesMentioned("а если паспорт киргизский?")).toEqual(["KG"]);
    expect(countriesMentioned("Кореяга бормоқчиман")).toEqual(["KR"]);
    expect(countriesMentioned("وبلبنان شنو الوضع")).toEqual(["LB"]);
  });

  it("does not read places into ordinary words", () => {
    for (const text of [
      "what is a work permit",
      "i need a permanent job",
      "the woman was paid late",
      "my passport is with the employer",
      "ufaq kya karun",
      "can i take my family",
      // Tajik "in Russian" names the language, not the country.
      "телефоне ҳаст, ки бо забони русӣ ҷавоб диҳад?",
      "бо ҳарфҳои англисӣ навиштан мешавад?",
      // Pashto "did", Tajik "accepted" and "a job" typed without Tajik letters, Urdu "to make", Tajik
      // "serious", Persian "men": each once looked like Korea, Kabul, Lebanon, Jeddah or Mardan.
      "ما درخواست وکړه خو ځواب یې رانکړه",
      "аризаамро кабул карданд, коре ёфтам, кореро дӯст медорам",
      "ویزا بنانے میں کتنا وقت لگتا ہے",
      "ин масъалаи чидди аст",
      "برای مردان و زنان کار هست؟",
    ]) {
      expect(countriesMentioned(text), text).toEqual([]);
    }
  });
});

describe("country names shown to the person", () => {
  it("names every country the bot recognises in each reply language, never by code or in English only", () => {
    const codes = [...Object.keys(countryNames), ...Object.keys(otherCountryNames)].filter((code) => code !== "EU");
    for (const code of codes) {
      for (const lang of replyLanguages) {
        const name = countryName(code, lang);
        expect(name, `${code} in ${lang}`).not.toBe(code);
        if (lang !== "eng" && lang !== "uzb") expect(name, `${code} in ${lang}`).not.toBe(countryName(code, "eng"));
      }
    }
  });
});
