// Cards for secretaries and admins: a campaign just created, and where a campaign stands.
import type { Block, CardModel } from './model.js';

export interface PhaseLine {
  seq: number;
  title: string;
  opens: string;
  closes: string;
  state: '未开始' | '进行中' | '已结束';
}

function phaseTable(phases: PhaseLine[]): string {
  return phases.map((p) => `${p.seq + 1}. **${p.title}** ${p.opens} 至 ${p.closes}（${p.state}）`).join('\n');
}

export function campaignCreatedCard(c: {
  id: number;
  title: string;
  source: string;
  rubricVersion: string | null;
  phases: PhaseLine[];
  rosterSize: number;
  /** Committee members in the roster: they review, they do not pledge or peer-review (/同步 counts the others). */
  leaders: number;
  warnings: string[];
}): CardModel {
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: '依据', value: c.source },
        {
          label: '名册',
          value: `${c.rosterSize - c.leaders} 名党员${c.leaders ? `、${c.leaders} 名党委委员（参加领导点评，不参加承诺和互评）` : ''}（已冻结，之后的调整需 /活动 名册 添加|移除）`,
        },
        ...(c.rubricVersion ? [{ label: '评分细则', value: c.rubricVersion }] : []),
      ],
    },
    { type: 'markdown', text: phaseTable(c.phases) },
  ];
  if (c.warnings.length) blocks.push({ type: 'markdown', text: `**模板提示**\n${c.warnings.map((w) => `- ${w}`).join('\n')}` });
  if (c.rosterSize === 0) blocks.push({ type: 'markdown', text: '名册为空：请先在各支部群发送 /同步 导入成员，再用 /活动 名册 添加 补充。' });
  blocks.push({ type: 'note', text: `活动编号 #${c.id}。各阶段开始时我会在已绑定的支部群发布通知，并在截止前提醒。` });
  return { title: `已创建活动：${c.title}`, tone: 'red', blocks };
}

export interface BranchProgress {
  branch: string;
  done: number;
  expected: number;
  /** Excused (请假 / 免评): not in expected. */
  excused?: Array<{ name: string }>;
}

const excusedNote = (b: { excused?: Array<{ name: string }> }): string => (b.excused?.length ? `，请假/免评 ${b.excused.length} 人` : '');

export interface OpenPhaseStatus {
  title: string;
  opens: string;
  closes: string;
  progress: BranchProgress[];
}

export function campaignStatusCard(c: {
  id: number;
  title: string;
  status: string;
  open: OpenPhaseStatus[];
  next: string | null;
  blackouts: string[];
  admin: { dead: number; dropped: number; pending: number } | null;
}): CardModel {
  const blocks: Block[] = [];
  if (c.open.length === 0) blocks.push({ type: 'markdown', text: '当前没有进行中的阶段。' });
  for (const p of c.open) {
    const rows = p.progress.length
      ? p.progress
          .map((b) => `- ${b.branch}：${b.done}/${b.expected}${b.expected ? `（${Math.round((b.done / b.expected) * 100)}%）` : ''}${excusedNote(b)}`)
          .join('\n')
      : '- 本阶段无需逐人完成';
    blocks.push({ type: 'markdown', text: `**${p.title}**（${p.opens} 至 ${p.closes}）\n${rows}` });
  }
  if (c.next) blocks.push({ type: 'markdown', text: `下一阶段：${c.next}` });
  if (c.blackouts.length) blocks.push({ type: 'markdown', text: `假期暂停提醒：${c.blackouts.join('；')}` });
  if (c.admin) {
    blocks.push({
      type: 'note',
      text: `消息队列：待发送 ${c.admin.pending}，发送失败 ${c.admin.dead}，已跳过（过期）${c.admin.dropped}。`,
    });
  }
  return { title: `${c.title}（#${c.id}）`, subtitle: c.status, tone: 'blue', blocks };
}
