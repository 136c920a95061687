// Paces outbound calls: an app-wide rate, a per-recipient rate, and a pause when the platform says "slow down".
import { realSleep, type Sleep } from './retry.js';

export interface RateGateOptions {
  /** Calls per second for the whole app (Feishu: 50/s for message APIs). */
  perSecond: number;
  /** Calls per second to one chat or user (Feishu: 5 QPS). */
  perRecipientPerSecond: number;
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Hands out time slots: each call reserves the earliest slot that respects both rates, then
 * sleeps until it. Reserving synchronously keeps concurrent callers from sharing a slot.
 */
export class RateGate {
  private appNext = 0;
  private readonly recipientNext = new Map<string, number>();
  private readonly appGap: number;
  private readonly recipientGap: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(opts: RateGateOptions) {
    this.appGap = 1000 / opts.perSecond;
    this.recipientGap = 1000 / opts.perRecipientPerSecond;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  async acquire(recipient: string | null): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.appNext, recipient ? (this.recipientNext.get(recipient) ?? 0) : 0);
    this.appNext = slot + this.appGap;
    if (recipient) {
      this.recipientNext.set(recipient, slot + this.recipientGap);
      if (this.recipientNext.size > 10_000) this.forgetPast(now);
    }
    if (slot > now) await this.sleep(slot - now);
  }

  /** The platform answered "rate limited, retry after ms": nobody calls before then. */
  pause(ms: number): void {
    this.appNext = Math.max(this.appNext, this.now() + ms);
  }

  private forgetPast(now: number): void {
    for (const [key, at] of this.recipientNext) if (at <= now) this.recipientNext.delete(key);
  }
}
