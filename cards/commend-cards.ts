// Cards of a campaign's end: the ranked results per title, the committee's vote, 公示, the final list
// and the congratulation each winner receives. Pure: names, scores and dates come in formatted.
import { partLabel, type RankedGroup, type TitleResult } from '../bot/campaign/results.js';
import type { Block, Button, CardModel, FormField } from './model.js';
import { md, tone } from './text.js';

export const COMMEND_ACTIONS = {
  nominate: { id: 'commend.nominate', v: 1 },
  withdraw: { id: 'commend.withdraw', v: 1 },
  vote: { id: 'commend.vote', v: 1 },
} as const;

export const VOTE_OPTIONS = [
  { label: '同意', value: 'yes' },
  { label: '不同意', value: 'no' },
] as const;

export interface NominationMark {
  titleId: string;
  subjectId: number;
  status: string;
}

export interface ResultsCardInput {
  campaignTitle: string;
  campaignNo: number;
  formula: string;
  formulaVersion: string;
  titles: TitleResult[];
  /** Present while the committee may nominate: the commendation id and who is already nominated. */
  nominating: { commendationId: number; marks: NominationMark[] } | null;
  computedAt: string;
  /** Where 评选表彰 stands, e.g. 评选表彰：公示中，至 2027-07-08 24:00. */
  stage: string;
}

const STATUS_LABELS: Record<string, string> = {
  nominated: '已提名',
  approved: '表决通过',
  rejected: '表决未通过',
  awarded: '已表彰',
  withdrawn: '已撤回',
};

function rankText(rank: number | null, tied: boolean): string {
  if (rank === null) return '—';
  return tied ? `并列第 ${rank}` : `第 ${rank}`;
}

/** Ranked lines shown per group; the rest are counted (a card has a size limit, a committee a patience). */
const SHOWN = 15;

function groupBlocks(t: TitleResult, g: RankedGroup, input: ResultsCardInput): Block[] {
  const unit = t.title.subject === 'branch' ? '个' : '名';
  const head = `**${md(t.title.name)}${g.postKind ? ` · ${md(g.postKind)}` : ''}**　${g.quota === null ? '不限名额' : `名额 ${g.quota} ${unit}`}`;
  const ranked = g.entries.filter((e) => e.total !== null);
  const lines = ranked.slice(0, SHOWN).map((e) => {
    const mark = input.nominating?.marks.find((m) => m.titleId === t.title.id && m.subjectId === e.candidate.subjectId && m.status !== 'withdrawn');
    const where = e.candidate.branch && e.candidate.branch !== e.candidate.name ? `（${md(e.candidate.branch)}）` : '';
    const parts = t.title.parts.map((p) => `${md(p.label)}：${md(partLabel(e.candidate.parts[p.source]))}`).join('；');
    const note = e.note ? `；${tone('orange', md(e.note))}` : '';
    const status = mark ? `　${tone('green', STATUS_LABELS[mark.status] ?? mark.status)}` : '';
    return `${rankText(e.rank, e.tied)}　**${md(e.candidate.name)}**${where}　**${e.total}** 分${status}\n   ${parts}${note}`;
  });
  if (ranked.length > SHOWN) lines.push(tone('grey', `…… 另有 ${ranked.length - SHOWN} 名（第 ${ranked[SHOWN]!.rank} 名起）未列出。`));
  // Those without a total, grouped by why: a name list when short, else a count.
  const why = new Map<string, string[]>();
  for (const e of g.entries.filter((x) => x.total === null)) {
    const where = e.candidate.branch && e.candidate.branch !== e.candidate.name ? `（${e.candidate.branch}）` : '';
    why.set(e.note ?? '无法计算', [...(why.get(e.note ?? '无法计算') ?? []), `${e.candidate.name}${where}`]);
  }
  for (const [note, names] of why) {
    lines.push(`—　${names.length <= 5 ? names.map((n) => `**${md(n)}**`).join('、') : `${names.length} 名`}　${tone('grey', md(note))}`);
  }
  const blocks: Block[] = [{ type: 'markdown', text: [head, ...(lines.length ? lines : [tone('grey', '没有候选人。')])].join('\n') }];
  if (g.tieAtQuota) blocks.push({ type: 'note', text: `名额线上有并列，按名次会超出 ${g.quota} 个名额，请委员会研究确定提名人选。` });
  if (input.nominating) {
    const buttons: Button[] = g.entries
      .filter((e) => e.total !== null)
      .slice(0, 10)
      .map((e) => {
        const mark = input.nominating!.marks.find((m) => m.titleId === t.title.id && m.subjectId === e.candidate.subjectId && m.status === 'nominated');
        const args = { c: String(input.nominating!.commendationId), t: t.title.id, s: String(e.candidate.subjectId) };
        return mark
          ? { label: `撤回 ${e.candidate.name}`, action: { ...COMMEND_ACTIONS.withdraw, args } }
          : { label: `提名 ${e.candidate.name}`, action: { ...COMMEND_ACTIONS.nominate, args }, style: 'primary' as const };
      });
    if (buttons.length) blocks.push({ type: 'actions', buttons });
  }
  const chartable = g.entries.filter((e) => e.total !== null).slice(0, 12);
  if (chartable.length >= 2)
    blocks.push({
      type: 'chart',
      title: `${t.title.name}${g.postKind ? ` · ${g.postKind}` : ''} 得分`,
      bars: chartable.map((e) => ({ label: e.candidate.name, value: e.total! })),
    });
  return blocks;
}

