import type { Config } from "../config.js";
import type { FeeRules } from "../directory/fee-rules.js";
import type { RuleFacts } from "../directory/rule-facts.js";
import type { MrcDirectory } from "../directory/mrc-directory.js";
import type { Erasure } from "./erasure.js";
import type { Handoff } from "../handoff/handoff.js";
import { countriesMentioned, originFromLanguage } from "../i18n/countries.js";
import type { LanguageCode } from "../i18n/languages.js";
import type { ConversationLogFields, Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { HybridIntentClassifier } from "../nlu/intent-classifier.js";
import type { IntentDefinition, SafetyCategory } from "../nlu/intent-files.js";
import type { QuestionKind } from "../nlu/question-kind.js";
import type { SafetyDetector } from "../nlu/safety-detector.js";
import type { KnowledgeBase } from "../retrieval/knowledge-base.js";
import type { KnowledgeGaps } from "../retrieval/knowledge-gaps.js";
import type { KeyedHasher } from "../privacy/conversation-ref.js";
import type { InstanceLiveness } from "../store/instance-liveness.js";
import type { Store } from "../store/store.js";
import type { Conversation, ConversationRepository, FlowState } from "./conversation.js";
import type { Flow } from "./flow.js";
import type { Citation, Inbound, Outbound, QuickReply, RetrievalScore } from "./message.js";
import type { LocalText, TextCatalogue } from "./texts.js";
import type { TranscriptRepository } from "./transcript.js";
import type { Desks } from "../handoff/desks.js";
import type { CounsellorDesk } from "../handoff/counsellor-desk.js";

export type IntentHandler = (ctx: TurnContext) => Promise<void>;

export interface RegisteredIntent {
  readonly definition: IntentDefinition;
  readonly handler: IntentHandler;
}

/** Everything a stage or handler may use. Built once at start-up by main.ts. */
export interface BotServices {
  readonly config: Pick<Config, "DEFAULT_LANGUAGE" | "MAX_MESSAGE_CHARS" | "TURN_TIMEOUT_MS" | "DATA_RETENTION_DAYS">;
  readonly log: Logger;
  /** How a log line names a conversation: `{ conv }`, its keyed reference, never the key (a phone number). */
  readonly logConversation: (conversationKey: string) => ConversationLogFields;
  /** The deployment's keyed hash (USER_ID_SALT or DATA_DIR/user-id-salt), for conversationRef. */
  readonly userIds: KeyedHasher;
  readonly metrics: Metrics;
  readonly store: Store;
  /** This process among those sharing the store: claims on messages name it (see dedupe-stage.ts). */
  readonly instance: InstanceLiveness;
  readonly conversations: ConversationRepository;
  readonly transcripts: TranscriptRepository;
  readonly handoff: Handoff;
  /** The counsellors' side of handoff: queue, claim, transfer, resolve (the console uses it). */
  readonly desk: CounsellorDesk;
  /** Which counsellors serve a conversation, and when they are at work. */
  readonly desks: Desks;
  readonly texts: TextCatalogue;
  readonly knowledge: KnowledgeBase;
  readonly directory: MrcDirectory;
  readonly classifier: HybridIntentClassifier;
  readonly safety: SafetyDetector;
  readonly intents: ReadonlyMap<string, RegisteredIntent>;
  readonly flows: ReadonlyMap<string, Flow>;
  /** Whole messages that stop a flow, in every language, folded for matching. */
  readonly cancelWords: ReadonlySet<string>;
  readonly fees: FeeRules;
  /** Rules and figures answered directly (patent prices, deadlines, work bans). */
  readonly ruleFacts: RuleFacts;
  readonly erasure: Erasure;
  /** Questions the leaflets could not answer, for the MRC. */
  readonly gaps: KnowledgeGaps;
}

/** Which part of the bot produced the answer; a label on the latency histogram. */
export type TurnPath =
  "flow" | "duplicate" | "relayed" | "too-long" | "safety" | "action" | "intent" | "retrieval" | "error";

export interface ReplyDraft {
  readonly text: string;
  readonly lang: LanguageCode;
  readonly quickReplies: readonly QuickReply[];
  readonly citations: readonly Citation[];
}

/** The state of one turn: the message, the conversation, and the replies being built. */
export class TurnContext {
  conversation!: Conversation;
  /** The language to answer in; set by the language stage. */
  lang: LanguageCode;
  path: TurnPath = "intent";
  intent: { id: string; confidence: number } | null = null;
  safety = false;
  /** The safety check asked "is someone in danger right now?", or this message answers it. */
  triage = false;
  /** What the safety check found, when it fired. */
  safetyCategory: SafetyCategory | null = null;
  /** Intents the classifier found likely but not certain; offered as quick replies with the answer. */
  likelyIntents: string[] = [];
  /** When set, the greeting intent shows only the menu, with this prompt (e.g. after a flow stops). */
  menuPrompt: LocalText | null = null;
  /** Set by "delete my data": nothing of this turn may be saved afterwards. */
  erased = false;
  /** Set when the bot stopped waiting for this turn (it failed or timed out): nothing may be saved after. */
  abandoned = false;
  /** When the message first came, kept by its claim across a re-run; the time of its transcript line. */
  firstReceivedAt: string | null = null;
  /** This turn re-runs one whose process died mid-turn: what that one stored may be there already. */
  retried = false;
  /** The channel asked for the answer to be kept with the answered mark (ReceiveOptions.keepsAnswer). */
  keepsAnswer = false;
  /** A delivery of a message already answered, for a channel that keeps answers: the first answer. */
  answeredBefore: Outbound[] | null = null;
  /** Countries named in this message (used to widen the leaflet filter). */
  countriesInMessage: string[] = [];
  /**
   * The question as understood: the message itself, or for a follow-up ("and for Qatar?") the previous
   * question asked about the new place or group. Classification and search read this.
   */
  query: string;
  /** True when `query` came from a follow-up. */
  followUp = false;
  /** Set when a passage found by search is quoted: the evaluation checks none is quoted below threshold. */
  retrieval: RetrievalScore | null = null;
  /** The kinds of fact asked, when they come from this message alone and not from the whole `query`. */
  askedKinds: QuestionKind[] | null = null;
  /**
   * A follow-up that only says what is asked of the previous question ("yillik otpusk necha kun?" after
   * Oman's working hours): its own words, which the section to quote should hold.
   */
  focus: string | null = null;
  readonly replies: ReplyDraft[] = [];

  constructor(
    public inbound: Inbound,
    readonly services: BotServices,
    readonly now: Date,
  ) {
    this.lang = services.config.DEFAULT_LANGUAGE;
    this.query = inbound.text;
  }

  /**
   * Handles an earlier message instead of this one: after "No" to "is someone in danger right now?", the
   * question the person asked before gets its ordinary answer.
   */
  answerInstead(text: string): void {
    this.inbound = { ...this.inbound, text, action: undefined };
    this.query = text;
    this.countriesInMessage = countriesMentioned(text);
  }

  /** A text in the user's language (namespace is an intent id or `common`). */
  text(namespace: string, key: string, vars?: Readonly<Record<string, string | number>>): LocalText {
    return this.services.texts.get(namespace, key, this.lang, vars);
  }

  button(namespace: string, key: string, action: string): QuickReply {
    return { title: this.text(namespace, key).text, action };
  }

  say(
    text: LocalText | string,
    extras: { quickReplies?: readonly QuickReply[]; citations?: readonly Citation[] } = {},
  ): void {
    const local = typeof text === "string" ? { text, lang: this.lang } : text;
    this.replies.push({
      text: local.text,
      lang: local.lang,
      quickReplies: extras.quickReplies ?? [],
      citations: extras.citations ?? [],
    });
  }

  /** The country whose national offices this message names (the OEP: Pakistan), if only one's. */
  officeOrigin: string | null = null;

  /**
   * Where the person comes from: what they said, else the offices they name, else what their language
   * suggests (the last two never stored).
   */
  origin(): string | null {
    return this.conversation.country ?? this.officeOrigin ?? originFromLanguage(this.lang);
  }

  /** Countries to filter leaflets by: the user's own and any the message names. */
  countries(): string[] {
    const all = new Set(this.countriesInMessage);
    if (this.conversation.country) all.add(this.conversation.country);
    return [...all];
  }

  /** Begins a guided flow at `step`; it receives the following messages until it ends. */
  startFlow(id: string, step: string, data: FlowState["data"] = {}): void {
    this.conversation.flow = { id, step, data, startedAt: this.now.toISOString(), retries: 0 };
  }

  /** Moves the active flow to another step (and resets its retry count). */
  setFlowStep(step: string, data?: FlowState["data"]): void {
    const flow = this.conversation.flow;
    if (!flow) return;
    this.conversation.flow = { ...flow, step, data: data ?? flow.data, retries: 0 };
  }

  /**
   * Ends the active flow and counts how it ended (`rahnama_flow_outcomes_total`): "completed" or a
   * flow's own verdict ("high-risk", "over"), "cancelled", "switched" (a new question), "expired",
   * "safety" (a crisis took over).
   */
  endFlow(outcome = "completed"): void {
    const flow = this.conversation.flow;
    if (!flow) return;
    this.conversation.flow = null;
    this.services.metrics.flowOutcomes.inc({ flow: flow.id, outcome });
  }

  /** Runs another intent's handler (a quick reply, or one intent handing over to another). */
  async runIntent(id: string, confidence: number): Promise<void> {
    const intent = this.services.intents.get(id);
    if (!intent) throw new Error(`Unknown intent ${id}`);
    this.intent = { id, confidence };
    this.conversation.lastIntent = id;
    this.services.metrics.intents.inc({ intent: id });
    await intent.handler(this);
  }
}
