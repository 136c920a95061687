// A person's 政治面貌, as the roster records it, and the words people type or write in a spreadsheet for it.

/** `pending`: arrived through /同步 and not yet confirmed by a secretary (待确认). */
export const POLITICAL_STATUSES = ['full', 'probationary', 'activist', 'masses', 'pending'] as const;
export type PoliticalStatus = (typeof POLITICAL_STATUSES)[number];

/** Who takes part in a campaign unless its template says otherwise: 正式党员 and 预备党员. */
export const PARTY_STATUSES: readonly PoliticalStatus[] = ['full', 'probationary'];

export const STATUS_LABELS: Record<PoliticalStatus, string> = {
  full: '正式党员',
  probationary: '预备党员',
  activist: '入党积极分子',
  masses: '群众',
  pending: '待确认',
};

const WORDS: Record<string, PoliticalStatus> = {
  正式党员: 'full',
  党员: 'full',
  中共党员: 'full',
  预备党员: 'probationary',
  中共预备党员: 'probationary',
  入党积极分子: 'activist',
  积极分子: 'activist',
  群众: 'masses',
  非党员: 'masses',
};

/** Statuses a secretary confirms someone as (not 待确认). */
export const CONFIRMABLE: readonly PoliticalStatus[] = ['full', 'probationary', 'activist', 'masses'];

/** The status a typed or written word names, Chinese or the English id; null when it names none. */
export function statusFromWord(word: string | undefined): PoliticalStatus | null {
  const w = word?.replace(/\s+/g, '') ?? '';
  if (WORDS[w]) return WORDS[w];
  return (CONFIRMABLE as readonly string[]).includes(w) ? (w as PoliticalStatus) : null;
}
