// /pledge (/承诺): my pledge card; branch (支部), status (进度) and check (核实) for secretaries.
import { pledgeStatusCard, type MemberPledgeStatus, type ProgressKey } from '../../cards/pledge-cards.js';
import { phasesOf } from '../../bot/engine/store.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import type { CommandEvent, Reply } from '../../bot/types.js';
import { currentCampaign } from '../campaign/current.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { replyPrivately } from '../private-card.js';
import { actorBranchId } from '../../bot/access.js';
import { pledgeCardFor, progressCardFor } from './cards.js';
import { pledgePublic } from './public.js';
import { isPhaseOpen, pledgeScope, resolveOwner } from './context.js';
import { auditEntry } from '../audit.js';
import { branchPledges, branchRoster, checkItem, findPledge, progressOf } from './store.js';

/** The pledge phase to act on: the open one, else the latest that has opened. */
function pledgePhase(phases: PhaseState[], now: Date): PhaseState {
  const started = phases.filter((p) => p.kind === 'pledge' && p.opensAt <= now);
  const phase = started.find((p) => isPhaseOpen(p, now)) ?? started.at(-1);
  if (!phase) throw new InputError('阶段', '本次活动的承诺阶段还没有开始。');
  return phase;
}

function checkPhaseNow(phases: PhaseState[], now: Date): PhaseState | undefined {
  return phases.find((p) => p.pledgePhaseId !== null && isPhaseOpen(p, now));
}

async function myCard(ctx: HandlerContext<CommandEvent>): Promise<Reply> {
  const campaign = await currentCampaign(ctx);
  const now = ctx.clock.now();
  const phases = await phasesOf(ctx.db, campaign.id);
  const owner = await resolveOwner(ctx, campaign.id, 'member', undefined);
  const check = checkPhaseNow(phases, now);
  if (check && (await findPledge(ctx.db, check.pledgePhaseId!, owner))) {
    return replyPrivately(ctx, await progressCardFor(ctx, await pledgeScope(ctx, check.id), owner), '进度卡片');
  }
  return replyPrivately(ctx, await pledgeCardFor(ctx, await pledgeScope(ctx, pledgePhase(phases, now).id), owner), '承诺卡片');
}

const pledgeBranch: SubcommandSpec = {
  names: ['branch', '支部'],
  usage: '/pledge branch',
  summary: '填写或修改本支部的承诺（支部书记）',
  access: ['secretary', 'admin'],
  async run(ctx) {
    const campaign = await currentCampaign(ctx);
    const phase = pledgePhase(await phasesOf(ctx.db, campaign.id), ctx.clock.now());
    const owner = await resolveOwner(ctx, campaign.id, 'branch', String(actorBranchId(ctx.actor)));
    return replyPrivately(ctx, await pledgeCardFor(ctx, await pledgeScope(ctx, phase.id), owner), '承诺卡片');
  },
};

const pledgeStatus: SubcommandSpec = {
  names: ['status', '进度'],
  usage: '/pledge status',
  summary: '查看本支部谁已承诺、践诺进度和核实情况（支部书记）',
  access: ['secretary', 'admin'],
  async run(ctx) {
    const campaign = await currentCampaign(ctx);
    const now = ctx.clock.now();
    const phases = await phasesOf(ctx.db, campaign.id);
    const phase = pledgePhase(phases, now);
    const check = phases.filter((p) => p.pledgePhaseId === phase.id && p.opensAt <= now).at(-1) ?? null;
    const branchId = actorBranchId(ctx.actor);
    const roster = (await branchRoster(ctx.db, campaign.id, branchId)).filter((r) => r.role !== 'leader');
    const pledgesBy = new Map((await branchPledges(ctx.db, phase.id, branchId)).map((p) => [p.pledge.memberId, p.pledge]));
    const rows: MemberPledgeStatus[] = [];
    for (const person of roster) {
      const pledge = pledgesBy.get(person.memberId);
      const progress = pledge && check ? await progressOf(ctx.db, pledge.id, check.id) : [];
      rows.push({
        name: person.name,
        pledged: Boolean(pledge),
        items: (pledge?.items ?? []).map((it, i) => {
          const p = progress.find((r) => r.itemNo === i + 1);
          return {
            no: i + 1,
            area: it.area,
            status: (p?.status as ProgressKey | undefined) ?? null,
            checked: Boolean(p?.checkedAt),
            comment: p?.checkComment ?? null,
          };
        }),
      });
    }
    const branchName = ctx.actor.chatBranch?.name ?? '本支部';
    return { card: pledgeStatusCard(branchName, phase.title, check?.title ?? null, rows) };
  },
};

const pledgeCheck: SubcommandSpec = {
  names: ['check', '核实'],
  usage: '/pledge check @某人 <项号> <评语>',
  summary: '核实某人的一项承诺进度并留下评语（支部书记）',
  access: ['secretary', 'admin'],
  async run(ctx, args) {
    const target = ctx.event.mentions[0];
    if (!target) throw new InputError('对象', '请 @ 要核实的党员，例如：/承诺 核实 @张三 1 已按期完成');
    const itemNo = Number(args[0]);
    if (!Number.isInteger(itemNo) || itemNo < 1) throw new InputError('项号', `项号应为 1、2、3 这样的数字，收到「${args[0] ?? ''}」。`);
    const comment = args.slice(1).join(' ').trim();
    if (!comment) throw new InputError('评语', '请写上核实评语，例如：已按期完成。');
    const campaign = await currentCampaign(ctx);
    const now = ctx.clock.now();
    const phases = await phasesOf(ctx.db, campaign.id);
    const phase = pledgePhase(phases, now);
    const check = phases.filter((p) => p.pledgePhaseId === phase.id && p.opensAt <= now).at(-1);
    if (!check) throw new InputError('阶段', '践诺检查阶段还没有开始。');
    const person = (await branchRoster(ctx.db, campaign.id, actorBranchId(ctx.actor))).find((r) => r.userId === target.userId);
    if (!person) throw new InputError('对象', `${target.name} 不在本支部的活动名册中。`);
    const pledge = await findPledge(ctx.db, phase.id, { kind: 'member', memberId: person.memberId, branchId: null });
    if (!pledge) throw new InputError('对象', `${person.name} 没有提交承诺。`);
    if (itemNo > pledge.items.length) throw new InputError('项号', `${person.name} 只有 ${pledge.items.length} 项承诺。`);
    const ok = await checkItem(ctx.db, { pledgeId: pledge.id, phaseId: check.id, itemNo, by: ctx.actor.userId, comment, now });
    if (!ok) throw new InputError('进度', `${person.name} 还没有报告第${itemNo}项的进度，报告后才能核实。`);
    await auditEntry(ctx.db, now, ctx.event, 'pledge.check', `${pledge.id}:${itemNo}`, { member: person.name, item: itemNo, comment });
    return { text: `已核实 ${person.name} 第${itemNo}项承诺：${comment}` };
  },
};

export const pledgeCommand: CommandSpec = {
  name: 'pledge',
  aliases: ['承诺'],
  usage: '/pledge',
  summary: '获取我的承诺卡片（填写、修改或报告践诺进度）',
  access: ['member'],
  run: myCard,
  subcommands: [pledgeBranch, pledgeStatus, pledgeCheck, pledgePublic],
};