export function resultsCard(input: ResultsCardInput): CardModel {
  const blocks: Block[] = [{ type: 'note', text: `计算口径（${input.formulaVersion}）：${input.formula}` }];
  for (const t of input.titles) {
    for (const g of t.groups) blocks.push({ type: 'divider' }, ...groupBlocks(t, g, input));
  }
  blocks.push({
    type: 'note',
    text: input.nominating
      ? `按 ${input.computedAt} 的数据计算。管理员可点按钮提名（不超过名额），或发送 /表彰 提名 <称号> <姓名>；提名完成后发送 /表彰 表决。`
      : `按 ${input.computedAt} 的数据计算。缺项注明原因，不按零分计。`,
  });
  return { title: `活动结果：${input.campaignTitle}`, subtitle: `活动 #${input.campaignNo}｜${input.stage}`, tone: 'blue', blocks };
}

export interface NomineeLine {
  id: number;
  title: string;
  name: string;
  branch: string;
  score: string;
}

/** The committee member's ballot on the nominated list: 同意/不同意 per nominee, changeable until 公示. */
export function commendVoteCard(input: { commendationId: number; campaignTitle: string; nominees: NomineeLine[]; given: Record<number, string> }): CardModel {
  const fields: FormField[] = input.nominees.map((n) => ({
    kind: 'select',
    name: `v_${n.id}`,
    placeholder: `${n.title}：${n.name}`,
    options: VOTE_OPTIONS.map((o) => ({ ...o })),
    ...(input.given[n.id] ? { value: input.given[n.id] } : {}),
  }));
  const list = input.nominees.map((n, i) => `${i + 1}. ${md(n.title)}　**${md(n.name)}**（${md(n.branch)}）${md(n.score)}`).join('\n');
  return {
    title: `评选表彰表决：${input.campaignTitle}`,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: `请对提名名单逐一表决（同意 / 不同意），过半数同意的进入公示。公示前可以修改。\n${list}` },
      {
        type: 'form',
        name: 'commend_vote',
        sections: [{ heading: '表决', fields }],
        submit: { label: '提交表决', action: { ...COMMEND_ACTIONS.vote, args: { c: String(input.commendationId) } }, style: 'primary' },
      },
    ],
  };
}

