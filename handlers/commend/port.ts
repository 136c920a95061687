// 评选表彰's public side, as the web adapter renders it: the list in 公示 (and its objections, named or
// anonymous, passed on to the committee), the final list, and each winner's certificate.
import { eq } from 'drizzle-orm';
import { objectionNoticeCard } from '../../cards/commend-cards.js';
import { enqueueMany } from '../../bot/outbox.js';
import { type CommendPort, OBJECTION_FIELDS, OBJECTION_LIMITS, type PortDeps } from '../../bot/ports.js';
import { formatDeadline, formatLocal, localDate } from '../../bot/time.js';
import { campaigns } from '../../db/schema.js';
import { chineseDate } from './dates.js';
import { adminIdsOf, committeeMembers } from '../committee.js';
import { nomineeTitle } from './store.js';
import { addObjection, commendationById, nomineeById, nomineesOf, objectionsOf } from './store.js';
import { resultsSpecOf } from '../results/compute.js';
import { sendableToOthers } from '../../bot/holiday-hold.js';

/** Objections the committee is told of one by one; later ones are read with /表彰 异议. */
const NOTICE_LIMIT = 20;
/** The signature on certificates unless COMMITTEE_NAME says otherwise. */
const DEFAULT_ISSUER = '中共后勤集团委员会';

async function campaignOf(deps: PortDeps, campaignId: number) {
  const [c] = await deps.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  return c!;
}

/** Everyone who hears of an objection: the committee (leaders) and the platform's administrators. */
async function committeeOf(deps: PortDeps, platform: string, tenantKey: string): Promise<string[]> {
  const leaders = await committeeMembers(deps.db, platform, tenantKey);
  return [...new Set([...leaders.map((l) => l.userId), ...(await adminIdsOf(deps.db, deps.config, platform, tenantKey))])];
}

export const commendPort: CommendPort = {
  async publicity(deps, id) {
    const c = await commendationById(deps.db, id);
    if (!c || (c.stage !== 'publicity' && c.stage !== 'final') || !c.publicityFrom || !c.publicityTo) return null;
    const campaign = await campaignOf(deps, c.campaignId);
    const tz = campaign.timezone;
    const shown = await nomineesOf(deps.db, id, c.stage === 'final' ? ['awarded'] : ['approved']);
    return {
      campaignTitle: campaign.title,
      stage: c.stage,
      from: formatLocal(c.publicityFrom, tz),
      to: formatDeadline(c.publicityTo, tz),
      open: c.stage === 'publicity' && deps.clock.now() < c.publicityTo,
      entries: shown.map((n) => ({ id: n.id, title: nomineeTitle(n), name: n.name, branch: n.branch })),
    };
  },

  async object(deps, id, form) {
    const view = await this.publicity(deps, id);
    if (!view?.open) return { ok: false, errors: ['公示期已结束，不再受理。'] };
    const errors: string[] = [];
    const about = (form[OBJECTION_FIELDS.nominee] ?? '').trim();
    const nominee = about ? view.entries.find((e) => String(e.id) === about) : null;
    if (about && !nominee) errors.push('反映对象：请从名单中选择。');
    const text = (form[OBJECTION_FIELDS.text] ?? '').trim();
    if (!text) errors.push('意见内容：请写明您反映的问题。');
    else if ([...text].length > OBJECTION_LIMITS.text) errors.push(`意见内容：最多 ${OBJECTION_LIMITS.text} 字，现在 ${[...text].length} 字。`);
    const name = (form[OBJECTION_FIELDS.name] ?? '').trim().slice(0, OBJECTION_LIMITS.name);
    const contact = (form[OBJECTION_FIELDS.contact] ?? '').trim().slice(0, OBJECTION_LIMITS.contact);
    if (contact && !name) errors.push('姓名：留了联系方式请同时留下姓名，或两项都不填（匿名）。');
    if (errors.length) return { ok: false, errors };
    const c = (await commendationById(deps.db, id))!;
    const campaign = await campaignOf(deps, c.campaignId);
    const now = deps.clock.now();
    await addObjection(deps.db, { commendationId: id, nomineeId: nominee?.id ?? null, text, name: name || null, contact: contact || null, at: now });
    const card = objectionNoticeCard({
      campaignTitle: campaign.title,
      about: nominee ? `${nominee.title}·${nominee.name}` : '整个名单',
      text,
      signed: name ? `${name}${contact ? `（${contact}）` : ''}` : '匿名',
    });
    // Each objection is stored; the committee hears of the first ones one by one, then reads the rest
    // with /表彰 异议 (a public form must not become a way to flood their chats).
    const count = (await objectionsOf(deps.db, id)).length;
    if (count <= NOTICE_LIMIT) {
      const more = count === NOTICE_LIMIT ? '此后的异议不再逐条通知，请发送 /表彰 异议 查看。' : null;
      const content = { kind: 'card' as const, card: more ? { ...card, blocks: [...card.blocks, { type: 'note' as const, text: more }] } : card };
      // Like everything sent to others: past quiet hours and the organisation's holidays.
      const notBefore = await sendableToOthers(deps.db, campaign, campaign.timezone, now);
      const told = await committeeOf(deps, campaign.platform, campaign.tenantKey);
      if (told.length) {
        await enqueueMany(
          deps.db,
          told.map((userId) => ({
            key: `commend-objection:${id}:${count}:${userId}`,
            platform: campaign.platform,
            to: { type: 'user' as const, id: userId },
            content,
            notBefore,
            campaignId: campaign.id,
          })),
        );
      }
    }
    return { ok: true, errors: [] };
  },

  async certificate(deps, nomineeId) {
    const n = await nomineeById(deps.db, nomineeId);
    if (!n || n.status !== 'awarded') return null;
    const c = (await commendationById(deps.db, n.commendationId))!;
    const campaign = await campaignOf(deps, c.campaignId);
    const decided = c.confirmedAt ?? deps.clock.now();
    return {
      kind: resultsSpecOf(campaign)?.titles.find((t) => t.id === n.titleId)?.award ?? 'certificate',
      title: nomineeTitle(n),
      name: n.name,
      branch: n.branch,
      campaignTitle: campaign.title,
      date: chineseDate(localDate(decided, campaign.timezone)),
      issuer: deps.config.env.COMMITTEE_NAME?.trim() || DEFAULT_ISSUER,
      commendationId: c.id,
    };
  },
};
