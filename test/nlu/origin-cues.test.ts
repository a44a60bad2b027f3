import { describe, expect, it } from "vitest";
import { originFromOffices } from "../../src/nlu/origin-cues.js";

describe("who is asking, from the national offices they name", () => {
  it("takes a Pashto speaker who asks about the OEP or the Protector for a Pakistani", () => {
    expect(originFromOffices("د OEP لایسنس آنلاین په کومه ویب پاڼه چک کړم؟")).toBe("PK");
    expect(originFromOffices("protector office mein kitne paise lagte hain")).toBe("PK");
    expect(originFromOffices("BMET card kivabe pabo?")).toBe("BD");
  });

  it("reads the offices Pashto spells out, and the OEC", () => {
    expect(originFromOffices("اوورسیز پاکستانیز فاونډېشن کورنۍ ته څومره معاوضه ورکوي؟")).toBe("PK");
    expect(originFromOffices("د اوورسیز ایمپلائمنټ پروموټر لایسنس چېرته چیک کړم؟")).toBe("PK");
    expect(originFromOffices("د OEC ویب سایټ څه دی؟")).toBe("PK");
  });

  it("guesses nothing from a question that names no office, or two countries' offices", () => {
    expect(originFromOffices("how much is the visa for dubai")).toBeNull();
    expect(originFromOffices("is BMET like the OEP in Pakistan?")).toBeNull();
  });
});
