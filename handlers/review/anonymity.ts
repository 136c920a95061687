// The rater's keyed hash: stable per (round, rater) so a resubmit replaces the ballot, and
// meaningless without the secret, which lives in configuration, not in the database.
import { createHmac } from 'node:crypto';
import { InputError } from '../../bot/errors.js';

export function raterTag(secret: string, roundId: number, memberId: number): string {
  return createHmac('sha256', secret).update(`ballot:${roundId}:${memberId}`).digest('hex').slice(0, 32);
}

export function requireSecret(secret: string | null): string {
  if (!secret) throw new InputError('配置', '匿名评议需要配置 REVIEW_SECRET（或飞书应用凭证），请联系管理员。');
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
