// The ledger (台账) over the neutral harness with real libSQL: a campaign with data in every part,
// exported by /台账 and read back with SheetJS (an independent reader): sheet names, Chinese
// headers, row counts, the frozen header and print setup; peer review only as aggregates behind
// the k-threshold; a secretary's ledger holds only their branch; a finished campaign's ledger still
// comes; one sheet as CSV; campaign selection by number and name.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../bot/outbox.js';
import { surveyPages } from '../../bot/platforms/web/survey-routes.js';
import { ledgerUrl } from '../../bot/platforms/web/ledger-routes.js';
import type { PublicPages } from '../../bot/platform.js';
import { botAdmins, campaigns, members, reviewBallots, reviewRounds } from '../../db/schema.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import { selectCampaign } from '../../handlers/campaign/select.js';
import { ledgerSheets } from '../../handlers/ledger/sheets.js';
import { ledgerPort } from '../../handlers/ledger/port.js';
import { fetchLink, readXlsx, type ReadBook } from '../support/ledger-read.js';
import { seedLedgerCampaign, type LedgerSeed } from '../support/ledger-seed.js';
import { cardOf, cardText, type NeutralBot, PLATFORM, startNeutralBot, TENANT, textOf } from '../support/neutral.js';

const SECRET = 'ledger-test-link-secret-0123';
const PUBLIC_URL = 'https://bot.example.edu.cn';
// Absolute links, as DingTalk needs them (it opens no relative link): PUBLIC_URL is set there.
const pages: PublicPages = { ...surveyPages(SECRET, PUBLIC_URL), ledgerUrl: (g) => ledgerUrl(SECRET, PUBLIC_URL, g) };
const NAMES = ['名册', '承诺与践诺', '申报与自评', '考核打分', '党员互评', '领导点评', '师生群众评议', '结果与表彰', '审计日志'];
const CHAT0 = `oc_ledger_${TENANT}_0`;

let bot: NeutralBot;
let seed: LedgerSeed;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: ['admin'], now: '2026-09-01T00:00:00Z', pages });
  seed = await seedLedgerCampaign(bot.db, {
    platform: PLATFORM,
    tenantKey: TENANT,
    branches: 2,
    perBranch: 6,
    leaders: 2,
    reviewSecret: 'neutral-review-secret',
    now: bot.clock.now(),
    startsOn: '2026-09-01',
    thinBranches: [1],
    noSurvey: [1],
  });
});
afterEach(async () => bot.close());

/** The link in the ledger card a reply (or a private message) carries. */
function linkOf(card: ReturnType<typeof cardOf>): string {
  const links = card?.blocks.find((b) => b.type === 'links');
  if (links?.type !== 'links') throw new Error(`no link in ${cardText(card)}`);
  return links.links[0]!.url;
}

async function download(url: string) {
  const got = await fetchLink({ db: bot.db, config: bot.config, clock: bot.clock }, ledgerPort, SECRET, url);
  if (!got) throw new Error('ledger refused');
  return got;
}

async function ledgerOf(from: string, text = '/台账'): Promise<ReadBook> {
  const reply = await bot.sayPrivately(from, text);
  return readXlsx((await download(linkOf(cardOf(reply)))).bytes);
}

const column = (book: ReadBook, sheet: string, header: string) => {
  const rows = book.sheets[sheet]!;
  const i = rows[0]!.indexOf(header);
  return rows.slice(1).map((r) => r[i]!);
};

