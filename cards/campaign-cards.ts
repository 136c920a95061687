// Cards of the campaign engine: phase opening, nudge, secretary digest, phase summary.
import type { ActionRef, Block, Button, CardModel } from './model.js';
import { md } from './text.js';

export const PHASE_DONE = { id: 'phase.done', v: 1 } as const;

interface CampaignInfo {
  title: string;
}

interface PhaseInfo {
  id: number;
  title: string;
  task: string;
  respond: 'member' | 'secretary' | 'leader' | null;
}

const RESPONDER_LABEL = { member: '全体党员', secretary: '各支部书记', leader: '联系支部的党委委员' } as const;

export function phaseDoneAction(phaseId: number): ActionRef {
  return { ...PHASE_DONE, args: { p: String(phaseId) } };
}

/** The plain answer of a phase no capability's form answers. */
export function phaseDoneButton(phaseId: number): Button {
  return { label: '我已完成', style: 'primary', action: phaseDoneAction(phaseId) };
}

/** The button that answers the phase, from the capability that owns its answer (null: none). */
function answerBlock(button: Button | null): Block[] {
  return button ? [{ type: 'actions', buttons: [button] }] : [];
}

export function phaseOpenCard(c: CampaignInfo, phase: PhaseInfo, opens: string, closes: string, button: Button | null): CardModel {
  return {
    title: `${phase.title} 阶段开始`,
    subtitle: c.title,
    tone: 'red',
    blocks: [
      {
        type: 'fields',
        fields: [{ label: '时间', value: `${opens} 至 ${closes}` }, ...(phase.respond ? [{ label: '需完成', value: RESPONDER_LABEL[phase.respond] }] : [])],
      },
      { type: 'markdown', text: phase.task },
      ...answerBlock(button),
      // A phase nobody answers (学习动员) has nobody to remind.
      ...(phase.respond ? [{ type: 'note' as const, text: '截止前我会私信提醒尚未完成的同志。' }] : []),
    ],
  };
}

/** `left` says when it closes as the reader counts days: 今天截止, 明天截止, 还有 3 天截止. */
export function nudgeCard(c: CampaignInfo, phase: PhaseInfo, name: string, closes: string, left: string, button: Button | null): CardModel {
  return {
    title: `提醒：「${phase.title}」${left}`,
    subtitle: c.title,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: `${name}同志，您好！「${phase.title}」将于 **${closes}** 截止，您尚未完成。` },
      { type: 'markdown', text: phase.task },
      ...answerBlock(button),
    ],
  };
}

/** To a secretary: a member has let several reminders pass; a word in person may help. */
export function escalationCard(c: CampaignInfo, phase: PhaseInfo, name: string, ignored: number, closes: string): CardModel {
  return {
    title: `请关心：${name} 多次未回应提醒`,
    subtitle: `${c.title} · ${phase.title}`,
    tone: 'red',
    blocks: [
      { type: 'markdown', text: `**${md(name)}** 同志在本次活动中已有 **${ignored}** 次提醒未回应，「${md(phase.title)}」将于 ${closes} 截止，仍未完成。` },
      { type: 'note', text: '建议当面提醒或了解情况；确有困难的，可用 /请假 或 /免评 登记。' },
    ],
  };
}

export interface CompletionInfo {
  expected: number;
  done: number;
  pending: Array<{ name: string }>;
  /** Excused (请假 / 免评): neither expected nor pending. */
  excused?: Array<{ name: string }>;
}

export function digestCard(c: CampaignInfo, phase: PhaseInfo, branchName: string, s: CompletionInfo, closes: string): CardModel {
  const names = s.pending.map((p) => md(p.name));
  const shown = names.length > 50 ? `${names.slice(0, 50).join('、')} 等 ${names.length} 人` : names.join('、');
  return {
    title: `每日进度：${branchName}`,
    subtitle: `${c.title} · ${phase.title}`,
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: `已完成 **${s.done}/${s.expected}** 人，截止 ${closes}。` },
      { type: 'markdown', text: `尚未完成（${names.length} 人）：${shown}` },
      ...(s.excused?.length
        ? [{ type: 'markdown' as const, text: `请假/免评（${s.excused.length} 人）：${s.excused.map((p) => md(p.name)).join('、')}` }]
        : []),
      { type: 'note', text: '截止前 3 天和 1 天，我会私信提醒尚未完成的同志。' },
    ],
  };
}

export function phaseCloseCard(
  c: CampaignInfo,
  phase: PhaseInfo,
  branchName: string,
  s: Pick<CompletionInfo, 'expected' | 'done'>,
  next: string | null,
): CardModel {
  const rate = s.expected ? Math.round((s.done / s.expected) * 100) : 100;
  return {
    title: `${phase.title} 阶段结束`,
    subtitle: c.title,
    tone: 'green',
    blocks: [
      ...(phase.respond
        ? [{ type: 'markdown' as const, text: `**${branchName}** 完成 ${s.done}/${s.expected} 人（${rate}%）。` }]
        : [{ type: 'markdown' as const, text: `**${branchName}**：本阶段已结束。` }]),
      { type: 'note', text: next ? `下一阶段：${next}` : '这是本次活动的最后一个阶段，感谢各位同志的参与！' },
    ],
  };
}