export function commendVotedCard(input: { campaignTitle: string; lines: string[]; revision: number }): CardModel {
  return {
    title: `表决已提交：${input.campaignTitle}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: input.lines.map((l) => md(l)).join('\n') },
      { type: 'note', text: `第 ${input.revision} 次提交。公示前可发送 /表彰 表决 修改。` },
    ],
  };
}

export interface PublicityInput {
  campaignTitle: string;
  /** Local dates of the first and last day. */
  from: string;
  to: string;
  /** Working days. */
  days: number;
  entries: Array<{ title: string; name: string; branch: string }>;
  url: string | null;
}

/** "**优秀共产党员**：张三（后勤第一党支部）、…" a line per title. */
function listText(entries: Array<{ title: string; name: string; branch: string }>): string {
  const byTitle = new Map<string, string[]>();
  for (const e of entries) byTitle.set(e.title, [...(byTitle.get(e.title) ?? []), e.branch && e.branch !== e.name ? `${e.name}（${e.branch}）` : e.name]);
  return [...byTitle].map(([t, names]) => `**${md(t)}**：${names.map(md).join('、')}`).join('\n') || '（无）';
}

/** 公示 in every branch chat: the approved list, the period, and where to object. */
export function publicityCard(p: PublicityInput): CardModel {
  return {
    title: `评选表彰公示：${p.campaignTitle}`,
    tone: 'red',
    blocks: [
      { type: 'markdown', text: `经集团党委研究，拟表彰以下同志和集体，现予公示：\n${listText(p.entries)}` },
      { type: 'fields', fields: [{ label: '公示期', value: `${p.from} 至 ${p.to}（${p.days} 个工作日）` }] },
      {
        type: 'note',
        text: '公示期间，如有异议，可通过公示页面向集团党委实名或匿名反映（实名反映的请留联系方式，便于核实）。',
      },
      ...(p.url ? [{ type: 'links' as const, links: [{ label: '查看公示 / 反映意见', url: p.url }] }] : []),
    ],
  };
}

export function objectionNoticeCard(o: { campaignTitle: string; about: string; text: string; signed: string }): CardModel {
  return {
    title: `公示异议：${o.campaignTitle}`,
    tone: 'orange',
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: '涉及', value: o.about },
          { label: '反映人', value: o.signed },
        ],
      },
      { type: 'markdown', text: md(o.text) },
      { type: 'note', text: '请核实处理。如需撤回提名：/表彰 撤回 <称号> <姓名> <理由>。' },
    ],
  };
}

export function finalListCard(p: { campaignTitle: string; date: string; entries: Array<{ title: string; name: string; branch: string }> }): CardModel {
  return {
    title: `表彰决定：${p.campaignTitle}`,
    tone: 'red',
    blocks: [
      { type: 'markdown', text: `公示期满，经集团党委研究决定，对以下同志和集体予以表彰（${p.date}）：\n${listText(p.entries)}` },
      { type: 'note', text: '希望受表彰的同志和集体珍惜荣誉、再接再厉；全体党员向先进学习。' },
    ],
  };
}

export function congratulationCard(c: {
  name: string;
  title: string;
  campaignTitle: string;
  certificateUrl: string | null;
  collective: boolean;
  /** A 标牌 (a post held from now on) rather than a 荣誉证书. */
  plaque: boolean;
}): CardModel {
  return {
    title: c.collective ? `热烈祝贺：${c.title}` : `祝贺您：${c.title}`,
    tone: 'red',
    blocks: [
      {
        type: 'markdown',
        text: `**${md(c.name)}**：\n在「${md(c.campaignTitle)}」中，经集团党委研究决定，授予${c.collective ? '' : '您'}「**${md(c.title)}**」称号。${c.collective ? '向支部全体同志表示热烈祝贺！' : '向您表示热烈祝贺！'}`,
      },
      ...(c.certificateUrl ? [{ type: 'links' as const, links: [{ label: c.plaque ? '查看并打印标牌' : '查看并打印荣誉证书', url: c.certificateUrl }] }] : []),
    ],
  };
}
