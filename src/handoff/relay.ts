import type { ChannelAdapter } from "../core/channel.js";
import type { Conversation } from "../core/conversation.js";
import type { ChannelName, Outbound, QuickReply } from "../core/message.js";
import type { TextCatalogue } from "../core/texts.js";
import type { TranscriptEntry, TranscriptRepository } from "../core/transcript.js";
import { RahnamaError } from "../errors.js";
import { handoffSummary, toOutbound } from "../core/outbound.js";
import type { CounsellorDesk, Counsellor, ResolutionOutcome } from "./counsellor-desk.js";

/**
 * Carries a counsellor's words to the person on their own channel (web chat, Telegram, either
 * WhatsApp route, Bot Framework), after writing them to the transcript, and hands the conversation
 * back to the bot with a request for feedback when the counsellor resolves it.
 */
export class CounsellorRelay {
  constructor(
    private readonly desk: CounsellorDesk,
    private readonly deps: {
      readonly channels: () => ReadonlyMap<ChannelName, ChannelAdapter>;
      readonly transcripts: TranscriptRepository;
      readonly texts: TextCatalogue;
      readonly conversation: (key: string) => Promise<Conversation | null>;
    },
  ) {}

  /** Sends a counsellor's reply; only the counsellor holding the conversation (or a supervisor) may. */
  async reply(key: string, counsellor: Counsellor, text: string, at: Date): Promise<void> {
    const conversation = await this.deps.conversation(key);
    if (!conversation) throw new RahnamaError("NOT_FOUND", "No such conversation");
    this.desk.assertMayAct(conversation, counsellor);
    // The bot and the counsellor write from the same account on every channel: the person must know
    // a human is speaking now, and who.
    const label = this.deps.texts.get("counsellor", "from_counsellor", conversation.lang ?? "eng", {
      name: counsellor.name ?? counsellor.id,
    });
    await this.#deliver(conversation, { at: at.toISOString(), from: "counsellor", text }, `${label.text}\n${text}`);
  }

  /** The bot's own words to a queued person outside a turn (the queue watch's "your wait grew"). */
  async notify(key: string, text: string, at: Date): Promise<void> {
    const conversation = await this.deps.conversation(key);
    if (!conversation) throw new RahnamaError("NOT_FOUND", "No such conversation");
    await this.#deliver(conversation, { at: at.toISOString(), from: "bot", text, intent: "counsellor" }, text);
  }

  /** Resolves, then asks the person (in their language, on their channel) how helpful it was. */
  async resolve(key: string, counsellor: Counsellor, outcome: ResolutionOutcome, at: Date): Promise<void> {
    const conversation = await this.desk.resolve(key, counsellor, outcome, at, {
      // The person's next message answers the rating question (the feedback flow's first step).
      flow: { id: "feedback", step: "rating", data: { about: "counsellor" }, startedAt: at.toISOString(), retries: 0 },
    });
    const lang = conversation.lang ?? "eng";
    // Said as the bot, about the counsellor: "how helpful was I?" would be asked of the wrong one.
    const ask = this.deps.texts.get("counsellor", "resolved_ask_rating", lang);
    const ratings: QuickReply[] = [1, 2, 3, 4, 5].map((rating) => ({
      title: String(rating),
      action: `flow:rating:${String(rating)}`,
    }));
    await this.#deliver(
      conversation,
      { at: at.toISOString(), from: "bot", text: ask.text, intent: "feedback" },
      ask.text,
      ratings,
    );
  }

  /**
   * Writes the entry to the transcript, then sends `text` on the person's channel. Written first: a
   * message the channel then fails to deliver is still in the console's transcript.
   */
  async #deliver(
    conversation: Conversation,
    entry: TranscriptEntry,
    text: string,
    quickReplies: readonly QuickReply[] = [],
  ): Promise<void> {
    await this.deps.transcripts.append(conversation.key, [entry]);
    const lang = conversation.lang ?? "eng";
    const outbound = toOutbound(
      { text, lang, quickReplies, citations: [] },
      {
        intent: null,
        confidence: null,
        lang,
        handoff: handoffSummary(conversation.handoff.status),
        safety: conversation.safety,
      },
    );
    await this.#send(conversation, [outbound]);
  }

  async #send(conversation: Conversation, messages: readonly Outbound[]): Promise<void> {
    const channel = this.deps.channels().get(conversation.address.channel);
    if (!channel) {
      throw new RahnamaError("HANDOFF_CONFLICT", `The ${conversation.address.channel} channel is not running`, {
        details: { channel: conversation.address.channel },
      });
    }
    try {
      await channel.send(conversation.address, messages);
    } catch (error) {
      // The words are in the transcript already; the console must say they did not arrive, and why
      // (WhatsApp's 24-hour window, a blocked bot, a channel that is down), and the transcript too.
      const reason = error instanceof Error ? error.message : String(error);
      await this.deps.transcripts.append(conversation.key, [
        { at: new Date().toISOString(), from: "system", text: `Not delivered: ${reason}` },
      ]);
      throw new RahnamaError("CHANNEL_UNDELIVERED", `Not delivered on ${conversation.address.channel}: ${reason}`, {
        cause: error,
        details: { channel: conversation.address.channel },
      });
    }
  }
}
