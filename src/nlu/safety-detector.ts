import { decideSafety, type LoadedCrisisModel } from "./crisis-model-file.js";
import { crisisCategory, crisisScore } from "./crisis-scorer.js";
import { safetyCategories, type SafetyCategory } from "./intent-files.js";
import { lightStem, words } from "./normalise-text.js";

export interface SafetyHit {
  readonly category: SafetyCategory;
  /** The pattern that matched, for tests and audits (never logged with the message). */
  readonly pattern: string;
}

/**
 * What the safety check makes of a message: escalate to a counsellor at once, ask whether someone is in
 * danger now (triage), or nothing. `score` is the learned scorer's probability (null without a model).
 */
export type SafetyVerdict =
  | {
      readonly decision: "escalate" | "triage";
      readonly category: SafetyCategory;
      readonly score: number | null;
      /** The lexicon pattern that matched, if one did (for tests and audits; never logged with the message). */
      readonly pattern: string | null;
    }
  | { readonly decision: "ordinary"; readonly score: number | null };

/** The category model's medical emergency wins over a lexicon category from this probability: first aid comes first. */
const medicalOverLexicon = 0.5;

/** The safety intent's data: concept word lists, patterns per category, and ordinary framings. */
export interface SafetyRules {
  /** Named lists of words and phrases (all languages together), referred to as `@name` in patterns. */
  readonly lexicon: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Per category, per language (or `any`), patterns. */
  readonly triggers: Readonly<Partial<Record<SafetyCategory, Readonly<Record<string, readonly string[]>>>>>;
  /**
   * Patterns of an ordinary framing — a definition, a hypothetical, a law question, a solved past
   * problem — that cancel a hit unless the message also matches `@urgent`.
   */
  readonly ordinary: Readonly<Record<string, readonly string[]>>;
}

/** One alternative of a token: a word, a word prefix (`confiscat*`) or a phrase (`kill_myself`). */
interface Alternative {
  readonly words: readonly string[];
  readonly prefix: boolean;
}

interface CompiledPattern {
  readonly category: SafetyCategory | "ordinary";
  readonly source: string;
  /** Every token must be found in the message; a token matches when any alternative does. */
  readonly tokens: readonly Token[];
  /** Tokens written `!token`: the pattern fails when any of their alternatives is found. */
  readonly absent: readonly Token[];
}

/** A token of a pattern: its text (`@doc|passport*`), the same in every pattern that uses it, and its alternatives. */
interface Token {
  readonly key: string;
  readonly alternatives: readonly Alternative[];
}

function alternative(text: string): Alternative {
  const prefix = text.endsWith("*");
  const phrase = prefix ? text.slice(0, -1) : text;
  return { words: phrase.split(/[_\s]+/).flatMap((part) => words(part)), prefix };
}

/**
 * Pattern syntax (data in `intents/safety/intent.yaml`): tokens separated by spaces must all occur,
 * in any order; `!token` must not occur; `a|b` are alternatives; `word*` matches any word starting with `word`; `kill_myself`
 * is a phrase of consecutive words; `@name` stands for every entry of the lexicon list `name`, in
 * every language (people mix languages: "passport malik er kase").
 */
export function compilePattern(
  category: SafetyCategory | "ordinary",
  source: string,
  lexicon: SafetyRules["lexicon"] = {},
): CompiledPattern {
  const expand = (token: string): Token => ({
    key: token,
    alternatives: token.split("|").flatMap((part) => {
      if (!part.startsWith("@")) return [alternative(part)];
      const list = lexicon[part.slice(1)];
      if (!list) throw new Error(`Safety pattern "${source}" names an unknown lexicon list ${part}`);
      return Object.values(list).flat().map(alternative);
    }),
  });
  const all = source.trim().split(/\s+/);
  const tokens = all.filter((token) => !token.startsWith("!")).map(expand);
  const absent = all.filter((token) => token.startsWith("!")).map((token) => expand(token.slice(1)));
  return { category, source, tokens, absent };
}

