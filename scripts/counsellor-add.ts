/**
 * `npm run counsellor:add -- --id amina --name "Amina Rahman" --role counsellor --countries BD,PK
 *   [--languages ben,eng] [--topics safety,fee-check]`
 * Creates (or replaces) a console account in the Store named by REDIS_URL. The password comes from
 * the COUNSELLOR_PASSWORD variable or, when that is unset, from the first line typed on stdin, so it
 * never appears in the shell history or the process list.
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openStore } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { AccountRepository } from "../src/console/accounts.js";
import { createLogger } from "../src/log.js";

const { values } = parseArgs({
  options: {
    id: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "counsellor" },
    countries: { type: "string", default: "" },
    languages: { type: "string", default: "" },
    topics: { type: "string", default: "" },
  },
});
const args = z
  .object({
    id: z.string().regex(/^[a-z0-9._-]{2,64}$/, "--id: 2-64 of a-z 0-9 . _ -"),
    name: z.string().min(1, "--name is required"),
    role: z.enum(["counsellor", "supervisor"]),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, "--countries: ISO codes like BD,PK")),
    languages: z.array(z.string().regex(/^[a-z]{3}$/, "--languages: 3-letter codes like ben,eng")),
    topics: z.array(z.string().regex(/^[a-z0-9-]{2,40}$/, "--topics: intent ids like safety,fee-check")),
  })
  .safeParse({
    ...values,
    countries: (values.countries ?? "")
      .split(",")
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean),
    languages: list(values.languages).map((code) => code.toLowerCase()),
    topics: list(values.topics).map((topic) => topic.toLowerCase()),
  });
function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
if (!args.success) {
  console.error(args.error.issues.map((issue) => issue.message).join("\n"));
  process.exit(64);
}
const config = loadConfig();
if (!config.REDIS_URL) {
  console.error("Set REDIS_URL: without Redis the account would vanish when this command ends.");
  process.exit(64);
}
let password = process.env.COUNSELLOR_PASSWORD ?? "";
if (!password) {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  password = await prompt.question("Password (12+ characters): ");
  prompt.close();
}
const store = await openStore(config, createLogger({ level: "warn", personalData: false }));
try {
  const account = await new AccountRepository(store).add(args.data, password);
  console.log(`Account ${account.id} (${account.role}; ${account.countries.join(", ") || "all countries"}) saved.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 65;
} finally {
  await store.close();
}
