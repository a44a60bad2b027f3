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

  it("refuses channel settings that only work together when one is missing", () => {
    expect(configError({ TELEGRAM_WEBHOOK_URL: "https://bot.example.org/webhooks/telegram" })).toContain(
      "TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET must be set together",
    );
    expect(configError({ MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000000" })).toContain(
      "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD must be set together",
    );
    expect(configError({ WHATSAPP_CLOUD_TOKEN: "EAAG-0123456789abcdefghij" })).toMatch(
      /WhatsApp Cloud API needs all four settings; missing WHATSAPP_CLOUD_PHONE_NUMBER_ID, .*VERIFY_TOKEN/,
    );
    expect(configError({ TELEGRAM_BOT_TOKEN: "not-a-token" })).toContain("TELEGRAM_BOT_TOKEN: must look like");
    // A managed identity has no password.
    expect(
      loadConfig({ MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000000", MICROSOFT_APP_TYPE: "UserAssignedMSI" })
        .MICROSOFT_APP_TYPE,
    ).toBe("UserAssignedMSI");
  });

  it("trusts X-Forwarded-* only from the proxy addresses TRUST_PROXY names, never from everyone", () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.5, 192.168.0.0/16,::1, fd00::/8, loopback" }).TRUST_PROXY).toEqual([
      "10.0.0.5",
      "192.168.0.0/16",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
    for (const everyone of ["true", "yes", "on", "*"]) {
      const message = configError({ TRUST_PROXY: everyone });
      expect(message).toContain(`TRUST_PROXY: `);
      expect(message).toContain("give the address of your proxy");
      expect(message).toContain(`(got ${JSON.stringify(everyone)})`);
    }
    // A hop count cannot tell the proxy from a client that connects directly and writes its own hops.
    expect(configError({ TRUST_PROXY: "1" })).toMatch(/TRUST_PROXY: .*not a number of hops/);
    expect(configError({ TRUST_PROXY: "10.0.0.300" })).toContain('TRUST_PROXY: "10.0.0.300" is not an IP address');
    expect(configError({ TRUST_PROXY: "10.0.0.0/33" })).toContain('TRUST_PROXY: "10.0.0.0/33" is not an IP address');
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
