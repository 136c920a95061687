// How a campaign ends: the titles it awards, the formula (data in the template, versioned), and the
// pure arithmetic of totals, ranks, ties and quotas over parts that may be missing.

/** Where a part's value comes from; each is a reader in handlers/results/sources.ts, valued 0–100 (points for the committee score). */
export const RESULT_SOURCES = [
  'committee-score',
  'self-score',
  'peer-grades',
  'pledge-fulfilment',
  'leader-five-goods',
  'satisfaction',
  'branch-self-check',
  'completion',
] as const;
export type ResultSource = (typeof RESULT_SOURCES)[number];

/** Who a title is given to: a party member, a branch secretary (优秀党务工作者), a branch. */
export const RESULT_SUBJECTS = ['member', 'secretary', 'branch', 'applicant'] as const;
export type ResultSubject = (typeof RESULT_SUBJECTS)[number];

export interface ResultPart {
  source: ResultSource;
  weight: number;
  /** Chinese label shown beside the value, e.g. 党员互评. */
  label: string;
  /** Without it no total is computed ("无法计算"); an optional missing part is left out of the weights. */
  required: boolean;
}

export interface ResultTitle {
  id: string;
  /** Chinese title, e.g. 优秀共产党员. */
  name: string;
  subject: ResultSubject;
  /** Ranked separately per declared post kind (管理育人示范岗, 服务育人示范岗). */
  byPostKind: boolean;
  /** At most this share of the pool (rounded up, at least 1) and/or this many; null: no limit. */
  quota: { share: number | null; max: number | null };
  /** Candidates below this total are not ranked for the title. */
  minScore: number | null;
  parts: ResultPart[];
  /** What a winner receives: a 荣誉证书, or a 标牌 for a post that is then held and re-assessed each semester. */
  award: 'certificate' | 'plaque';
}

/** Which parts can be read for which subject: a member's own, or a branch's (a secretary is judged on their branch). */
export const SOURCES_FOR: Record<ResultSubject, readonly ResultSource[]> = {
  applicant: ['committee-score', 'self-score', 'peer-grades', 'pledge-fulfilment'],
  member: ['peer-grades', 'pledge-fulfilment', 'committee-score', 'self-score'],
  secretary: ['pledge-fulfilment', 'peer-grades', 'leader-five-goods', 'satisfaction', 'branch-self-check', 'completion'],
  branch: ['leader-five-goods', 'satisfaction', 'branch-self-check', 'completion'],
};

export interface ResultsSpec {
  id: string;
  version: number;
  /** The formula as people read it (shown on the results card). */
  formula: string;
  /** 公示 lasts this many working days. */
  publicityDays: number;
  titles: ResultTitle[];
}

export type PartValue = { value: number; detail: string } | { missing: string };

export interface Candidate {
  /** A member id, or a branch id for branch titles. */
  subjectId: number;
  name: string;
  branch: string;
  postKind: string | null;
  parts: Partial<Record<ResultSource, PartValue>>;
  vetoed: boolean;
}

export interface ScoredEntry {
  candidate: Candidate;
  /** null: vetoed, a required part missing, or below the minimum. */
  total: number | null;
  /** Why there is no total, or what was left out ("党员互评：不足3票"). */
  note: string | null;
  /** Competition rank (1, 2, 2, 4) among entries with a total. */
  rank: number | null;
  tied: boolean;
}

export interface RankedGroup {
  /** The post kind of a byPostKind title; null otherwise. */
  postKind: string | null;
  /** Places the title may give in this group (null: no limit). */
  quota: number | null;
  entries: ScoredEntry[];
  /** Entries tied on the last place within the quota push the list past it: the committee decides. */
  tieAtQuota: boolean;
}

export interface TitleResult {
  title: ResultTitle;
  groups: RankedGroup[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function partLabel(v: PartValue | undefined): string {
  if (!v) return '未开展';
  return 'missing' in v ? v.missing : v.detail;
}

/** Weighted mean of the present parts; a missing required part or a veto leaves no total. */
export function scoreCandidate(title: ResultTitle, c: Candidate): { total: number | null; note: string | null } {
  if (c.vetoed) return { total: null, note: '一票否决' };
  let sum = 0;
  let weights = 0;
  const left: string[] = [];
  for (const p of title.parts) {
    const v = c.parts[p.source];
    if (!v || 'missing' in v) {
      if (p.required) return { total: null, note: `无法计算（${p.label}：${partLabel(v)}）` };
      // A part shown for reference only (weight 0) is not "left out".
      if (p.weight > 0) left.push(p.label);
      continue;
    }
    sum += v.value * p.weight;
    weights += p.weight;
  }
  if (weights === 0) return { total: null, note: '无法计算（没有可用的评价）' };
  const total = round1(sum / weights);
  if (title.minScore !== null && total < title.minScore) return { total: null, note: `${total} 分，低于 ${title.minScore} 分` };
  return { total, note: left.length ? `缺项不计入：${left.join('、')}` : null };
}

/** "At most 10 %": the share of the pool rounded down, at least one. */
export function quotaOf(title: ResultTitle, pool: number): number | null {
  const limits: number[] = [];
  if (title.quota.share !== null) limits.push(Math.max(1, Math.floor(pool * title.quota.share + 1e-9)));
  if (title.quota.max !== null) limits.push(title.quota.max);
  return limits.length ? Math.min(...limits) : null;
}

/** Ranks candidates by total (ties share a rank; then by name for a stable order); those without a total follow. */
export function rankGroup(title: ResultTitle, candidates: Candidate[], quota: number | null, postKind: string | null): RankedGroup {
  const scored = candidates.map((candidate) => ({ candidate, ...scoreCandidate(title, candidate) }));
  const withTotal = scored.filter((s) => s.total !== null).sort((a, b) => b.total! - a.total! || a.candidate.name.localeCompare(b.candidate.name, 'zh'));
  const without = scored.filter((s) => s.total === null).sort((a, b) => a.candidate.name.localeCompare(b.candidate.name, 'zh'));
  const counts = new Map<number, number>();
  for (const s of withTotal) counts.set(s.total!, (counts.get(s.total!) ?? 0) + 1);
  const entries: ScoredEntry[] = withTotal.map((s) => ({
    ...s,
    rank: withTotal.findIndex((o) => o.total === s.total) + 1,
    tied: (counts.get(s.total!) ?? 0) > 1,
  }));
  const inQuota = quota === null ? 0 : entries.filter((e) => e.rank! <= quota).length;
  return {
    postKind,
    quota,
    entries: [...entries, ...without.map((s) => ({ ...s, rank: null, tied: false }))],
    tieAtQuota: quota !== null && inQuota > quota,
  };
}

/** One title's result: a group per post kind when the title asks for it, else one group over the pool. */
export function rankTitle(title: ResultTitle, candidates: Candidate[], pool: number): TitleResult {
  if (!title.byPostKind) return { title, groups: [rankGroup(title, candidates, quotaOf(title, pool), null)] };
  const kinds = [...new Set(candidates.map((c) => c.postKind ?? '未填岗位类别'))];
  return {
    title,
    groups: kinds.map((k) => {
      const inKind = candidates.filter((c) => (c.postKind ?? '未填岗位类别') === k);
      return rankGroup(title, inKind, quotaOf(title, inKind.length), k);
    }),
  };
}