function alternativeMatches(message: readonly string[], stemmed: readonly string[], alt: Alternative): boolean {
  const { words: phrase, prefix } = alt;
  if (phrase.length === 0) return false;
  for (const list of [message, stemmed]) {
    for (let start = 0; start + phrase.length <= list.length; start += 1) {
      const matched = phrase.every((word, i) => {
        const candidate = list[start + i] ?? "";
        const last = i === phrase.length - 1;
        return last && prefix ? candidate.startsWith(word) : candidate === word;
      });
      if (matched) return true;
    }
  }
  return false;
}

/**
 * A message as patterns read it. The same tokens (`@actor`, `@doc_mine`) recur in hundreds of patterns:
 * whether each is in the message is worked out once per message.
 */
class MessageWords {
  readonly #seen = new Map<string, boolean>();
  readonly #all: ReadonlySet<string>;
  /** Every beginning of every word: a prefix alternative (`confiscat*`) of one word is a lookup. */
  readonly #beginnings: ReadonlySet<string>;

  constructor(
    readonly words: readonly string[],
    readonly stemmed: readonly string[],
  ) {
    this.#all = new Set([...words, ...stemmed]);
    const beginnings = new Set<string>();
    for (const word of this.#all) for (let end = 1; end <= word.length; end += 1) beginnings.add(word.slice(0, end));
    this.#beginnings = beginnings;
  }

  has(token: Token): boolean {
    let found = this.#seen.get(token.key);
    if (found === undefined) {
      found = token.alternatives.some((alt) => this.#matches(alt));
      this.#seen.set(token.key, found);
    }
    return found;
  }

  #matches(alt: Alternative): boolean {
    const [first] = alt.words;
    if (first === undefined) return false;
    if (alt.words.length === 1) return alt.prefix ? this.#beginnings.has(first) : this.#all.has(first);
    // A phrase can only start where its first word is.
    return this.#all.has(first) && alternativeMatches(this.words, this.stemmed, alt);
  }
}

/** Arabic glues "and", "my", "the" to words: each word is also tried without its Arabic prefix. */
function readMessage(text: string): MessageWords {
  const message = words(text);
  return new MessageWords(
    message,
    message.map((word) => lightStem(word, "ara")),
  );
}

function matches(pattern: CompiledPattern, message: MessageWords): boolean {
  return pattern.tokens.every((token) => message.has(token)) && !pattern.absent.some((token) => message.has(token));
}

/**
 * Finds messages that must go to a person at once: trafficking, forced labour, debt bondage,
 * confiscated documents, violence, sexual abuse, threats to life, suicide, unpaid wages. Patterns of
 * every language are tried on every message, because people mix languages and language detection can
 * be wrong. A question asked in an ordinary way ("what is debt bondage?", "is it legal to keep a
 * passport?", "last year they kept it but gave it back") is not an emergency unless it also says it
 * is urgent; recall matters more than precision, so the ordinary framings are kept narrow.
 */
/**
 * Ordinary framings ("if somebody…", "is it legal…") are how short questions are asked. A long account
 * of what is happening is a situation even when it contains such words ("…if somebody says no they
 * call the police…"), so framings are not looked for beyond this length.
 */
const ordinaryFramingMaxWords = 30;

export class SafetyDetector {
  readonly #patterns: CompiledPattern[] = [];
  readonly #ordinary: CompiledPattern[] = [];
  readonly #urgent: CompiledPattern | null;

  readonly #model: LoadedCrisisModel | null;

