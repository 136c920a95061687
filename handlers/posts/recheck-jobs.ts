// What open and just-closed re-checks send: the holder's self-assessment form and reminders, the
// committee's invitations to score (linked leaders, else every committee member) and reminders before
// the deadline, and the result for the committee once the window closed. All wait for the morning and
// for holidays; an outbox key per message makes each go out once.
import { and, gt, inArray, lte } from 'drizzle-orm';
import { passLineOf, rubricPages, formatScore } from '../../bot/campaign/rubric.js';
import type { DateRange } from '../../bot/campaign/template.js';
import { CATCH_UP_MS, daysLeftLabel, sendableAt } from '../../bot/engine/due-jobs.js';
import type { CampaignRow } from '../../bot/engine/store.js';
import { enqueueMany } from '../../bot/outbox.js';
import type { TickCampaign, TickDeps } from '../../bot/schedule.js';
import { formatDeadline } from '../../bot/time.js';
import type { MessageContent, Recipient } from '../../bot/types.js';
import { assessAnswerButton, assessPageCard } from '../../cards/assess-cards.js';
import { nudgeCard } from '../../cards/campaign-cards.js';
import type { CardModel } from '../../cards/model.js';
import { recheckInviteCard, recheckNudgeCard, recheckResultCard, type ResultLine } from '../../cards/post-cards.js';
import type { Db } from '../../db/client.js';
import { campaignPhases, campaigns, leaderLinks, outbox, postRechecks } from '../../db/schema.js';
import { adminIdsOf, committeeMembers } from '../committee.js';
import type { Org } from './calendar.js';
import { phaseScores, selfText, statusOf, statusText, type RecheckScores } from './outcome.js';
import { recheckedPosts, type HeldPost } from './store.js';

const DAY_MS = 24 * 3600_000;

interface Job {
  key: string;
  to: Recipient;
  make: () => MessageContent;
  notBefore: Date;
  expiresAt: Date | null;
}

interface Leader {
  memberId: number;
  userId: string;
  name: string;
  links: number[];
}

/** The organisation's active committee members (党委委员, secretaries on the committee too) with the branches each links. */
async function leadersOf(db: Db, org: Org): Promise<Leader[]> {
  const people = await committeeMembers(db, org.platform, org.tenantKey);
  const links = people.length
    ? await db
        .select()
        .from(leaderLinks)
        .where(
          inArray(
            leaderLinks.leaderId,
            people.map((p) => p.id),
          ),
        )
    : [];
  return people.map((p) => ({ memberId: p.id, userId: p.userId, name: p.name, links: links.filter((l) => l.leaderId === p.id).map((l) => l.branchId) }));
}

/** Who scores a holder: the committee members linking the holder's branch, else the whole committee. */
export function scorersOf(leaders: Leader[], post: Pick<HeldPost, 'branchId' | 'memberId'>): Leader[] {
  const others = leaders.filter((l) => l.memberId !== post.memberId);
  const linked = others.filter((l) => post.branchId !== null && l.links.includes(post.branchId));
  return linked.length ? linked : others;
}

/** Administrators of an organisation: BOT_ADMINS of the platform and those granted in the bot. */
/** Holidays that hold re-check messages: the awarding campaign's and those of every running campaign of the organisation. */
function holidaysOf(campaign: CampaignRow, running: TickCampaign[]): DateRange[] {
  const theirs = running.filter((r) => r.campaign.platform === campaign.platform && r.campaign.tenantKey === campaign.tenantKey);
  return [...campaign.blackouts, ...theirs.flatMap((r) => r.campaign.blackouts)];
}

/** The latest reminder window that has passed (days before the deadline), or null. */
function nudgeWindow(days: number[], opensAt: Date, closesAt: Date, now: Date): number | null {
  const passed = days
    .map((d) => ({ d, at: closesAt.getTime() - d * DAY_MS }))
    .filter((w) => w.at >= opensAt.getTime() && w.at <= now.getTime())
    .sort((a, b) => b.at - a.at);
  return passed[0]?.d ?? null;
}

