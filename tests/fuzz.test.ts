// The webhook fuzz as a test: seeded hostile cases of every class (tests/fuzz/) through the real bot never
// get a status >= 500, and a few pinned inputs get the status they must. `npm run fuzz` runs more cases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FUZZ_CLASSES } from './fuzz/payloads.js';
import { formatReport, runFuzz } from './fuzz/run.js';
import { cardActionEvent, messageEvent, wire } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';

const SEED = 20260;

describe('fuzzing POST /webhooks/feishu', () => {
  it('answers 400 seeded hostile cases of every class, none with a status >= 500', async () => {
    const report = await runFuzz({ n: 400, seed: SEED });
    const text = formatReport(report);
    expect(report.org.error, text).toBeUndefined();
    expect(
      report.failures.map((f) => `#${f.index} ${f.cls}/${f.variant} -> ${f.status}: ${f.log[0] ?? f.response}`),
      text,
    ).toEqual([]);
    for (const cls of FUZZ_CLASSES) {
      const answered = Object.values(report.byClass[cls]).reduce((a, b) => a + b, 0);
      expect(answered, `${cls} produced no response`).toBeGreaterThan(0);
    }
    // The controls must work, or every hostile answer above proves nothing.
    expect(Object.keys(report.byClass.valid), text).toEqual(['200']);
  }, 60_000);
});

describe('pinned hostile inputs', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => bot.close());

  it('answers 400 to a body that is not JSON', async () => {
    expect((await bot.post('{"encrypt": "abc"', { 'content-type': 'application/json' })).status).toBe(400);
  });

  it('answers 401 to a wrong signature', async () => {
    const timestamp = String(Math.floor(bot.clock.now().getTime() / 1000));
    const { body, headers } = wire(messageEvent({ from: 'ou_a', text: '/帮助' }), { timestamp });
    expect((await bot.post(body, { ...headers, 'x-lark-signature': 'f'.repeat(64) })).status).toBe(401);
  });

  it.each([
    ['{"toString":1}', { toString: 1 }],
    ['{"valueOf":null,"toString":null}', { valueOf: null, toString: null }],
  ])('answers a validly signed card whose v is %s with a status < 500', async (_, v) => {
    const res = await bot.deliver(cardActionEvent({ from: 'ou_a2', value: { a: 'pledge.submit', v, p: '1' } }));
    expect(res.status).toBeLessThan(500);
    await bot.settle();
  });
});
