// A campaign with data in every part the ledger shows (roster, pledges and their checks,
// declarations with self-assessments and second scoring, peer-review rounds, leader reviews,
// surveys, audit rows), written straight into the database in batches: for the ledger's tests and
// its benchmark (1,000 members, 99,000 ballot lines). Ballot tags are the real keyed hashes.
import type { BatchItem } from 'drizzle-orm/batch';
import { createCampaign, phasesOf, type CampaignRow } from '../../bot/engine/store.js';
import type { CampaignTemplate } from '../../bot/campaign/template.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import { runBatch, type Db } from '../../db/client.js';
import {
  assessmentSubmissions,
  assessments,
  auditLog,
  branches,
  campaignRoster,
  GRADES,
  leaderLinks,
  leaderReviews,
  memberExemptions,
  members,
  pledgeProgress,
  pledgeRevisions,
  pledges,
  postDeclarations,
  reviewBallots,
  reviewRoundMembers,
  reviewRounds,
  reviewVoters,
  surveyAnswers,
  surveys,
} from '../../db/schema.js';
import { raterTags, voterTag } from '../../handlers/review/anonymity.js';
import { RATE_RULE } from '../../handlers/survey/results.js';
import { and, eq } from 'drizzle-orm';

export interface LedgerSeedOptions {
  platform: string;
  tenantKey: string;
  branches: number;
  perBranch: number;
  leaders: number;
  reviewSecret: string;
  now: Date;
  startsOn: string;
  minBallots?: number;
  /** Branch indexes whose round got a single ballot (below the round's minimum). */
  thinBranches?: number[];
  /** Branch indexes without a survey. */
  noSurvey?: number[];
  /** User ids of the people, per branch (default `u_<b>_<i>`); the first is the secretary. */
  userId?: (branch: number, i: number) => string;
  /** Existing branches (bound chats) to use instead of new ones. */
  branchIds?: number[];
}

export interface LedgerSeed {
  campaign: CampaignRow;
  branchIds: number[];
  /** Member ids per branch, the secretary first. */
  people: number[][];
  leaderIds: number[];
  ballots: number;
}

/** The three-lights template with the model-post rubric and a declare phase: every part in one campaign. */
export function ledgerTemplate(): CampaignTemplate {
  const lights = findTemplate('three-lights')!.template;
  const post = findTemplate('model-post')!.template;
  return {
    ...lights,
    rubric: post.rubric,
    postKinds: post.postKinds,
    phases: [...lights.phases, { kind: 'declare', title: '申报自评', startDay: 84, days: 7, actors: ['member'], task: '申报并自评', respond: 'member' }],
  };
}

