import type { LanguageCode } from "../i18n/languages.js";

/**
 * When neither search is sure of its best passage, a chosen section still answers if it holds at least this
 * share of the question's rarer words (its "coverage"); below it the bot says it has no leaflet for this.
 * Fitted per language on the dev parts of the key-fact sets by `npm run eval:calibrate`, which prints the
 * table to paste here; a language without enough dev questions keeps the default.
 */
export const defaultAnswerThreshold = 0.3;

export const answerThresholds: Readonly<Partial<Record<LanguageCode, number>>> = {};

export function answerThreshold(lang: LanguageCode): number {
  return answerThresholds[lang] ?? defaultAnswerThreshold;
}

/**
 * Even when a search is sure of its leaflet, a section holding less than this share of the question's rarer
 * words is not quoted: outside English (no embeddings) such a section is about something else (the patent's
 * price for a question about a pension). Read on the dev parts (2026-12-07): at 0.15 it turned Russian and
 * Pashto questions no leaflet answers into honest refusals at no cost to answers; in Arabic, Dari and Uzbek it
 * refused answerable questions (Iraqi dialect words and Latin Uzbek spellings the leaflets never use keep
 * their coverage low), so they keep a lower bar. English is judged by its embeddings and has none.
 */
export const defaultWeakCoverage = 0.15;

export const weakCoverageBars: Readonly<Partial<Record<LanguageCode, number>>> = {
  eng: 0,
  ara: 0.05,
  fas: 0.05,
  uzb: 0,
};

export function weakCoverage(lang: LanguageCode): number {
  return weakCoverageBars[lang] ?? defaultWeakCoverage;
}
