import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What operators scrape at /metrics. One registry per app so tests can run several side by side. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "rahnama_process_" });
  return {
    registry,
    messagesIn: new Counter({
      name: "rahnama_messages_in_total",
      help: "Messages received from users, by channel",
      labelNames: ["channel"] as const,
      registers: [registry],
    }),
    messagesOut: new Counter({
      name: "rahnama_messages_out_total",
      help: "Messages sent to users, by channel",
      labelNames: ["channel"] as const,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: "rahnama_duplicate_messages_total",
      help: "Redelivered messages that were recognised and not answered twice",
      labelNames: ["channel"] as const,
      registers: [registry],
    }),
    turnSeconds: new Histogram({
      name: "rahnama_turn_duration_seconds",
      help: "Time to handle one message, by the path that answered it",
      labelNames: ["path"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    intents: new Counter({
      name: "rahnama_intents_total",
      help: "Turns answered by each intent",
      labelNames: ["intent"] as const,
      registers: [registry],
    }),
    retrieval: new Counter({
      name: "rahnama_retrieval_total",
      help: "Knowledge searches, by whether a good-enough passage was found",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    handoffs: new Counter({
      name: "rahnama_handoffs_total",
      help: "Requests for a counsellor, by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    handoffQueue: new Gauge({
      name: "rahnama_handoff_queue",
      help: "People waiting for a counsellor, by priority (updated by the queue watch every minute)",
      labelNames: ["priority"] as const,
      registers: [registry],
    }),
    handoffWaitSeconds: new Histogram({
      name: "rahnama_handoff_wait_seconds",
      help: "Time from asking for a counsellor to a counsellor taking the conversation, by desk",
      labelNames: ["desk"] as const,
      buckets: [60, 300, 600, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 72 * 3600],
      registers: [registry],
    }),
    safetyTriage: new Counter({
      name: "rahnama_safety_triage_total",
      help: "Messages the safety check was unsure of and asked whether someone is in danger now",
      registers: [registry],
    }),
    safetyHits: new Counter({
      name: "rahnama_safety_escalations_total",
      help: "Messages the safety check escalated, by category",
      labelNames: ["category"] as const,
      registers: [registry],
    }),
    safetyUnstored: new Counter({
      name: "rahnama_safety_escalations_unstored_total",
      help: "Messages that read as a cry for help whose turn failed before it was stored (the channel is asked to deliver them again)",
      registers: [registry],
    }),
    feedback: new Counter({
      name: "rahnama_feedback_total",
      help: "Feedback ratings given by users (1-5), about the bot or a counsellor",
      labelNames: ["rating", "about"] as const,
      registers: [registry],
    }),
    erasures: new Counter({
      name: "rahnama_erasures_total",
      help: "Conversations erased at the user's request",
      registers: [registry],
    }),
    flowOutcomes: new Counter({
      name: "rahnama_flow_outcomes_total",
      help: "Guided flows finished, by flow and outcome",
      labelNames: ["flow", "outcome"] as const,
      registers: [registry],
    }),
    turnErrors: new Counter({
      name: "rahnama_turn_errors_total",
      help: "Turns that failed or timed out, by error code",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
