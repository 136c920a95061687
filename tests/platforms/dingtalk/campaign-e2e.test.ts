// One campaign end to end on DingTalk against the fake OpenAPI, driven by the scheduler: the pledge
// phase sends each member a 1:1 card whose page takes the pledge (the wall goes to the group), the
// peer-review phase invites 1:1 and takes ballots on the pages, and its close sends everyone results.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignPhases, members, pledges, reviewBallots } from '../../../db/schema.js';
import { DT_ADMIN, dtSay, GROUP_A, ORG_ENV, setUpDingTalkOrg, startDingTalkBot, type DtBot } from '../../support/dingtalk-harness.js';
import { openPage, pagePath, postPage } from '../../support/dingtalk-pages.js';
import { dtCardText, dtText } from '../../support/fake-dingtalk.js';

const HOUR = 3600_000;
const BRANCH_A = ['a1', 'a2', 'a3'];
let bot: DtBot;

beforeEach(async () => {
  bot = await startDingTalkBot({ env: { ...ORG_ENV, REVIEW_MIN_BALLOTS: '2' }, now: '2026-07-20T10:00:00+08:00' });
  await setUpDingTalkOrg(bot);
  await dtSay(bot, DT_ADMIN, GROUP_A, '/活动 新建 创先争优 2026-08-01');
});
afterEach(async () => bot.close());

/** The latest 1:1 message to `to` whose text starts with `### <title>`. */
const lastTo = (to: string, title: string) => bot.fake.sent.filter((m) => m.via === 'oto' && m.to === to && dtText(m).startsWith(`### ${title}`)).at(-1);

describe('a campaign on DingTalk', () => {
  it('runs pledge -> peer review -> results through the scheduler, 1:1 cards and personal pages', async () => {
    const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
    const pledge = phases.find((p) => p.kind === 'pledge')!;
    const review = phases.find((p) => p.kind === 'review' && p.respond === 'member')!;

    bot.clock.set(new Date(pledge.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    for (const [who, promise] of [
      ['a2', '每周走访宿舍楼'],
      ['a3', '全年零差错'],
    ] as const) {
      const card = lastTo(who, '亮承诺')!;
      const path = pagePath(card);
      await postPage(bot, path, await openPage(bot, path), { area_1: '服务师生', promise_1: promise, due_1: '2026-12-31' });
    }
    await bot.settle();
    expect((await bot.db.select().from(pledges)).map((p) => p.items[0]!.promise).sort()).toEqual(['全年零差错', '每周走访宿舍楼']);
    // The wall: one interactive card in the group, updated in place.
    const walls = bot.fake.cards.filter((c) => c.to === GROUP_A && dtCardText(c).startsWith('### 承诺墙'));
    expect(walls).toHaveLength(1);
    expect(dtCardText(walls[0]!)).toContain('每周走访宿舍楼');
    expect(dtCardText(walls[0]!)).toContain('全年零差错');

    bot.clock.set(new Date(review.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const ids = new Map((await bot.db.select().from(members)).map((m) => [m.userId, m.id]));
    for (const who of BRANCH_A) {
      const invite = bot.fake.sent.filter((m) => m.via === 'oto' && m.to === who && m.msgParam.singleURL && dtText(m).includes('互评')).at(-1)!;
      const path = pagePath(invite);
      const form: Record<string, string> = {};
      for (const other of BRANCH_A.filter((p) => p !== who)) {
        const id = ids.get(other)!;
        Object.assign(form, { [`grade_${id}`]: 'excellent', [`s1_${id}`]: '5', [`s3_${id}`]: '4', [`comment_${id}`]: `评语-${other}` });
      }
      expect(await postPage(bot, path, await openPage(bot, path), form)).not.toContain('请修改');
    }
    expect(await bot.db.select().from(reviewBallots)).toHaveLength(6);

    bot.clock.set(new Date(review.closesAt.getTime() + 8 * HOUR));
    await bot.tick();
    for (const who of BRANCH_A) {
      const results = lastTo(who, '我的互评结果')!;
      expect(dtText(results)).toContain('共 2 份评价：优秀 2');
      expect(dtText(results)).toContain(`评语-${who}`);
    }
  });
});

describe('领导点评 on DingTalk', () => {
  it('sends the leader a 1:1 card whose page (/评议 点评) takes the review, shared with the secretary', async () => {
    const phase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'review' && p.respond === 'leader')!;
    bot.clock.set(new Date(phase.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const card = lastTo('l1', '领导点评')!;
    expect(dtText(card)).toContain('后勤第一党支部');
    const path = pagePath(card);
    const page = await openPage(bot, path);
    expect(page).toContain('领导点评 · 后勤第一党支部');
    const before = bot.fake.sent.length;
    const answered = await postPage(bot, path, page, {
      g_leadership: 'good',
      g_members: 'fair',
      g_mechanism: 'good',
      g_performance: 'good',
      g_reputation: 'average',
      strengths: '学习扎实',
      problems: '台账不全',
      direction: '完善制度建设',
    });
    expect(answered).toContain('点评已提交');
    await bot.settle();
    const shared = bot.fake.sent.slice(before).find((m) => m.via === 'oto' && m.to === 'a1')!;
    expect(dtText(shared)).toContain('**存在问题**：台账不全');
  });
});
