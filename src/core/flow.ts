import type { FlowState } from "./conversation.js";
import type { TurnContext } from "./turn.js";

/**
 * A guided conversation of several turns (checking a job offer, a fee, help for returnees). The state
 * lives in the conversation record, so a flow resumes where it was after a restart; "stop"/"menu" in
 * any language ends it.
 */
export interface Flow {
  readonly id: string;
  /** Starts the flow from its intent (or a quick reply). */
  start(ctx: TurnContext): Promise<void>;
  /**
   * Handles a message while the flow is active. Returning "pass" says the message is not an answer (a
   * new question typed mid-flow): the flow ends and the message is handled as any other.
   */
  // The usual case (the flow answered) returns nothing; only a pass needs saying.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  resume(ctx: TurnContext, state: FlowState): Promise<void | "pass">;
}

/** Flows left unfinished this long are dropped, so a message days later is not read as an answer. */
export const flowTimeoutMs = 24 * 60 * 60 * 1000;

/** Quick-reply payload of a flow answer, e.g. `flow:yes`, `flow:country:SA`. */
export function flowAnswer(ctx: TurnContext): string | null {
  const action = ctx.inbound.action;
  return action?.startsWith("flow:") ? action.slice("flow:".length) : null;
}
