import type { LanguageCode } from "../i18n/languages.js";
import type { IntentDefinition, SafetyCategory } from "./intent-files.js";
import { words } from "./normalise-text.js";

export interface SafetyHit {
  readonly category: SafetyCategory;
  /** The pattern that matched, for tests and audits (never logged with the message). */
  readonly pattern: string;
}

/** One alternative of a token: a word, a word prefix (`confiscat*`) or a phrase (`kill_myself`). */
interface Alternative {
  readonly words: readonly string[];
  readonly prefix: boolean;
}

interface CompiledPattern {
  readonly category: SafetyCategory;
  readonly source: string;
  /** Every token must be found in the message; a token matches when any alternative does. */
  readonly tokens: readonly (readonly Alternative[])[];
}

/**
 * Pattern syntax (data in `intents/safety/intent.yaml`): tokens separated by spaces must all occur,
 * in any order; `a|b` are alternatives; `word*` matches any word starting with `word`; `kill_myself`
 * is a phrase of consecutive words. Scripts without inflection-friendly word boundaries use prefixes.
 */
export function compilePattern(category: SafetyCategory, source: string): CompiledPattern {
  const tokens = source
    .trim()
    .split(/\s+/)
    .map((token) =>
      token.split("|").map((alternative) => {
        const prefix = alternative.endsWith("*");
        const phrase = prefix ? alternative.slice(0, -1) : alternative;
        return { words: phrase.split("_").flatMap((part) => words(part)), prefix };
      }),
    );
  return { category, source, tokens };
}

function alternativeMatches(message: readonly string[], alternative: Alternative): boolean {
  const { words: phrase, prefix } = alternative;
  if (phrase.length === 0) return false;
  for (let start = 0; start + phrase.length <= message.length; start += 1) {
    const matched = phrase.every((word, i) => {
      const candidate = message[start + i] ?? "";
      const last = i === phrase.length - 1;
      return last && prefix ? candidate.startsWith(word) : candidate === word;
    });
    if (matched) return true;
  }
  return false;
}

/**
 * Finds messages that must go to a person at once: trafficking, forced labour, debt bondage,
 * confiscated documents, violence, sexual abuse, threats to life, suicide, unpaid wages. Patterns of
 * every language are tried on every message, because people mix languages and detection can be wrong.
 */
export class SafetyDetector {
  readonly #patterns: CompiledPattern[];

  constructor(triggers: IntentDefinition["triggers"]) {
    this.#patterns = [];
    for (const [category, byLanguage] of Object.entries(triggers) as [
      SafetyCategory,
      Partial<Record<LanguageCode, readonly string[]>>,
    ][]) {
      for (const patterns of Object.values(byLanguage)) {
        for (const pattern of patterns ?? []) this.#patterns.push(compilePattern(category, pattern));
      }
    }
  }

  get patternCount(): number {
    return this.#patterns.length;
  }

  detect(text: string): SafetyHit | null {
    const message = words(text);
    if (message.length === 0) return null;
    for (const pattern of this.#patterns) {
      if (pattern.tokens.every((alternatives) => alternatives.some((alt) => alternativeMatches(message, alt)))) {
        return { category: pattern.category, pattern: pattern.source };
      }
    }
    return null;
  }
}
