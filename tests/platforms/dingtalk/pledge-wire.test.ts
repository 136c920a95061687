// The pledge flow on DingTalk: a member's /承诺 in the 1:1 chat answers with an action card whose button
// opens their signed personal page; the pledge posted there goes through the same dispatch as the
// member, and the branch's wall is one interactive card in the group (StandardCard), updated in place.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkToken, buttonPurpose } from '../../../bot/platforms/web/links.js';
import { PHASE_DONE } from '../../../cards/campaign-cards.js';
import { campaignPhases, phaseResponses, pledges, processedEvents } from '../../../db/schema.js';
import { TEST_LINK_SECRET } from '../../support/harness.js';
import { DT_ADMIN, dtSay, dtSayPrivately, GROUP_A, ORG_ENV, setUpDingTalkOrg, startDingTalkBot, type DtBot } from '../../support/dingtalk-harness.js';
import { openPage, pagePath, postPage } from '../../support/dingtalk-pages.js';
import { dtMessage } from '../../support/dingtalk-wire.js';
import { dtCardText, dtText } from '../../support/fake-dingtalk.js';

let bot: DtBot;

beforeEach(async () => {
  bot = await startDingTalkBot({ env: ORG_ENV, now: '2026-07-20T10:00:00+08:00' });
  await setUpDingTalkOrg(bot);
  await dtSay(bot, DT_ADMIN, GROUP_A, '/活动 新建 创先争优 2026-08-01');
  const phase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'pledge')!;
  bot.clock.set(new Date(phase.opensAt.getTime() + 10 * 3600_000));
});
afterEach(async () => bot.close());

const walls = () => bot.fake.cards.filter((c) => c.to === GROUP_A && dtCardText(c).startsWith('### 承诺墙'));

describe('a pledge from DingTalk', () => {
  it('is filled on the personal page opened from the 1:1 card and shown on the wall in the group', async () => {
    const card = await dtSayPrivately(bot, 'a2', '/承诺');
    expect(card).toMatchObject({ via: 'oto', to: 'a2', msgKey: 'sampleActionCard' });
    expect(card.msgParam.singleTitle).toBe('打开网页填写');
    expect(card.msgParam.singleURL).toMatch(/^dingtalk:\/\/dingtalkclient\/page\/link\?url=https%3A%2F%2Fbot\.example\.edu\.cn%2Fp%2F.+&pc_slide=true$/);

    const path = pagePath(card);
    const page = await openPage(bot, path);
    expect(page).toContain('亮承诺：填写我的承诺');
    const answered = await postPage(bot, path, page, { area_1: '服务师生', promise_1: '钉钉网页填写的承诺', due_1: '2026-12-31' });
    expect(answered).toContain('承诺已提交，已在承诺墙公示');
    await bot.settle();

    const [stored] = await bot.db.select().from(pledges);
    expect(stored).toMatchObject({ kind: 'member', items: [{ area: '服务师生', promise: '钉钉网页填写的承诺', due: '2026-12-31' }] });
    expect(walls()).toHaveLength(1);
    expect(dtCardText(walls()[0]!)).toContain('钉钉网页填写的承诺');
    expect(dtCardText(walls()[0]!)).toContain('张三');
    // Not a robot message: those cannot be edited.
    expect(bot.fake.sent.filter((m) => m.via === 'group' && dtText(m).includes('承诺墙 ·'))).toEqual([]);

    // A second member's pledge updates the same card in place (PUT by its cardBizId).
    const other = pagePath(await dtSayPrivately(bot, 'a3', '/承诺'));
    await postPage(bot, other, await openPage(bot, other), { area_1: '爱岗敬业', promise_1: '全年零差错', due_1: '2026-11-30' });
    await bot.settle();
    expect(walls()).toHaveLength(1);
    expect(walls()[0]!.updates).toBeGreaterThanOrEqual(1);
    expect(dtCardText(walls()[0]!)).toContain('全年零差错');
    expect(dtCardText(walls()[0]!)).toContain('钉钉网页填写的承诺');
    expect(bot.fake.requests.filter((r) => r.path === '/v1.0/im/robots/interactiveCards' && r.status === 200).length).toBe(walls()[0]!.updates);
  });

  it('asked for in the group, sends the card privately and says so in the group', async () => {
    const before = bot.fake.sent.length;
    await bot.deliver(dtMessage({ from: 'a2', group: GROUP_A, text: '/承诺' }));
    await bot.settle();
    const out = bot.fake.sent.slice(before);
    expect(out.map((m) => `${m.via}:${m.to}`).sort()).toEqual(['group:cidBranchA==', 'oto:a2']);
    expect(dtText(out.find((m) => m.via === 'group')!)).toContain('私信');
    expect(out.find((m) => m.via === 'oto')!.msgKey).toBe('sampleActionCard');
  });
});

describe("a branch's pledge from DingTalk", () => {
  it("opens the secretary's branch pledge page (not their own) from the card sent when the phase opens", async () => {
    await bot.tick();
    const card = bot.fake.sent.find((m) => m.via === 'oto' && m.to === 'a1' && dtText(m).startsWith('### 支部承诺'))!;
    const path = pagePath(card);
    const page = await openPage(bot, path);
    expect(page).toContain('支部承诺：后勤第一党支部');
    const answered = await postPage(bot, path, page, { area_1: '服务师生', promise_1: '支部的承诺', due_1: '2026-12-31' });
    expect(answered).not.toContain('请修改');
    await bot.settle();
    const rows = await bot.db.select().from(pledges);
    expect(rows.map((r) => r.kind)).toEqual(['branch']);
  });
});

describe('a button of no command, from DingTalk', () => {
  it('opens as a one-button page whose button runs the action as the member, through dispatch (我已完成 of a phase)', async () => {
    const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
    const study = phases[0]!;
    bot.clock.set(new Date(study.opensAt.getTime() + 3600_000));
    const processedBefore = (await bot.db.select().from(processedEvents)).length;
    const token = linkToken(TEST_LINK_SECRET, {
      platform: 'dingtalk',
      tenantKey: 'dingcorp0001',
      userId: 'a2',
      purpose: buttonPurpose({ label: '我已完成', action: { ...PHASE_DONE, args: { p: String(study.id) } } }),
      expiresAt: new Date(bot.clock.now().getTime() + 86_400_000),
    });
    const page = await openPage(bot, `/p/${token}`);
    expect(page).toContain('请点击下面的按钮完成操作。');
    // Nothing runs on opening the page.
    expect(await bot.db.select().from(processedEvents)).toHaveLength(processedBefore);
    const answered = await postPage(bot, `/p/${token}`, page, {}, 'card-button');
    // The phase action's own answer for this member (学习动员 expects no answer from members here).
    expect(answered).toContain(`您不在「${study.title}」需要完成的名单中。`);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);
  });
});
