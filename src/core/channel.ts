import type { Address, ChannelName, InboundInput, Outbound } from "./message.js";

/**
 * What every channel adapter offers the core. Each lives in `channels/<name>/` and is the only code
 * that imports its channel's library. `send` is how replies that are not answers to a message
 * (a counsellor's words, a reminder) reach the user.
 */
export interface ChannelAdapter {
  readonly name: ChannelName;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(address: Address, messages: readonly Outbound[]): Promise<void>;
}

/**
 * How a channel reaches the bot. The server starts before the knowledge index is loaded (so /healthz
 * answers at once); until then `ready` is false and `receive` throws RAHNAMA_ERR_INDEX_NOT_READY.
 */
export interface BotPort {
  readonly ready: boolean;
  receive(input: InboundInput): Promise<Outbound[]>;
}
