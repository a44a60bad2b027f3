import { describe, expect, it } from "vitest";
import { applyDirectionMarks, stripDirectionMarks } from "../../src/i18n/direction-marks.js";
import { formatAmount, parseAmount } from "../../src/nlu/amounts.js";

describe("reading an amount of money from chat text", () => {
  it.each([
    ["350000 taka", 350_000, "BDT"],
    ["Tk 1,65,000", 165_000, "BDT"],
    ["agent wants 4 lakh taka", 400_000, "BDT"],
    ["৩ লাখ টাকা", 300_000, "BDT"],
    ["Rs 2 lac", 200_000, "PKR"],
    ["۳۵۰ هزار", 350_000, null],
    ["200 тысяч рублей", 200_000, "RUB"],
    ["$2000", 2_000, "USD"],
    ["1.200.000 sum", 1_200_000, "UZS"],
    ["১,৫০,০০০ টাকার ভিসা", 150_000, "BDT"],
    ["5000 сомони", 5_000, "TJS"],
    // Currency names hidden inside ordinary words are not currencies.
    ["the agent wants 4 lakh for the workers permit", 400_000, null],
    ["a large sum: 3000 for the form", 3_000, null],
  ])("%s → %d %s", (text, value, currency) => {
    expect(parseAmount(text)).toEqual({ value, currency });
  });

  it("finds nothing where there is no number", () => {
    expect(parseAmount("i don't know")).toBeNull();
  });

  it("writes taka and rupees in lakh grouping", () => {
    expect(formatAmount(165_000, "BDT")).toBe("Tk 1,65,000");
    expect(formatAmount(15_000, "PKR")).toBe("Rs 15,000");
  });
});

describe("direction marks for right-to-left messages", () => {
  it("opens the message right to left and keeps numbers and Latin names in order", () => {
    const marked = applyDirectionMarks("ایم آر سی پاکستان: 0304 1112123 (MRC Pakistan)", "rtl");
    expect(marked.startsWith("\u200F")).toBe(true);
    expect(marked).toContain("\u20660304 1112123 (MRC Pakistan)\u2069");
    expect(stripDirectionMarks(marked)).toBe("ایم آر سی پاکستان: 0304 1112123 (MRC Pakistan)");
  });

  it("isolates a whole English line inside an Urdu answer", () => {
    expect(applyDirectionMarks("انگریزی:\nOnly English here.", "rtl")).toBe(
      "\u200Fانگریزی:\n\u2066Only English here.\u2069",
    );
  });

  it("leaves left-to-right messages alone", () => {
    expect(applyDirectionMarks("Call 333 (MRC Bangladesh)", "ltr")).toBe("Call 333 (MRC Bangladesh)");
  });
});
