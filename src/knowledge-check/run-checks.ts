import type { DataProblem } from "../data/yaml-file.js";
import { checkConflicts } from "./check-conflicts.js";
import { checkContacts } from "./check-contacts.js";
import { checkSources } from "./check-sources.js";
import { checkStaleness, type RecheckItem } from "./check-staleness.js";
import { checkTranslations } from "./check-translations.js";
import { checkRuleFacts } from "./check-rule-facts.js";
import { loadKnowledgeFiles } from "./knowledge-files.js";

export interface KnowledgeCheckReport {
  /** Everything that must be fixed; the check fails when there is any. */
  readonly problems: readonly DataProblem[];
  /** Facts older than the policy allows, oldest first: to re-check against their sources. */
  readonly recheck: readonly RecheckItem[];
  readonly staleAfterYears: number;
  readonly counts: {
    readonly leaflets: number;
    readonly translations: number;
    readonly sources: number;
    readonly figures: number;
    readonly phoneNumbers: number;
    readonly quantitiesCompared: number;
  };
}

/**
 * Runs every check of `npm run knowledge:check` on a knowledge folder: staleness, conflicts,
 * translations, sources and contacts. `staleAfterYears` overrides check.yaml's value.
 */
export async function runKnowledgeCheck(
  dir: string,
  options: { today?: Date; staleAfterYears?: number } = {},
): Promise<KnowledgeCheckReport> {
  const loaded = await loadKnowledgeFiles(dir);
  const empty = { leaflets: 0, translations: 0, sources: 0, figures: 0, phoneNumbers: 0, quantitiesCompared: 0 };
  if (!loaded.files) return { problems: loaded.problems, recheck: [], staleAfterYears: 0, counts: empty };
  const policy = {
    ...loaded.files.policy,
    ...(options.staleAfterYears !== undefined ? { stale_after_years: options.staleAfterYears } : {}),
  };
  const files = { ...loaded.files, policy };
  const staleness = checkStaleness(files, options.today ?? new Date());
  const conflicts = checkConflicts(files);
  const translations = checkTranslations(files);
  const sources = checkSources(files);
  const contacts = checkContacts(files);
  const ruleFacts = checkRuleFacts(files);
  const problems = [
    ...staleness.problems,
    ...conflicts.problems,
    ...translations.problems,
    ...sources.problems,
    ...contacts.problems,
    ...ruleFacts.problems,
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    problems,
    recheck: staleness.recheck,
    staleAfterYears: policy.stale_after_years,
    counts: {
      leaflets: files.leaflets.length,
      translations: translations.checked + ruleFacts.checked,
      sources: sources.checked,
      figures: staleness.figures,
      phoneNumbers: contacts.numbers,
      quantitiesCompared: conflicts.compared,
    },
  };
}
