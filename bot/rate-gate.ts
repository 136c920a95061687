// Paces outbound calls: an app-wide rate, a per-recipient rate, and a pause when the platform says "slow down".
import { realSleep, type Sleep } from './retry.js';

export interface RateGateOptions {
  /** Calls per second for the whole app (Feishu: 50/s for message APIs). */
  perSecond: number;
  /** Calls per second to one chat or user (Feishu: 5 QPS). */
  perRecipientPerSecond: number;
  /**
   * Share of the app rate kept in reserve (default 2 %): pacing at exactly the limit lets event-loop
   * jitter put 51 calls into one second now and then, and each 429 stalls everyone for a second.
   */
  margin?: number;
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Hands out time slots: each call reserves the earliest slot that respects both rates, then
 * sleeps until it. Reserving synchronously keeps concurrent callers from sharing a slot.
 */
export class RateGate {
  private appNext = 0;
  private pausedUntil = 0;
  private readonly recipientNext = new Map<string, number>();
  private readonly appGap: number;
  private readonly recipientGap: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(opts: RateGateOptions) {
    this.appGap = 1000 / (opts.perSecond * (1 - (opts.margin ?? 0.02)));
    this.recipientGap = 1000 / opts.perRecipientPerSecond;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  async acquire(recipient: string | null): Promise<void> {
    for (;;) {
      const now = this.now();
      const slot = Math.max(now, this.appNext, recipient ? (this.recipientNext.get(recipient) ?? 0) : 0);
      this.appNext = slot + this.appGap;
      if (recipient) {
        this.recipientNext.set(recipient, slot + this.recipientGap);
        if (this.recipientNext.size > 10_000) this.forgetPast(now);
      }
      if (slot > now) await this.sleep(slot - now);
      // A pause that began while we waited holds back slots reserved before it, too.
      if (this.now() >= this.pausedUntil) return;
    }
  }

  /** The platform answered "rate limited, retry after ms": nobody calls before then. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.appNext = Math.max(this.appNext, this.pausedUntil);
  }

  private forgetPast(now: number): void {
    for (const [key, at] of this.recipientNext) if (at <= now) this.recipientNext.delete(key);
  }
}
