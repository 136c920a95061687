// Signed personal links: who (platform, tenant, user), for what (a command of theirs), until when.
// The link is the credential, so it carries no secret and nothing is written until it checks out.
import type { PlatformId } from '../../types.js';
import { grantToken, readGrantToken } from './grant-token.js';

export interface PersonalLink {
  platform: PlatformId;
  tenantKey: string;
  userId: string;
  /** The command the page answers, e.g. "承诺" (its card is what the page shows). */
  purpose: string;
  expiresAt: Date;
}

const PURPOSE = 'personal-link';

export function linkToken(secret: string, link: PersonalLink): string {
  return grantToken(secret, PURPOSE, { p: link.platform, t: link.tenantKey, u: link.userId, k: link.purpose, e: link.expiresAt.getTime() });
}

export type LinkCheck = { ok: true; link: PersonalLink } | { ok: false; reason: 'invalid' | 'expired' };

export function readLinkToken(secret: string, token: string, now: Date): LinkCheck {
  const read = readGrantToken(secret, PURPOSE, token, now);
  if (!read.ok) return read;
  const r = read.fields;
  if (typeof r.p !== 'string' || typeof r.t !== 'string' || typeof r.u !== 'string' || typeof r.k !== 'string' || typeof r.e !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, link: { platform: r.p, tenantKey: r.t, userId: r.u, purpose: r.k, expiresAt: new Date(r.e) } };
}

/**
 * A link's purpose may be one card button instead of a command ("!" + JSON of label, action id,
 * version and args): its page shows that button, for a platform whose messages cannot carry
 * callback buttons (DingTalk). The button still runs as the link's person, with its access rule.
 */
export function buttonPurpose(b: { label: string; action: { id: string; v: number; args?: Record<string, string> } }): string {
  return `!${JSON.stringify({ l: b.label, a: b.action.id, v: b.action.v, r: b.action.args ?? {} })}`;
}

export function readButtonPurpose(purpose: string): { label: string; action: { id: string; v: number; args: Record<string, string> } } | null {
  if (!purpose.startsWith('!')) return null;
  try {
    const r = JSON.parse(purpose.slice(1)) as Record<string, unknown>;
    if (typeof r.l !== 'string' || typeof r.a !== 'string' || typeof r.v !== 'number' || typeof r.r !== 'object' || r.r === null) return null;
    const args: Record<string, string> = {};
    for (const [k, x] of Object.entries(r.r)) if (typeof x === 'string') args[k] = x;
    return { label: r.l, action: { id: r.a, v: r.v, args } };
  } catch {
    return null;
  }
}