const card = (c: CardModel): MessageContent => ({ kind: 'card', card: c });

export async function recheckJobs(deps: TickDeps, now: Date, platforms: string[], running: TickCampaign[]): Promise<number> {
  const { db } = deps;
  const phases = await db
    .select()
    .from(campaignPhases)
    .where(
      and(
        inArray(campaignPhases.id, db.selectDistinct({ id: postRechecks.phaseId }).from(postRechecks)),
        gt(campaignPhases.closesAt, new Date(now.getTime() - CATCH_UP_MS)),
        lte(campaignPhases.opensAt, now),
      ),
    );
  if (!phases.length) return 0;
  // Each campaign once: its frozen template is large, not to be parsed once per post.
  const byId = new Map(
    (
      await db
        .select()
        .from(campaigns)
        .where(and(inArray(campaigns.id, [...new Set(phases.map((p) => p.campaignId))]), inArray(campaigns.platform, platforms)))
    ).map((c) => [c.id, c]),
  );
  const posts = await recheckedPosts(
    db,
    phases.filter((p) => byId.has(p.campaignId)).map((p) => p.id),
  );
  const leaders = new Map<string, Leader[]>();
  const jobs: Array<Job & { platform: string; campaignId: number }> = [];
  for (const phase of phases) {
    const campaign = byId.get(phase.campaignId);
    if (!campaign) continue;
    const org = { platform: campaign.platform, tenantKey: campaign.tenantKey };
    const orgKey = `${org.platform}:${org.tenantKey}`;
    if (!leaders.has(orgKey)) leaders.set(orgKey, await leadersOf(db, org));
    const add = (j: Job) => jobs.push({ ...j, platform: campaign.platform, campaignId: campaign.id });
    const scores = await phaseScores(db, phase.id);
    const held = posts.filter((p) => p.phaseId === phase.id);
    const ctx = {
      campaign,
      phase,
      held,
      scores,
      leaders: leaders.get(orgKey)!,
      notBefore: sendableAt({ blackouts: holidaysOf(campaign, running), timezone: campaign.timezone }, now),
    };
    if (now < phase.closesAt) openJobs(ctx, now, add);
    // Every post of it revoked meanwhile: nothing to report.
    else if (held.every((p) => p.revokedAt)) continue;
    else for (const j of await resultJobs(deps, ctx, org)) add(j);
  }
  return write(deps, jobs);
}

interface PhaseContext {
  campaign: CampaignRow;
  phase: typeof campaignPhases.$inferSelect;
  held: HeldPost[];
  scores: Map<number, RecheckScores>;
  leaders: Leader[];
  notBefore: Date;
}

function openJobs(x: PhaseContext, now: Date, add: (j: Job) => void): void {
  const { campaign: c, phase } = x;
  const tz = c.timezone;
  const closes = formatDeadline(phase.closesAt, tz);
  const view = { id: phase.id, campaignTitle: c.title, phaseTitle: phase.title, closes };
  const rubric = c.template.rubric;
  const nudgeDays = nudgeWindow(c.template.nudgeDaysBefore, phase.opensAt, phase.closesAt, now);
  // Counted from when it will be read (after the night or the holiday it waits for).
  const left = daysLeftLabel(x.notBefore, phase.closesAt, tz);
  const base = { notBefore: x.notBefore, expiresAt: phase.closesAt };
  const waiting = new Map<number, string[]>();
  for (const post of x.held) {
    if (post.revokedAt || !post.active) continue;
    const s = x.scores.get(post.memberId);
    const to: Recipient = { type: 'user', id: post.userId };
    if (!s?.self) {
      // The same keys as the engine's form and reminder in a running campaign: sent once whoever writes first.
      if (rubric) {
        const first = rubricPages(rubric)[0]!.id;
        add({
          ...base,
          key: `c${c.id}:p${phase.id}:assessform:${post.memberId}`,
          to,
          make: () => card(assessPageCard({ phase: view, rubric, postKind: post.postKind, subject: null, pagesDone: [] }, first, {})),
        });
      }
      if (nudgeDays !== null) {
        add({
          ...base,
          key: `c${c.id}:p${phase.id}:nudge${nudgeDays}:${post.memberId}`,
          to,
          make: () => card(nudgeCard(c, phase, post.name, closes, left, assessAnswerButton(phase))),
        });
      }
      continue;
    }
    const self = selfText(s.self);
    for (const l of scorersOf(x.leaders, post)) {
      if (s.raters.includes(l.userId)) continue;
      waiting.set(l.memberId, [...(waiting.get(l.memberId) ?? []), post.name]);
      const subject = { phaseId: phase.id, memberId: post.memberId, name: post.name, branch: post.branchName, postKind: post.postKind, self };
      add({
        ...base,
        key: `recheck:p${phase.id}:invite:${post.memberId}:${l.memberId}`,
        to: { type: 'user', id: l.userId },
        make: () => card(recheckInviteCard(subject, phase.title, c.title, closes)),
      });
    }
  }
  if (nudgeDays === null) return;
  for (const l of x.leaders) {
    const names = waiting.get(l.memberId);
    if (!names) continue;
    add({
      ...base,
      key: `recheck:p${phase.id}:lnudge${nudgeDays}:${l.memberId}`,
      to: { type: 'user', id: l.userId },
      make: () => card(recheckNudgeCard(names, phase.id, phase.title, closes, left)),
    });
  }
}

