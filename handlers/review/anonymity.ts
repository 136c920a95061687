// Ballot tags: a keyed hash per (round, rater, ratee). Stable, so a resubmit replaces the line;
// different for every line, so lines cannot be grouped by rater; meaningless without the secret,
// which lives in configuration, not in the database.
import { createHmac } from 'node:crypto';
import { InputError } from '../../bot/errors.js';

/** The tags of one rater's lines in a round: derive the rater's key once, then one HMAC per ratee. */
export function raterTags(secret: string, roundId: number, raterId: number): (rateeId: number) => string {
  const key = createHmac('sha256', secret).update(`ballot:${roundId}:${raterId}`).digest();
  return (rateeId) => createHmac('sha256', key).update(String(rateeId)).digest('hex').slice(0, 32);
}

/** The rater's "done" marker: keyed on (round, rater) alone, unrelated to any line's tag. */
export function voterTag(secret: string, roundId: number, raterId: number): string {
  return createHmac('sha256', secret).update(`voted:${roundId}:${raterId}`).digest('hex').slice(0, 32);
}

export function requireSecret(secret: string | null): string {
  if (!secret) throw new InputError('配置', '匿名评议需要配置 REVIEW_SECRET，请联系管理员。');
  return secret;
}

/** Fisher–Yates with an injectable random source, so comment order carries no information. */
export function shuffled<T>(items: T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
