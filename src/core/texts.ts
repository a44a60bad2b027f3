import { fallbackChain, replyLanguages, type LanguageCode } from "../i18n/languages.js";

/** Texts of one namespace (an intent, or `common`): key → language → text. */
export type TextTable = Readonly<Record<string, Readonly<Partial<Record<LanguageCode, string>>>>>;

export interface LocalText {
  readonly text: string;
  /** The language the text is really in (differs from the asked one after a fallback). */
  readonly lang: LanguageCode;
  readonly fallback: boolean;
}

/** Shown before a text that is not in the user's language, so the gap is visible, not silent. */
const fallbackMarker: Partial<Record<LanguageCode, string>> = { eng: "[English] ", rus: "[Русский] " };

/**
 * Every user-facing string, looked up by namespace and key in the user's language, falling back
 * (visibly marked) to a related language and then English.
 */
export class TextCatalogue {
  readonly #tables = new Map<string, TextTable>();

  add(namespace: string, table: TextTable): void {
    this.#tables.set(namespace, table);
  }

  has(namespace: string, key: string): boolean {
    return this.#tables.get(namespace)?.[key] !== undefined;
  }

  get(
    namespace: string,
    key: string,
    lang: LanguageCode,
    vars: Readonly<Record<string, string | number>> = {},
  ): LocalText {
    const entry = this.#tables.get(namespace)?.[key];
    if (!entry) throw new Error(`No text ${namespace}.${key}`);
    for (const candidate of fallbackChain(lang)) {
      const text = entry[candidate];
      if (text !== undefined) {
        const fallback = candidate !== lang;
        const marker = fallback ? (fallbackMarker[candidate] ?? "") : "";
        return { text: marker + fill(text, vars), lang: candidate, fallback };
      }
    }
    throw new Error(`Text ${namespace}.${key} has no English version`);
  }

  /** Texts missing in a reply language, as `namespace.key: lang` lines (logged at start-up). */
  missingTranslations(): string[] {
    const missing: string[] = [];
    for (const [namespace, table] of this.#tables) {
      for (const [key, entry] of Object.entries(table)) {
        const absent = replyLanguages.filter((lang) => entry[lang] === undefined);
        if (absent.length > 0) missing.push(`${namespace}.${key}: ${absent.join(", ")}`);
      }
    }
    return missing;
  }
}

function fill(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
