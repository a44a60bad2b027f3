import { describe, expect, it } from "vitest";
import { answerRequestFor } from "../../src/retrieval/answer-request.js";
import { placeNow, countriesNamedAsFrom, countriesNamedAsWhere } from "../../src/nlu/where-named.js";

describe("a country that sends and takes in migrants, named as where the person is or goes", () => {
  it("reads 'in' and 'to' in every way the languages write them", () => {
    for (const text of [
      "в Казахстане сколько дней без регистрации",
      "Тоҷикон дар Қазоқистон кор мекунанд",
      "Qozog'istonga ishga ketmoqchiman",
      "در ایران کار میکنم",
      "په پاکستان کې اوسېږم",
      "پاکستان ته ځم",
      "اخوي يشتغل بإيران",
    ]) {
      expect(countriesNamedAsWhere(text).size, text).toBe(1);
    }
  });

  it("does not take 'from' or 'of' for it", () => {
    for (const text of [
      "я из Казахстана",
      "Qozog'istondan keldim",
      "از ایران برگشتم",
      "pakistan se aya hun",
      "باكستان",
    ]) {
      expect([...countriesNamedAsWhere(text)], text).toEqual([]);
    }
  });

  it("asks the leaflets about that country instead of taking it for the asker's own", () => {
    const request = answerRequestFor("в Казахстане сколько дней можно жить без регистрации?", "rus", {
      countries: ["KZ"],
      origin: "KZ",
    });
    expect(request.places).toContain("KZ");
    expect(request.origin).toBeNull();
    // A Dari speaker in Iran is an Afghan asking about Iran; an Urdu speaker's "Pakistan mein" is home.
    const dari = answerRequestFor("در ایران کارت آمایش چند است", "fas", { countries: ["IR"], origin: "IR" });
    expect([dari.origin, dari.places]).toEqual(["AF", ["IR"]]);
    const urdu = answerRequestFor("Pakistan mein protector ki fees kitni hai", "urd", {
      countries: ["PK"],
      origin: "PK",
    });
    expect([urdu.origin, urdu.places]).toEqual(["PK", []]);
  });

  it("reads a returnee's 'back from Pakistan' as coming home, not as a question about Pakistan", () => {
    for (const text of [
      "له پاکستان نه راستانه شوو",
      "از ایران برگشتیم",
      "Pokistondan qaytdik",
      "из Казахстана приехал",
    ]) {
      expect(countriesNamedAsFrom(text).size, text).toBe(1);
    }
    expect([...countriesNamedAsFrom("په پاکستان کې اوسېږم")]).toEqual([]);
    // A town whose name ends like Uzbek's "from" ("Mardan"), and Pashto's "له … سره" ("with Pakistan").
    expect([...countriesNamedAsFrom("za Mardan ki yam, MRC Pakistan number sa dey?")]).toEqual([]);
    expect([...countriesNamedAsFrom("ټیلنټ پارټنرشپ له پاکستان سره کله پیل شو؟")]).toEqual([]);
    const returnee = answerRequestFor("ما از طریق تورخم از پاکستان برگشتیم، به هر فامیل چقدر پول میدن؟", "fas", {
      countries: ["PK"],
      origin: "AF",
    });
    expect(returnee.places).toEqual([]);
    // Without an origin to come home to, where they came from is all the question says about place.
    expect(
      answerRequestFor("came back from pakistan, what help is there?", "eng", { countries: [], origin: null }).places,
    ).toEqual(["PK"]);
  });
});

describe("where the person in danger is now", () => {
  it.each([
    [
      "a place said to be now, after a promised one",
      "agent said job in Qatar but now they keep us in Oman",
      "BD",
      "OM",
    ],
    ["Banglish: promised Dubai, now Oman", "dalal bolse dubai te kaj, ekhon oman e amake atke rakhse", "BD", "OM"],
    ["Pashto 'in Libya' over 'to Italy'", "ایجنټ وویل ایټالیا ته مو وړو، خو اوس په لیبیا کې بندیان یو", "AF", "LY"],
    ["Arabic 'in Sweden' over glued 'to Iraq'", "يهددني ياخذ الولد للعراق، واحنا ساكنين بالسويد", "IQ", "SE"],
    ["Uzbek locative with a person's ending", "ishda yiqilib tushdim, oyog'im singan, Almatidaman", "UZ", "KZ"],
    ["Dari 'ده' for in", "بچه ما ده مسکو لت و کوب شده", "AF", "RU"],
    ["near a town", "we are locked in a brick kiln near Karaj", "AF", "IR"],
    ["a Moscow-region town in translit", "nas zakrili na sklade v Podolske", "TJ", "RU"],
    [
      "of two places named as 'in', the one abroad",
      "the agent in Dhaka promised a job, but in Kuala Lumpur they lock us in",
      "BD",
      "MY",
    ],
    ["Russian 'под' (near) a city", "их держат в доме под Стамбулом, требуют деньги", "TJ", "TR"],
  ])("%s", (_name, text, origin, expected) => {
    expect(placeNow(text, origin)).toBe(expected);
  });

  it("in a cry for help, takes where someone was last heard from, unless they came home", () => {
    expect(placeNow("my son called us from Dubai crying, now his phone is off", "BD", { lastHeardFrom: true })).toBe(
      "AE",
    );
    expect(
      placeNow("писал брату из Новосибирска, что его бьют, теперь не отвечает", "TJ", { lastHeardFrom: true }),
    ).toBe("RU");
    expect(placeNow("we came back from Dubai and the agent threatens us", "BD", { lastHeardFrom: true })).toBeNull();
    expect(placeNow("my son called us from Dubai crying", "BD")).toBeNull();
    // Kazakhstan is a home for some, a destination for a Tajik.
    expect(placeNow("бародарам аз Алмаато занг зад, баъд телефонаш хомӯш", "TJ", { lastHeardFrom: true })).toBe("KZ");
  });

  it("takes only a place named as where on an ordinary turn, and an answer's bare country when asked", () => {
    expect(placeNow("how much is the visa fee now for Saudi?", "BD", { markedOnly: true })).toBeNull();
    expect(placeNow("I work in Riyadh", "BD", { markedOnly: true })).toBe("SA");
    expect(placeNow("Bangladesh", "BD")).toBeNull();
    expect(placeNow("Bangladesh", "BD", { answering: true })).toBe("BD");
    expect(placeNow("we came back from Dubai", "BD", { answering: true })).toBeNull();
  });
});
