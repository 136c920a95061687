// 公开亮出承诺: the secretary makes the branch's pledges public on a web page anyone can open from a
// link or QR code (/承诺 公示 开启|关闭); the page shows them without members' names.
import { eq } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import type { PledgesPort } from '../../bot/ports.js';
import type { SubcommandSpec } from '../../bot/registry.js';
import { branches } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import { publicPledges } from '../survey/public-pledges.js';
import { requireChatBranch } from '../sync.js';

export const pledgePublic: SubcommandSpec = {
  names: ['public', '公示'],
  usage: '/pledge public on|off',
  summary: '开启或关闭本支部承诺的网页公示（开启 / 关闭），公示页可贴二维码接受服务对象监督（支部书记）',
  access: ['secretary', 'admin'],
  groupOnly: true,
  changesRoles: false,
  async run(ctx, args) {
    const branch = requireChatBranch(ctx);
    const word = args[0] ?? '开启';
    const on = ['开启', 'on', '打开'].includes(word) ? true : ['关闭', 'off'].includes(word) ? false : null;
    if (on === null) throw new InputError('开关', '请写“开启”或“关闭”，例如：/承诺 公示 开启。');
    if (on && !ctx.pages) throw new InputError('网页', '尚未配置网页链接（WEB_LINK_SECRET，及 PUBLIC_URL），无法公示，请联系管理员。');
    await ctx.db.update(branches).set({ pledgesPublic: on }).where(eq(branches.id, branch.id));
    await auditEntry(ctx.db, ctx.clock.now(), ctx.event, on ? 'pledge.public.on' : 'pledge.public.off', `branch:${branch.id}`, {});
    if (!on) return { text: `已关闭「${branch.name}」的承诺公示页。` };
    return {
      card: {
        title: `承诺公示 · ${branch.name}`,
        tone: 'red',
        blocks: [
          { type: 'markdown', text: '本支部和党员的承诺已在网页上公示，服务对象打开链接即可查看（不显示党员姓名），自觉接受监督。' },
          { type: 'links', links: [{ label: '打开公示页', url: ctx.pages!.pledgesUrl(branch.id) }] },
          { type: 'note', text: '发送 /承诺 公示 关闭 可随时关闭。' },
        ],
      },
    };
  },
};

export const pledgesPort: PledgesPort = {
  async view({ db, clock }, branchId) {
    const [b] = await db.select().from(branches).where(eq(branches.id, branchId));
    if (!b?.pledgesPublic) return null;
    const shown = await publicPledges(db, { platform: b.platform, tenantKey: b.tenantKey, branchId: b.id, memberId: null }, clock.now());
    return { branchName: b.name, branch: shown?.branch ?? null, members: shown?.members ?? [] };
  },
};
