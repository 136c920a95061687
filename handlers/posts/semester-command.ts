// /semester (/学期): the organisation's semester calendar, and an admin's change of one semester's dates
// (audited); a re-check already running moves with it, one already over cannot be changed.
import { eq, inArray } from 'drizzle-orm';
import { defaultRecheckFrom, recheckWindow, semesterError, semesterLabel, TERM_NAMES, termOf, type SemesterDates } from '../../bot/campaign/semesters.js';
import { InputError } from '../../bot/errors.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { formatDeadline, localDate } from '../../bot/time.js';
import type { CommandEvent } from '../../bot/types.js';
import { calendarCard, type SemesterLine } from '../../cards/post-cards.js';
import { runBatch } from '../../db/client.js';
import { campaignPhases, campaigns, postRechecks, semesters } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import { currentSchoolYears, datesOf, findSemester, seedSchoolYears, semestersOf, type SemesterRow } from './calendar.js';
import { isAddedPhase } from './recheck-open.js';

type Ctx = HandlerContext<CommandEvent>;

const orgOf = (ctx: HandlerContext) => ({ platform: ctx.event.platform, tenantKey: ctx.event.tenantKey });

function stateOf(row: SemesterRow, today: string): string {
  if (today < row.startsOn) return '未开始';
  if (today > row.endsOn) return '已结束';
  return today >= row.recheckFrom ? '复核期' : '进行中';
}

async function calendar(ctx: Ctx) {
  const org = orgOf(ctx);
  const tz = ctx.config.timezone;
  const today = localDate(ctx.clock.now(), tz);
  await seedSchoolYears(ctx.db, org, currentSchoolYears(today), ctx.clock.now());
  // The semesters from the current school year on (and any the admins set later).
  const first = currentSchoolYears(today)[0]!;
  const rows = (await semestersOf(ctx.db, org)).filter((r) => r.schoolYear >= first);
  const lines: SemesterLine[] = rows.map((r) => ({
    label: semesterLabel(datesOf(r)),
    dates: `${r.startsOn} 至 ${r.endsOn}`,
    recheck: `${r.recheckFrom} 至 ${r.endsOn}`,
    state: stateOf(r, today),
  }));
  return { card: calendarCard(lines, ctx.actor.isAdmin) };
}

const USAGE = '例如：/学期 设置 2026-2027 第一学期 2026-09-01 2027-01-15（可再加复核开始日期，默认为学期最后 4 周）';

const setSemester: SubcommandSpec = {
  names: ['set', '设置'],
  usage: '/semester set <学年> <第一学期|第二学期> <开始日期> <结束日期> [复核开始日期]',
  summary: '设置一个学期的起止日期和示范岗复核开始日期（管理员，已审计）',
  access: ['admin'],
  async run(ctx, args) {
    const words = args.filter((a) => a !== '复核');
    const [schoolYear, termWord, startsOn, endsOn, recheck] = words;
    if (!schoolYear || !termWord || !startsOn || !endsOn) throw new InputError('学期', `请写明学年、学期和起止日期。${USAGE}`);
    const term = termOf(termWord);
    if (!term) throw new InputError('学期', `学期「${termWord}」应为 第一学期 或 第二学期。`);
    const s: SemesterDates = { schoolYear, term, startsOn, endsOn, recheckFrom: recheck ?? '' };
    if (!recheck) s.recheckFrom = /^\d{4}-\d{2}-\d{2}$/.test(startsOn) && /^\d{4}-\d{2}-\d{2}$/.test(endsOn) ? defaultRecheckFrom(startsOn, endsOn) : startsOn;
    const org = orgOf(ctx);
    const now = ctx.clock.now();
    const other = await findSemester(ctx.db, org, schoolYear, term === 1 ? 2 : 1);
    const problem = semesterError(s, other);
    if (problem) throw new InputError('学期', problem);
    const before = await findSemester(ctx.db, org, schoolYear, term);
    const tz = ctx.config.timezone;
    // Phases added for this semester's re-checks follow its dates; a campaign's own 每学期考核 keeps its own.
    const moves: number[] = [];
    if (before) {
      const old = recheckWindow(datesOf(before), tz);
      const rechecks = await ctx.db
        .selectDistinct({ phaseId: postRechecks.phaseId, seq: campaignPhases.seq, template: campaigns.template })
        .from(postRechecks)
        .innerJoin(campaignPhases, eq(campaignPhases.id, postRechecks.phaseId))
        .innerJoin(campaigns, eq(campaigns.id, postRechecks.campaignId))
        .where(eq(postRechecks.semesterId, before.id));
      if (rechecks.length && now >= old.closesAt) {
        throw new InputError('学期', `${semesterLabel(s)}的示范岗复核已于 ${formatDeadline(old.closesAt, tz)} 结束，不能再修改日期。`);
      }
      for (const r of rechecks) if (isAddedPhase({ template: r.template }, r.seq)) moves.push(r.phaseId);
    }
    const window = recheckWindow(s, tz);
    await runBatch(ctx.db, [
      ctx.db
        .insert(semesters)
        .values({ ...org, ...s, updatedBy: ctx.actor.userId, updatedAt: now })
        .onConflictDoUpdate({
          target: [semesters.platform, semesters.tenantKey, semesters.schoolYear, semesters.term],
          set: { startsOn: s.startsOn, endsOn: s.endsOn, recheckFrom: s.recheckFrom, updatedBy: ctx.actor.userId, updatedAt: now },
        }),
      ...(moves.length
        ? [ctx.db.update(campaignPhases).set({ opensAt: window.opensAt, closesAt: window.closesAt }).where(inArray(campaignPhases.id, moves))]
        : []),
      auditEntry(ctx.db, now, ctx.event, 'semester.set', `${schoolYear}/${term}`, {
        before: before ? { startsOn: before.startsOn, endsOn: before.endsOn, recheckFrom: before.recheckFrom } : null,
        after: { startsOn: s.startsOn, endsOn: s.endsOn, recheckFrom: s.recheckFrom },
      }),
    ]);
    return {
      text: `已设置${schoolYear}学年${TERM_NAMES[term]}：${s.startsOn} 至 ${s.endsOn}，示范岗复核 ${s.recheckFrom} 至 ${s.endsOn}。${moves.length ? '进行中的复核截止时间已随之调整。' : ''}`,
    };
  },
};

export const semesterCommand: CommandSpec = {
  name: 'semester',
  aliases: ['学期'],
  usage: '/semester',
  summary: '查看学期日历和示范岗复核期；管理员可修改（/学期 设置）',
  access: ['member', 'admin'],
  run: calendar,
  subcommands: [setSemester],
};
