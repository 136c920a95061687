// 评选表彰's public side, as the web adapter renders it: the list in 公示 (and its objections, named or
// anonymous, passed on to the committee), the final list, and each winner's certificate.
import { and, eq } from 'drizzle-orm';
import { objectionNoticeCard } from '../../cards/commend-cards.js';
import { enqueue } from '../../bot/outbox.js';
import type { CommendPort, PortDeps } from '../../bot/ports.js';
import { formatDeadline, formatLocal, localDate } from '../../bot/time.js';
import { campaigns, members } from '../../db/schema.js';
import { OBJECTION_FIELDS, OBJECTION_MAX } from './fields.js';
import { addObjection, commendationById, nomineeById, nomineesOf } from './store.js';

async function campaignOf(deps: PortDeps, campaignId: number) {
  const [c] = await deps.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  return c!;
}

const chineseDate = (d: string): string => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

/** Everyone who hears of an objection: the committee (leaders) and the platform's administrators. */
async function committeeOf(deps: PortDeps, platform: string, tenantKey: string): Promise<string[]> {
  const leaders = await deps.db
    .select({ userId: members.userId })
    .from(members)
    .where(and(eq(members.platform, platform), eq(members.tenantKey, tenantKey), eq(members.role, 'leader'), eq(members.active, true)));
  const admins = [...deps.config.admins].filter((a) => a.startsWith(`${platform}:`)).map((a) => a.slice(platform.length + 1));
  return [...new Set([...leaders.map((l) => l.userId), ...admins])];
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
      entries: shown.map((n) => ({ id: n.id, title: n.titleName + (n.postKind ? `·${n.postKind}` : ''), name: n.name, branch: n.branch })),
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
    else if ([...text].length > OBJECTION_MAX) errors.push(`意见内容：最多 ${OBJECTION_MAX} 字，现在 ${[...text].length} 字。`);
    const name = (form[OBJECTION_FIELDS.name] ?? '').trim().slice(0, 40);
    const contact = (form[OBJECTION_FIELDS.contact] ?? '').trim().slice(0, 60);
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
    const key = `commend-objection:${id}:${now.getTime()}:${Math.random().toString(36).slice(2, 8)}`;
    for (const userId of await committeeOf(deps, campaign.platform, campaign.tenantKey)) {
      await enqueue(deps.db, {
        key: `${key}:${userId}`,
        platform: campaign.platform,
        to: { type: 'user', id: userId },
        content: { kind: 'card', card },
        notBefore: now,
        campaignId: campaign.id,
        urgent: true,
      });
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
      kind: n.titleId === 'model-post' ? 'plaque' : 'certificate',
      title: n.titleName + (n.postKind ? `·${n.postKind}` : ''),
      name: n.name,
      branch: n.branch,
      campaignTitle: campaign.title,
      date: chineseDate(localDate(decided, campaign.timezone)),
      commendationId: c.id,
    };
  },
};
