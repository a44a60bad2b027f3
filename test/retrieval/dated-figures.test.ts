import { describe, expect, it } from "vitest";
import { datedFigures, findFigures, staleFigureYears, yearsIn } from "../../src/retrieval/dated-figures.js";

const money = (text: string) =>
  findFigures(text)
    .filter((figure) => figure.kind === "money")
    .map((figure) => [figure.value, figure.currency]);
const phones = (text: string) =>
  findFigures(text)
    .filter((figure) => figure.kind === "phone")
    .map((figure) => figure.value);

describe("figures in leaflet text", () => {
  it("reads amounts in the notations leaflets use, with their currency", () => {
    expect(money("In January 2018 the ceiling for Singapore was Tk2,62,270 and for Saudi Arabia Tk 1,65,000.")).toEqual(
      [
        ["262270", "BDT"],
        ["165000", "BDT"],
      ],
    );
    expect(money("The 2026 minimum wage is 10,320 won an hour; a patent cost 7,500 roubles.")).toEqual([
      ["10320", "KRW"],
      ["7500", "RUB"],
    ]);
    expect(money("Workers paid Tk3.5–4 lakh (2024), about USD 41–59.")).toEqual([
      ["350000-400000", "BDT"],
      ["41-59", "USD"],
    ]);
  });

  it("finds phone numbers, and short codes only where a word says they are numbers", () => {
    expect(
      phones("From abroad call +8809610102030; in Pakistan call the hotline 0304 1112123, or 111-247-786."),
    ).toEqual(["8809610102030", "03041112123", "111247786"]);
    expect(phones("From inside Bangladesh, call 333.")).toEqual(["333"]);
    expect(phones("In 2017, 1008525 workers left for 165 countries; 500 workers called for help.")).toEqual([]);
  });

  it("takes the as-of year from the sentence, an earlier sentence of the paragraph, a list's intro, or the heading", () => {
    const body = [
      "## Cost limits (January 2018)",
      "Singapore Tk2,62,270. The minister gave these in 2019 too.",
      "",
      "## Wages",
      "The minimum wage was RM1,700 a month in 2025. Overtime was paid at Tk 500 an hour.",
      "In 2023 the ministry listed these fees:",
      "- Tk 300 to register",
      "",
      "## No year",
      "Registration costs Tk 200 under the Emigration Rules 1979.",
    ].join("\n");
    const asOf = datedFigures(body).map((figure) => [figure.text, figure.asOf, figure.line]);
    expect(asOf).toEqual([
      ["Tk2,62,270", 2018, 2],
      ["RM1,700", 2025, 5],
      ["Tk 500", 2025, 5],
      ["Tk 300", 2023, 7],
      ["Tk 200", null, 10],
    ]);
  });

  it("does not mistake a law's year or an amount for the year a figure is from", () => {
    expect(yearsIn("Under Federal Decree-Law No. 33 of 2021 and Directive 2008/115/EC the fee is USD 2000.")).toEqual(
      [],
    );
    expect(yearsIn("Since 16 January 2020, the Convention, 1930 (No. 29) applies.")).toEqual([2020]);
  });

  it("dates a translated passage by the years it keeps from the English, so the warning works in every language", () => {
    const bengali = "জানুয়ারি 2018-এ মন্ত্রী সংসদে জানান: সিঙ্গাপুর Tk2,62,270। রাশিয়া Tk1,66,640।";
    expect(staleFigureYears(bengali, "অন্যান্য দেশের জন্য খরচের সীমা", new Date("2026-12-06"), 3)).toEqual([2018]);
    const recent = "In 2025 the monthly patent fee in Moscow was 8,900 roubles.";
    expect(staleFigureYears(recent, "Patent", new Date("2026-12-06"), 3)).toEqual([]);
    expect(staleFigureYears("In 2022, the fee was Tk 300.", "Fees", new Date("2026-12-06"), 3)).toEqual([2022]);
  });
});
