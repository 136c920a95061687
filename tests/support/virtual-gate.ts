// A rate gate on virtual time: its waits are recorded and advance the clock at once, so tests never sleep.
import { FEISHU_APP_RATE, FEISHU_RECIPIENT_RATE } from '../../bot/platforms/feishu/api.js';
import { RateGate } from '../../bot/rate-gate.js';

export interface VirtualTime {
  now: number;
  waits: number[];
}

export function virtualGate(time: VirtualTime, margin?: number): RateGate {
  return new RateGate({
    perSecond: FEISHU_APP_RATE,
    perRecipientPerSecond: FEISHU_RECIPIENT_RATE,
    margin,
    now: () => time.now,
    sleep: async (ms) => {
      time.waits.push(ms);
      time.now += ms;
    },
  });
}