/** Once the window closed: the result for the committee, a failing post flagged with the 撤销 suggestion. */
async function resultJobs(deps: TickDeps, x: PhaseContext, org: Org): Promise<Job[]> {
  const { campaign: c, phase } = x;
  const passLine = passLineOf(c.template.rubric ?? { total: 100 });
  const lines: ResultLine[] = x.held.map((post) => {
    if (post.revokedAt)
      return { declarationId: post.declarationId, name: post.name, branch: post.branchName, postKind: post.postKind, status: '已撤销', failed: false };
    const scores = x.scores.get(post.memberId);
    const status = statusOf(scores, true, passLine);
    return {
      declarationId: post.declarationId,
      name: post.name,
      branch: post.branchName,
      postKind: post.postKind,
      status: statusText(status, scores, passLine),
      failed: status === 'failed',
    };
  });
  const admins = await adminIdsOf(deps.db, deps.config, org.platform, org.tenantKey);
  const to = [...new Set([...admins, ...x.leaders.map((l) => l.userId)])];
  const cards = new Map<boolean, CardModel>();
  return to.map((userId) => {
    const forAdmin = admins.includes(userId);
    return {
      key: `recheck:p${phase.id}:result:${userId}`,
      to: { type: 'user', id: userId },
      notBefore: x.notBefore,
      expiresAt: null,
      make: () => {
        if (!cards.has(forAdmin)) cards.set(forAdmin, recheckResultCard(phase.title, c.title, formatScore(passLine), lines, forAdmin));
        return card(cards.get(forAdmin)!);
      },
    };
  });
}

/** Enqueues the jobs whose key was never written (sent, pending or dropped), building only their messages. */
async function write(deps: TickDeps, jobs: Array<Job & { platform: string; campaignId: number }>): Promise<number> {
  const seen = new Set<string>();
  for (let i = 0; i < jobs.length; i += 400) {
    const keys = jobs.slice(i, i + 400).map((j) => j.key);
    for (const r of await deps.db.select({ key: outbox.dedupeKey }).from(outbox).where(inArray(outbox.dedupeKey, keys))) seen.add(r.key);
  }
  const fresh: typeof jobs = [];
  for (const j of jobs) {
    if (seen.has(j.key)) continue;
    seen.add(j.key);
    fresh.push(j);
  }
  // One INSERT per chunk, as the scheduler writes its own fan-out.
  for (let i = 0; i < fresh.length; i += 200) {
    await enqueueMany(
      deps.db,
      fresh.slice(i, i + 200).map((j) => ({
        key: j.key,
        platform: j.platform,
        to: j.to,
        content: j.make(),
        notBefore: j.notBefore,
        expiresAt: j.expiresAt,
        campaignId: j.campaignId,
      })),
    );
  }
  return fresh.length;
}