  constructor(rules: SafetyRules, model: LoadedCrisisModel | null = null) {
    this.#model = model;
    for (const [category, byLanguage] of Object.entries(rules.triggers) as [
      SafetyCategory,
      Record<string, readonly string[]>,
    ][]) {
      for (const patterns of Object.values(byLanguage)) {
        for (const pattern of patterns) this.#patterns.push(compilePattern(category, pattern, rules.lexicon));
      }
    }
    for (const patterns of Object.values(rules.ordinary)) {
      for (const pattern of patterns) this.#ordinary.push(compilePattern("ordinary", pattern, rules.lexicon));
    }
    this.#urgent = rules.lexicon.urgent ? compilePattern("ordinary", "@urgent", rules.lexicon) : null;
  }

  /** The detector of the `safety` intent among loaded intent files (an empty one if there is none). */
  static fromIntents(
    intents: readonly ({ readonly id: string } & SafetyRules)[],
    model: LoadedCrisisModel | null = null,
  ): SafetyDetector {
    const safety = intents.find((intent) => intent.id === "safety");
    return new SafetyDetector(
      {
        triggers: safety?.triggers ?? {},
        lexicon: safety?.lexicon ?? {},
        ordinary: safety?.ordinary ?? {},
      },
      model,
    );
  }

  /**
   * A short message asked the ordinary way (a law question, a definition, a hypothetical, a solved past
   * problem) without an urgent word: the framings that cancel a lexicon match.
   */
  ordinaryFraming(text: string): boolean {
    return this.#framedIn(readMessage(text));
  }

  get hasModel(): boolean {
    return this.#model !== null;
  }

  /**
   * The lexicon and the learned scorer together, with the thresholds the model was calibrated with on
   * authors it never saw: a confident score escalates; a lexicon match escalates unless the scorer finds it
   * very unlikely; in between, the bot asks. Without a model the lexicon decides alone.
   */
  /**
   * `context.answering`: the message answers a guided flow's question; `context.followUp`: it follows up
   * the previous question ("and if…"), a question rather than an account.
   */
  judge(text: string, context: { answering?: boolean; followUp?: boolean } = {}): SafetyVerdict {
    // Read once: the lexicon, its framings and the word count share the message's words and lookups.
    const read = readMessage(text);
    const hit = this.#hitIn(read);
    const model = this.#model;
    if (!model)
      return hit
        ? { decision: "escalate", category: hit.category, score: null, pattern: hit.pattern }
        : { decision: "ordinary", score: null };
    // A bare number or emoji has no words for the scorer to read: the lexicon decides alone.
    const score = /\p{L}/u.test(text) ? crisisScore(model.crisis, text) : null;
    const decision = decideSafety(
      {
        score,
        lexicon: hit !== null,
        words: read.words.length,
        framed: context.followUp === true || this.#framedIn(read),
        answering: context.answering === true,
      },
      model.thresholds,
    );
    if (decision === "ordinary") return { decision, score };
    const guessed = crisisCategory(model.categories, text);
    const modelCategory = (safetyCategories as readonly string[]).includes(guessed.category)
      ? (guessed.category as SafetyCategory)
      : "threat-to-life";
    const category =
      hit && !(modelCategory === "medical-emergency" && guessed.probability >= medicalOverLexicon)
        ? hit.category
        : modelCategory;
    return { decision, category, score, pattern: hit?.pattern ?? null };
  }

  get patternCount(): number {
    return this.#patterns.length;
  }

  detect(text: string): SafetyHit | null {
    return this.#hitIn(readMessage(text));
  }

  #hitIn(read: MessageWords): SafetyHit | null {
    if (read.words.length === 0) return null;
    const hit = this.#patterns.find((pattern) => matches(pattern, read));
    if (!hit || hit.category === "ordinary") return null;
    if (this.#framedIn(read)) return null;
    return { category: hit.category, pattern: hit.source };
  }

  /** An ordinary framing without an urgent word, in a message short enough for framings to count. */
  #framedIn(read: MessageWords): boolean {
    if (read.words.length === 0 || read.words.length > ordinaryFramingMaxWords) return false;
    return this.#ordinary.some((pattern) => matches(pattern, read)) && !(this.#urgent && matches(this.#urgent, read));
  }
}
