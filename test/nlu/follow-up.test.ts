import { describe, expect, it } from "vitest";
import { followUpTarget, resolveFollowUp } from "../../src/nlu/follow-up.js";

describe("follow-up questions", () => {
  it.each([
    ["and for Lebanon?", ["LB"], []],
    ["what about for drivers?", [], ["drivers"]],
    ["ar singapore er jonno?", ["SG"], []],
    ["а в Екатеринбурге?", ["RU"], []],
    ["اور قطر میں؟", ["QA"], []],
    ["আর বাহরাইনে?", ["BH"], []],
    ["and kyrgyz ppl?", ["KG"], []],
    ["وفي الكويت؟", ["KW"], []],
    ["and for housemaids?", [], ["housemaids"]],
  ])("%s names a new place or group and nothing else", (text, places, groups) => {
    expect(followUpTarget(text)).toEqual({ places, groups });
  });

  it.each([
    "what is the minimum wage in qatar",
    "my passport was taken in dubai",
    "thanks",
    "how much for a patent in moscow",
    "I am from Bangladesh",
  ])("%s is a question of its own", (text) => {
    expect(followUpTarget(text)).toBeNull();
  });

  it("asks the previous question again with the new place instead of the old one", () => {
    expect(resolveFollowUp("how many days notice to change job in qatar", "and kuwait?")).toBe(
      "how many days notice to change job in kuwait",
    );
    expect(resolveFollowUp("abu dhabi minimum wage for cleaners", "and in doha?")).toBe(
      "minimum wage for cleaners doha",
    );
    expect(resolveFollowUp("minimum wage in kuwait", "and for housemaids?")).toBe("minimum wage in kuwait housemaids");
  });
});
