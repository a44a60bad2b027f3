import type { Store } from "../../src/store/store.js";

/** WhatsApp lets a business write freely only within 24 hours of the person's last message. */
export const windowMs = 24 * 3600 * 1000;
/** The mark outlives the window a little, so a late check still finds it. */
const markTtlSeconds = 2 * 86_400;

export function lastInboundKey(conversation: string): string {
  return `whatsapp:last-inbound:${conversation}`;
}

/** Sending to a person outside the 24-hour window, with no approved template configured to do it. */
export class OutsideWindowError extends Error {
  readonly code = "WHATSAPP_OUTSIDE_WINDOW";
  constructor() {
    super(
      "WhatsApp allows free-form messages only within 24 hours of the person's last message; " +
        "set WHATSAPP_CLOUD_TEMPLATE to reach them with an approved template",
    );
    this.name = "OutsideWindowError";
  }
}

/** The customer service window of each conversation, from the time of the person's last message. */
export class ServiceWindow {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async recordInbound(conversation: string, at: number): Promise<void> {
    const key = lastInboundKey(conversation);
    const atIso = new Date(at).toISOString();
    // Keeps the latest time when a retried, older webhook comes in after a newer one.
    await this.store.update(key, (current) => (current && current > atIso ? current : atIso), {
      ttlSeconds: markTtlSeconds,
    });
  }

  async isOpen(conversation: string): Promise<boolean> {
    const last = await this.store.get(lastInboundKey(conversation));
    if (!last) return false;
    const at = Date.parse(last);
    return Number.isFinite(at) && this.now() - at < windowMs;
  }

  async forget(conversation: string): Promise<void> {
    await this.store.delete([lastInboundKey(conversation)]);
  }
}
