import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rahnama } from "../../src/bootstrap.js";
import { safetyContactLines } from "../../src/directory/format-contacts.js";
import { MrcDirectory } from "../../src/directory/mrc-directory.js";
import { chat, testConfig, testRahnama } from "../helpers/rahnama.js";

describe("the MRC directory and hotlines", () => {
  it("load with every number sourced, and cover the seed's centres", async () => {
    const directory = await MrcDirectory.load(testConfig().paths.knowledge);
    const cities = directory.centres.map((centre) => centre.city);
    for (const city of ["Kabul", "Dhaka", "Cumilla", "Baghdad", "Lahore", "Islamabad", "Dushanbe"])
      expect(cities).toContain(city);
    for (const line of directory.hotlines) expect(line.sources.length).toBeGreaterThan(0);
    expect(directory.hotlinesIn("BD", ["emergency"]).length).toBeGreaterThan(0);
  });

  it("gives a worker abroad the emergency number where they are, the help line for their danger, and their own MRC", async () => {
    const directory = await MrcDirectory.load(testConfig().paths.knowledge);
    const lines = safetyContactLines(directory, { origin: "BD", location: "SA", category: "unpaid-wages" });
    const saudiEmergency = directory.hotlinesIn("SA", ["emergency"])[0];
    const saudiLabour = directory.hotlinesIn("SA", ["labour-complaints"])[0];
    expect(saudiEmergency && saudiLabour).toBeTruthy();
    expect(lines[0]).toContain(saudiEmergency?.number);
    expect(lines.some((line) => line.includes(saudiLabour?.number ?? "?"))).toBe(true);
    // 333 is a short code that works only inside Bangladesh: abroad, the ministry's line that does.
    expect(lines.some((line) => line.includes("+8809610102030"))).toBe(true);
    expect(lines.some((line) => /(^|\D)333(\D|$)/.test(line))).toBe(false);
    // Every number line names where it comes from and when.
    for (const line of lines.filter((l) => l.startsWith("🚨")))
      expect(line).toMatch(/\([^)]+, (\d{4}(-\d{2}){0,2}|undated)\)$/);
  });
});

describe("help for people in danger where they are now", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama();
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it.each([
    [
      "turkey",
      "I am from Afghanistan",
      "I am in Istanbul, my boss took my passport and locks me in the workshop",
      "TR",
    ],
    ["libya", "I am from Bangladesh", "we are in Libya, the men beat us and lock us in a house, help", "LY"],
    ["bahrain", "I am from Pakistan", "in Bahrain my kafeel took my passport and does not let me leave", "BH"],
  ])("gives someone in %s that country's emergency number first", async (conversation, origin, message, country) => {
    const send = chat(rahnama, `danger-${conversation}`);
    await send(origin);
    const [reply] = await send(message);
    expect(reply?.meta.safety).toBe(true);
    const emergency = rahnama.services.directory.hotlinesIn(country, ["emergency", "police"])[0];
    expect(emergency, `${country} has an emergency or police number in hotlines.yaml`).toBeDefined();
    const firstNumber = reply?.text.split("\n").find((line) => line.startsWith("🚨"));
    expect(firstNumber).toContain(`🚨 ${emergency?.number} —`);
  });

  it("tells a Bangladeshi at home about 333 as the government's call centre, not as a free MRC hotline", async () => {
    const lines = safetyContactLines(rahnama.services.directory, {
      origin: "BD",
      location: null,
      category: "violence",
    });
    const line333 = lines.find((line) => /(^|\D)333(\D|$)/.test(line));
    expect(line333).toMatch(/national government call centre/);
    expect(line333).not.toMatch(/free hotline/);
  });
});

describe("find my MRC", () => {
  let rahnama: Rahnama;
  beforeAll(async () => {
    rahnama = await testRahnama();
  });
  afterAll(async () => {
    await rahnama.close();
  });

  it("asks for the country, then the city, then lists the centres with their contacts", async () => {
    const send = chat(rahnama, "find-mrc");
    const [ask] = await send("where is my mrc?");
    expect(ask?.meta.intent).toBe("find-mrc");
    expect(ask?.quickReplies.map((q) => q.action)).toContain("flow:country:PK");
    const [city] = await send("Pakistan", { action: "flow:country:PK" });
    expect(city?.quickReplies.map((q) => q.action)).toEqual(
      expect.arrayContaining(["flow:city:Lahore", "flow:city:Islamabad"]),
    );
    const [answer] = await send("Lahore", { action: "flow:city:Lahore" });
    expect(answer?.text).toMatch(/Lahore[\s\S]*Islamabad/);
    expect(answer?.text).toContain("0304 1112123");
    expect(answer?.text).toContain(rahnama.services.texts.get("find-mrc", "hours_unknown", "eng").text);
  });

  it("answers in the user's language when the country is already known", async () => {
    const send = chat(rahnama, "find-mrc-bn");
    await send("আমি বাংলাদেশ থেকে");
    const [city] = await send("MRC কোথায়?");
    expect(city?.lang).toBe("ben");
    const [answer] = await send("Cumilla", { action: "flow:city:Cumilla" });
    expect(answer?.text).toContain("Cumilla");
    expect(answer?.text).toContain("333");
  });
});
