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