let rand = 1;
const rnd = () => {
  rand = (rand * 1103515245 + 12345) % 2 ** 31;
  return rand / 2 ** 31;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;

async function inChunks<T>(db: Db, rows: T[], insert: (chunk: T[]) => BatchItem<'sqlite'>, size = 500): Promise<void> {
  const items: Array<BatchItem<'sqlite'>> = [];
  for (let i = 0; i < rows.length; i += size) items.push(insert(rows.slice(i, i + size)));
  for (let i = 0; i < items.length; i += 50) await runBatch(db, items.slice(i, i + 50));
}

export async function seedLedgerCampaign(db: Db, o: LedgerSeedOptions): Promise<LedgerSeed> {
  rand = 7;
  const { platform, tenantKey, now } = o;
  const userOf = o.userId ?? ((b: number, i: number) => `u_${b}_${i}`);
  const minBallots = o.minBallots ?? 3;
  const branchIds =
    o.branchIds ??
    (
      await db
        .insert(branches)
        .values(Array.from({ length: o.branches }, (_, b) => ({ platform, tenantKey, name: `后勤第${b + 1}党支部`, chatId: `oc_ledger_${tenantKey}_${b}` })))
        .returning({ id: branches.id })
    ).map((b) => b.id);
  const people: number[][] = [];
  for (const [b, branchId] of branchIds.entries()) {
    const rows = Array.from({ length: o.perBranch }, (_, i) => ({
      platform,
      tenantKey,
      userId: userOf(b, i),
      name: i === 0 ? `书记${b + 1}` : `党员${b + 1}-${i}`,
      branchId,
      role: i === 0 ? ('secretary' as const) : ('member' as const),
      joinedPartyOn: `20${String(10 + (i % 10)).padStart(2, '0')}-07-01`,
    }));
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const got = await db
        .insert(members)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({ target: [members.platform, members.tenantKey, members.userId], set: { branchId } })
        .returning({ id: members.id, userId: members.userId });
      ids.push(...got.map((g) => g.id));
    }
    people.push(ids);
  }
  // The secretaries keep their role even when the people existed before (a bound, synced chat).
  for (const [b] of branchIds.entries()) {
    await db
      .update(members)
      .set({ role: 'secretary' })
      .where(and(eq(members.platform, platform), eq(members.tenantKey, tenantKey), eq(members.userId, userOf(b, 0))));
  }
  const leaderIds = (
    await db
      .insert(members)
      .values(Array.from({ length: o.leaders }, (_, i) => ({ platform, tenantKey, userId: `leader_${i}`, name: `委员${i + 1}`, role: 'leader' as const })))
      .returning({ id: members.id })
  ).map((l) => l.id);
  const links = branchIds.map((branchId, b) => ({ leaderId: leaderIds[b % leaderIds.length]!, branchId }));
  await db.insert(leaderLinks).values(links);

  const template = ledgerTemplate();
  const { campaign } = await createCampaign(db, { platform, tenantKey, template, startsOn: o.startsOn, timezone: 'Asia/Shanghai', createdBy: 'admin', now });
  const phases = await phasesOf(db, campaign.id);
  const phase = (kind: string, respond: string | null) => phases.find((p) => p.kind === kind && p.respond === respond)!;
  const pledgePhase = phase('pledge', 'member');
  const checkPhase = phases.find((p) => p.pledgePhaseId === pledgePhase.id) ?? phase('create', 'member');
  const declarePhase = phase('declare', 'member');
  const leaderPhase = phase('review', 'leader');
  const peerPhase = phase('review', 'member');
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const secretaryUser = (b: number) => userOf(b, 0);

  // One member leaves the roster (an audited amendment): still in the ledger, marked.
  await db
    .update(campaignRoster)
    .set({ removedAt: at(30) })
    .where(and(eq(campaignRoster.campaignId, campaign.id), eq(campaignRoster.memberId, people[0]!.at(-1)!)));

  // The second member of each branch is excused from the peer review (请假), once revoked and given again.
  await db.insert(memberExemptions).values(
    branchIds.flatMap((_, b) => [
      {
        campaignId: campaign.id,
        memberId: people[b]![1]!,
        kind: 'leave' as const,
        phaseId: peerPhase.id,
        reason: '外出培训',
        createdBy: secretaryUser(b),
        createdAt: at(90),
        revokedBy: secretaryUser(b),
        revokedAt: at(91),
      },
      {
        campaignId: campaign.id,
        memberId: people[b]![1]!,
        kind: 'leave' as const,
        phaseId: peerPhase.id,
        reason: '外出培训（延期）',
        createdBy: secretaryUser(b),
        createdAt: at(92),
      },
    ]),
  );

  // Pledges: every member 3 items, every branch 2; two revisions of the first member's.
  const areas = template.pledgeAreas.length ? template.pledgeAreas : ['服务师生'];
  const pledgeRows = branchIds.flatMap((branchId, b) => [
    ...people[b]!.map((memberId) => ({
      campaignId: campaign.id,
      phaseId: pledgePhase.id,
      kind: 'member' as const,
      ownerKey: `member:${memberId}`,
      memberId,
      branchId,
      items: [0, 1, 2].map((k) => ({ area: pick(areas), promise: `承诺事项${k + 1}：按时完成本岗位工作，服务师生`, due: '2027-06-30' })),
      revision: 1,
      submittedBy: userOf(b, people[b]!.indexOf(memberId)),
      updatedAt: at(8),
    })),
    {
      campaignId: campaign.id,
      phaseId: pledgePhase.id,
      kind: 'branch' as const,
      ownerKey: `branch:${branchId}`,
      memberId: null,
      branchId,
      items: [0, 1].map((k) => ({ area: pick(areas), promise: `支部承诺${k + 1}`, due: '2027-06-30' })),
      revision: 1,
      submittedBy: secretaryUser(b),
      updatedAt: at(8),
    },
  ]);
  const pledgeIds: Array<{ id: number; items: number; branch: number }> = [];
  for (let i = 0; i < pledgeRows.length; i += 300) {
    const got = await db
      .insert(pledges)
      .values(pledgeRows.slice(i, i + 300))
      .returning({ id: pledges.id, items: pledges.items, branchId: pledges.branchId });
    pledgeIds.push(...got.map((g) => ({ id: g.id, items: g.items.length, branch: branchIds.indexOf(g.branchId!) })));
  }
  await inChunks(
    db,
    pledgeIds.map((p, i) => ({ pledgeId: p.id, revision: 1, items: pledgeRows[i]!.items, submittedBy: pledgeRows[i]!.submittedBy, submittedAt: at(8) })),
    (rows) => db.insert(pledgeRevisions).values(rows),
  );
  await inChunks(
    db,
    pledgeIds.flatMap((p) =>
      Array.from({ length: p.items }, (_, k) => ({
        pledgeId: p.id,
        itemNo: k + 1,
        phaseId: checkPhase.id,
        status: pick(['todo', 'doing', 'done'] as const),
        note: '按计划推进',
        reportedAt: at(40),
        checkedBy: k === 0 ? secretaryUser(p.branch) : null,
        checkedAt: k === 0 ? at(41) : null,
        checkComment: k === 0 ? '已核实' : null,
      })),
    ),
    (rows) => db.insert(pledgeProgress).values(rows),
  );

  // Declarations: every tenth member applies, self-assesses (two revisions) and is scored by the leaders.
  const applicants = branchIds.flatMap((branchId, b) => people[b]!.filter((_, i) => i % 10 === 1).map((memberId) => ({ memberId, branchId, b })));
  if (applicants.length) {
    const decl = applicants.map((a) => ({
      campaignId: campaign.id,
      phaseId: declarePhase.id,
      memberId: a.memberId,
      branchId: a.branchId,
      postKind: pick(template.postKinds.length ? template.postKinds : ['服务育人示范岗']),
      statement: '申报理由：长期扎根服务一线',
      updatedAt: at(85),
    }));
    await inChunks(db, decl, (rows) => db.insert(postDeclarations).values(rows));
    const rubric = template.rubric!;
    const assess = applicants.flatMap((a) => [
      { a, rater: 'self' as const, raterId: userOf(a.b, people[a.b]!.indexOf(a.memberId)) },
      ...leaderIds.slice(0, 2).map((_, l) => ({ a, rater: 'review' as const, raterId: `leader_${l}` })),
    ]);
    const ids: number[] = [];
    for (let i = 0; i < assess.length; i += 300) {
      const got = await db
        .insert(assessments)
        .values(
          assess.slice(i, i + 300).map((x) => ({
            campaignId: campaign.id,
            phaseId: declarePhase.id,
            memberId: x.a.memberId,
            branchId: x.a.branchId,
            rater: x.rater,
            raterId: x.raterId,
            rubricId: rubric.id,
            rubricVersion: rubric.version,
            dirty: false,
            revision: x.rater === 'self' ? 2 : 1,
            submittedAt: at(86),
            updatedAt: at(86),
          })),
        )
        .returning({ id: assessments.id });
      ids.push(...got.map((g) => g.id));
    }
    const answers = rubric.categories.flatMap((c) => c.items.map((it) => ({ itemNo: it.no, part: 0, score: it.max - 1, flag: null, note: '' })));
    await inChunks(
      db,
      assess.flatMap((x, i) =>
        (x.rater === 'self' ? [1, 2] : [1]).map((revision) => ({
          assessmentId: ids[i]!,
          revision,
          rubricId: rubric.id,
          rubricVersion: rubric.version,
          answers,
          total: 80 + revision + (i % 7),
          vetoed: false,
          submittedAt: at(85 + revision),
        })),
      ),
      (rows) => db.insert(assessmentSubmissions).values(rows),
      100,
    );
  }

  // Peer review: one round per branch; everyone rates everyone else, except in thin branches.
  let ballots = 0;
  for (const [b, branchId] of branchIds.entries()) {
    const [round] = await db
      .insert(reviewRounds)
      .values({
        platform,
        tenantKey,
        branchId,
        phaseId: peerPhase.id,
        criteria: ['比技能', '比服务', '比业绩', '五带头', '群众认可'],
        minBallots,
        status: 'closed',
        openedBy: secretaryUser(b),
        openedAt: at(98),
        closedAt: at(112),
      })
      .returning();
    const roster = people[b]!;
    await inChunks(
      db,
      roster.map((memberId) => ({ roundId: round!.id, memberId })),
      (rows) => db.insert(reviewRoundMembers).values(rows),
    );
    const raters = o.thinBranches?.includes(b) ? roster.slice(0, 1) : roster;
    const lines = raters.flatMap((rater) => {
      const tagOf = raterTags(o.reviewSecret, round!.id, rater);
      return roster
        .filter((ratee) => ratee !== rater)
        .map((ratee) => ({
          roundId: round!.id,
          tag: tagOf(ratee),
          rateeId: ratee,
          grade: GRADES[Math.min(3, Math.floor(rnd() * 5))]!,
          s1: 1 + Math.floor(rnd() * 5),
          s2: 1 + Math.floor(rnd() * 5),
          s3: 1 + Math.floor(rnd() * 5),
          s4: 1 + Math.floor(rnd() * 5),
          s5: 1 + Math.floor(rnd() * 5),
          comment: rnd() < 0.1 ? '继续保持' : null,
        }));
    });
    ballots += lines.length;
    await inChunks(db, lines, (rows) => db.insert(reviewBallots).values(rows));
    await inChunks(
      db,
      raters.map((r) => ({ roundId: round!.id, tag: voterTag(o.reviewSecret, round!.id, r) })),
      (rows) => db.insert(reviewVoters).values(rows),
    );
  }

  // Leader reviews of every linked branch.
  await inChunks(
    db,
    links.map((l) => ({
      phaseId: leaderPhase.id,
      leaderId: l.leaderId,
      branchId: l.branchId,
      grades: Object.fromEntries(template.criteria.branch.map((c) => [c.id, pick(['好', '较好', '一般'])])),
      strengths: '班子团结，服务意识强',
      problems: '学习形式较单一',
      direction: '加强理论学习',
      updatedAt: at(90),
    })),
    (rows) => db.insert(leaderReviews).values(rows),
  );

  // Surveys with answers (60 per branch).
  for (const [b, branchId] of branchIds.entries()) {
    if (o.noSurvey?.includes(b)) continue;
    const [survey] = await db
      .insert(surveys)
      .values({
        platform,
        tenantKey,
        branchId,
        campaignId: campaign.id,
        phaseId: phases.find((p) => p.kind === 'review' && p.respond === null)?.id ?? null,
        title: '师生满意度测评',
        mode: 'open',
        criteria: ['服务态度'],
        threshold: 90,
        minSample: 30,
        rateRule: RATE_RULE,
        status: 'closed',
        openedBy: secretaryUser(b),
        openedAt: at(98),
        closedAt: at(119),
      })
      .returning();
    await inChunks(
      db,
      Array.from({ length: 60 }, (_, i) => ({
        surveyId: survey!.id,
        rating: pick(['satisfied', 'satisfied', 'satisfied', 'basic', 'unsatisfied'] as const),
        criteria: {},
        comment: '',
        voterTag: `v${b}-${i}`,
        at: at(100),
      })),
      (rows) => db.insert(surveyAnswers).values(rows),
    );
  }

  // Audit rows: every 践诺 check (as /承诺 核实 writes them), per branch a round started and pledges made public.
  await inChunks(
    db,
    pledgeIds.map((p) => ({
      at: at(41),
      platform,
      tenantKey,
      actorId: secretaryUser(p.branch),
      action: 'pledge.check',
      target: `${p.id}:1`,
      detail: { item: 1, comment: '已核实' },
    })),
    (rows) => db.insert(auditLog).values(rows),
  );
  await db.insert(auditLog).values([
    { at: at(0), platform, tenantKey, actorId: 'admin', action: 'campaign.new', target: `#${campaign.id}`, detail: { template: template.id } },
    ...branchIds.flatMap((branchId, b) => [
      {
        at: at(98),
        platform,
        tenantKey,
        actorId: secretaryUser(b),
        action: 'review.start',
        target: `round:${branchId}`,
        detail: { branch: `后勤第${b + 1}党支部` },
      },
      { at: at(41), platform, tenantKey, actorId: secretaryUser(b), action: 'pledge.public.on', target: `branch:${branchId}`, detail: {} },
    ]),
  ]);
  return { campaign, branchIds, people, leaderIds, ballots };
}
