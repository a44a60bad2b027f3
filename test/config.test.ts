import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configVariableNames, loadConfig } from "../src/config.js";
import { isRahnamaError } from "../src/errors.js";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (isRahnamaError(error, "CONFIG_INVALID")) return error.message;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("configuration", () => {
  it("works with no settings at all (zero-setup defaults)", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.LOG_PERSONAL_DATA).toBe(false);
    expect(config.paths.data).toMatch(/data$/);
  });

  it("names the variable, the problem and the value when a setting is wrong", () => {
    const message = configError({ PORT: "eighty", LOG_LEVEL: "loud", REDIS_URL: "localhost:6379" });
    expect(message).toContain('PORT: must be a number (got "eighty")');
    expect(message).toMatch(/LOG_LEVEL: .* \(got "loud"\)/);
    expect(message).toContain('REDIS_URL: must be a redis:// or rediss:// URL (got "localhost:6379")');
  });

  it("rejects out-of-range numbers, unknown languages and non-boolean flags", () => {
    const message = configError({ PORT: "70000", DEFAULT_LANGUAGE: "klingon", LOG_PERSONAL_DATA: "maybe" });
    expect(message).toContain("PORT: must be at most 65535");
    expect(message).toContain("DEFAULT_LANGUAGE: must be one of");
    expect(message).toContain("LOG_PERSONAL_DATA: must be true or false");
  });

  it("treats an empty value as unset", () => {
    expect(loadConfig({ PORT: "", REDIS_URL: "" }).PORT).toBe(3000);
  });

  it("documents every variable in .env.example, and nothing else", () => {
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect([...new Set(documented)].sort()).toEqual([...configVariableNames].sort());
  });
});