describe('/台账', () => {
  it("gives an admin the whole committee's ledger, every sheet with Chinese headers, frozen and set for A4 landscape", async () => {
    const reply = await bot.sayPrivately('admin', '/台账');
    const card = cardOf(reply);
    expect(cardText(card)).toContain('全党委');
    const file = await download(linkOf(card));
    expect(file.fileName).toMatch(/^台账-.+-2026-09-01\.xlsx$/);
    const book = readXlsx(file.bytes);
    expect(book.names).toEqual(NAMES);
    for (const spec of ledgerSheets) {
      expect(book.sheets[spec.name]![0]).toEqual(spec.columns.map((c) => c.header));
      const xml = book.xml[spec.name]!;
      expect(xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
      expect(xml).toMatch(/<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"/);
      expect(xml).toMatch(/fitToWidth="1"/);
      expect(xml).toMatch(/<col min="1" max="1" width="\d+/);
    }
    const rows = (name: string) => book.sheets[name]!.length - 1;
    // 2 branches of 6 and 2 leaders; one member removed from the roster stays, marked.
    expect(rows('名册')).toBe(14);
    expect(column(book, '名册', '名册状态').filter((s) => s.startsWith('已移出'))).toHaveLength(1);
    // 政治面貌 for branch people; the committee's leaders have none on this roster.
    expect(column(book, '名册', '政治面貌').filter((s) => s === '正式党员')).toHaveLength(12);
    expect(column(book, '名册', '请假/免评').filter(Boolean)).toEqual([
      '请假（党员互评）：外出培训（已撤销）；请假（党员互评）：外出培训（延期）',
      '请假（党员互评）：外出培训（已撤销）；请假（党员互评）：外出培训（延期）',
    ]);
    // Each member 3 items, each branch 2: one row per item (and progress report).
    expect(rows('承诺与践诺')).toBe(2 * (6 * 3 + 2));
    // Applicants i = 1 of each branch: two self-assessment revisions each; two leaders score each.
    expect(rows('申报与自评')).toBe(4);
    expect(rows('考核打分')).toBe(4);
    expect(new Set(column(book, '考核打分', '评分人'))).toEqual(new Set(['委员1', '委员2']));
    expect(rows('党员互评')).toBe(12);
    expect(rows('领导点评')).toBe(2);
    expect(rows('师生群众评议')).toBe(1);
    // Every candidate of the template's two titles: 11 party members and 2 branches, missing parts named.
    expect(rows('结果与表彰')).toBe(13);
    expect(new Set(column(book, '结果与表彰', '称号'))).toEqual(new Set(['优秀共产党员', '先进党支部']));
    expect(column(book, '审计日志', '操作')).toContain('导出台账');
    // Times in the campaign's zone (Asia/Shanghai: the campaign was created at 08:00 local).
    expect(column(book, '名册', '加入名册')[0]).toBe('2026-09-01 08:00');
  });

  it('shows peer review only as per-member aggregates, and nothing of a round below its minimum of ballots', async () => {
    const book = await ledgerOf('admin');
    const peer = book.sheets['党员互评']!;
    expect(peer[0]).toEqual(['支部', '轮次', '党员', '有效票数', '优秀', '合格', '基本合格', '不合格', '平均星级', '说明']);
    const full = peer.slice(1).filter((r) => r[0] === '后勤第1党支部');
    const thin = peer.slice(1).filter((r) => r[0] === '后勤第2党支部');
    expect(full).toHaveLength(6);
    for (const r of full) {
      expect(r[3]).toBe('5');
      expect(Number(r[4]) + Number(r[5]) + Number(r[6]) + Number(r[7])).toBe(5);
    }
    expect(thin).toHaveLength(6);
    for (const r of thin) expect(r.slice(3, 9).every((c) => c === '') && r[9] === '不足3票，不公布').toBe(true);
    // No sheet holds a ballot line: no tag, no ballot comment, and no row of the peer sheet names two people.
    const tags = (await bot.db.select({ tag: reviewBallots.tag }).from(reviewBallots)).map((t) => t.tag);
    const names = new Set((await bot.db.select({ name: members.name }).from(members)).map((m) => m.name));
    for (const name of NAMES) {
      for (const row of book.sheets[name]!) {
        for (const cell of row) {
          expect(tags.some((t) => cell.includes(t))).toBe(false);
          expect(cell).not.toContain('继续保持');
        }
      }
    }
    for (const row of peer.slice(1)) expect(row.filter((c) => names.has(c))).toHaveLength(1);
  });

  it('shows nothing of a round still open (two exports around one vote would tell it)', async () => {
    await bot.db.update(reviewRounds).set({ status: 'open', closedAt: null }).where(eq(reviewRounds.branchId, seed.branchIds[0]!));
    const peer = (await ledgerOf('admin')).sheets['党员互评']!.slice(1).filter((r) => r[0] === '后勤第1党支部');
    expect(peer).toHaveLength(6);
    for (const r of peer) expect(r.slice(3, 9).every((c) => c === '') && r[9] === '评议进行中，结束后公布').toBe(true);
  });

  it('gives a secretary only their own branch, in the branch chat by private message', async () => {
    const before = bot.sent.length;
    const reply = await bot.say('u_0_0', CHAT0, '/台账');
    expect(textOf(reply)).toContain('私信');
    const privately = bot.sent.slice(before).find((m) => m.via === 'send' && m.to === 'u_0_0');
    const card = cardOf(privately?.content);
    expect(cardText(card)).toContain('后勤第1党支部');
    const book = readXlsx((await download(linkOf(card))).bytes);
    expect(book.names).toEqual(NAMES);
    for (const name of NAMES.filter((n) => n !== '审计日志' && n !== '结果与表彰')) {
      expect(new Set(column(book, name, '支部')), name).toEqual(new Set(['后勤第1党支部']));
    }
    expect(book.sheets['名册']!.length - 1).toBe(6);
    expect(column(book, '审计日志', '操作人')).not.toContain('书记2');
    // The other secretary: a survey-less branch says so; a thin round says nothing.
    const other = await ledgerOf('u_1_0');
    expect(other.sheets['师生群众评议']!.slice(1)).toEqual([['', '未开展', '', '', '', '', '', '', '', '', '', '']]);
    expect(column(other, '党员互评', '说明').every((s) => s === '不足3票，不公布')).toBe(true);
    expect(new Set(column(other, '名册', '支部'))).toEqual(new Set(['后勤第2党支部']));
  });

  it("stops a secretary's link when they are no longer secretary", async () => {
    const url = linkOf(cardOf(await bot.sayPrivately('u_0_0', '/台账')));
    await bot.db.update(members).set({ role: 'member' }).where(eq(members.userId, 'u_0_0'));
    expect(await fetchLink({ db: bot.db, config: bot.config, clock: bot.clock }, ledgerPort, SECRET, url)).toBeNull();
  });

  it('gives an administrator granted in the bot the whole ledger, until the grant is revoked', async () => {
    await bot.db
      .insert(botAdmins)
      .values({ platform: PLATFORM, tenantKey: TENANT, userId: 'u_1_3', name: '党员2-3', grantedBy: 'admin', grantedAt: bot.clock.now() });
    const url = linkOf(cardOf(await bot.sayPrivately('u_1_3', '/台账')));
    expect(readXlsx((await download(url)).bytes).sheets['名册']!.length - 1).toBe(14);
    await bot.db.update(botAdmins).set({ revokedAt: bot.clock.now(), revokedBy: 'admin' }).where(eq(botAdmins.userId, 'u_1_3'));
    expect(await fetchLink({ db: bot.db, config: bot.config, clock: bot.clock }, ledgerPort, SECRET, url)).toBeNull();
  });

  it('refuses members, and says what is wrong with a campaign or sheet name', async () => {
    expect(textOf(await bot.sayPrivately('u_0_3', '/台账'))).toContain('管理员或本支部书记');
    expect(textOf(await bot.sayPrivately('admin', '/台账 99'))).toContain('没有编号为 99 的活动');
    expect(textOf(await bot.sayPrivately('admin', '/台账 csv 花名册'))).toContain('没有名为「花名册」的表');
    expect(textOf(await bot.sayPrivately('admin', '/台账 csv'))).toContain('请写明要导出的表');
  });

  it('says so when no web edge serves links and the platform takes no files', async () => {
    const bare = await startNeutralBot({ admins: ['admin'] });
    try {
      await seedLedgerCampaign(bare.db, {
        platform: PLATFORM,
        tenantKey: TENANT,
        branches: 1,
        perBranch: 3,
        leaders: 1,
        reviewSecret: 'x',
        now: bare.clock.now(),
        startsOn: '2026-09-01',
      });
      expect(textOf(await bare.sayPrivately('admin', '/台账'))).toContain('尚未配置网页链接（WEB_LINK_SECRET）');
    } finally {
      await bare.close();
    }
  });

  it('exports one sheet as CSV', async () => {
    const reply = await bot.sayPrivately('admin', `/台账 #${seed.campaign.id} csv 名册`);
    const file = await download(linkOf(cardOf(reply)));
    expect(file.fileName).toMatch(/-名册-2026-09-01\.csv$/);
    const text = file.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF支部,姓名,角色,政治面貌,工号,职务,入党日期,加入名册,名册状态,请假/免评\r\n')).toBe(true);
    expect(text.trimEnd().split('\r\n')).toHaveLength(15);
  });

  it("still gives a finished campaign's ledger, by default and by number", async () => {
    // Past the last phase and the catch-up week: the campaign is finished.
    bot.clock.set(new Date('2027-03-01T00:00:00Z'));
    await bot.tick();
    const [row] = await bot.db.select().from(campaigns).where(eq(campaigns.id, seed.campaign.id));
    expect(row!.status).toBe('finished');
    expect(textOf(await bot.sayPrivately('admin', '/活动'))).toContain('当前没有进行中的活动');
    const book = await ledgerOf('admin');
    expect(book.sheets['名册']!.length - 1).toBe(14);
    expect(cardText(cardOf(await bot.sayPrivately('admin', `/台账 编号${seed.campaign.id}`)))).toContain('已结束');
  });
});

describe('file messages', () => {
  it('go out as their fallback text (the link) on a platform that takes no files', async () => {
    const ledger = { platform: PLATFORM, tenantKey: TENANT, userId: 'admin', campaignId: seed.campaign.id, branchId: null, sheet: null };
    await enqueue(bot.db, {
      key: 'file-1',
      platform: PLATFORM,
      to: { type: 'user', id: 'admin' },
      content: { kind: 'file', file: { ledger }, fallback: '台账下载链接：/dl/x' },
      notBefore: bot.clock.now(),
    });
    await bot.tick();
    expect(bot.sent.filter((m) => m.to === 'admin').map((m) => m.content)).toEqual([{ kind: 'text', text: '台账下载链接：/dl/x' }]);
  });
});

describe('selectCampaign', () => {
  it('takes the newest active campaign, else the newest finished one; a number; a piece of the title; lists the ambiguous', async () => {
    const where = { platform: PLATFORM, tenantKey: TENANT };
    const first = seed.campaign;
    const [second] = await bot.db
      .insert(campaigns)
      .values({
        ...first,
        id: undefined,
        title: '创先争优活动（2027）',
        templateId: 'excellence',
        template: findTemplate('excellence')!.template,
        status: 'finished',
        createdAt: bot.clock.now(),
      })
      .returning();
    const pickOf = async (arg?: string) => {
      const c = await selectCampaign(bot.db, where, arg);
      return c.ok ? c.campaign.id : c.message;
    };
    expect(await pickOf()).toBe(first.id);
    expect(await pickOf('3x')).toContain('没有名称含「3x」的活动');
    expect(await pickOf(String(second!.id))).toBe(second!.id);
    expect(await pickOf(`#${second!.id}`)).toBe(second!.id);
    expect(await pickOf('2027')).toBe(second!.id);
    expect(await pickOf('三亮')).toBe(first.id);
    expect(await pickOf('活动')).toContain('请用编号指定');
    await bot.db.update(campaigns).set({ status: 'stopped' }).where(eq(campaigns.id, first.id));
    expect(await pickOf()).toBe(second!.id);
    expect(await selectCampaign(bot.db, { platform: PLATFORM, tenantKey: 'nobody' })).toEqual({
      ok: false,
      message: expect.stringContaining('还没有任何活动'),
    });
  });
});
