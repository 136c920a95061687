// Held model posts and their semester re-checks: the calendar, the list of posts, the committee's
// invitation and reminder to score, the re-check result with the 撤销 suggestion, and the 撤销 notices.
import { ASSESS_ACTIONS } from './assess-cards.js';
import type { Block, Button, CardModel } from './model.js';
import { md } from './text.js';

export const POST_ACTIONS = {
  /** Ask for the reason before revoking: args d (the declaration of the post). */
  revokeForm: { id: 'posts.revoke-form', v: 1 },
  /** Revoke with the reason typed in the form: args d; form field reason. */
  revoke: { id: 'posts.revoke', v: 1 },
} as const;

export const REASON_MAX = 200;

export interface SemesterLine {
  label: string;
  dates: string;
  recheck: string;
  state: string;
}

export function calendarCard(lines: SemesterLine[], canEdit: boolean): CardModel {
  return {
    title: '学期日历',
    tone: 'blue',
    blocks: [
      {
        type: 'markdown',
        text: lines.map((l) => `**${l.label}**（${l.state}）\n${l.dates}；示范岗复核 ${l.recheck}`).join('\n') || '尚无学期。',
      },
      {
        type: 'note',
        text: canEdit
          ? '示范岗每学期在复核期内复核一次。修改：/学期 设置 2026-2027 第一学期 2026-09-01 2027-01-15 [复核开始日期]（复核默认在学期最后 4 周）。'
          : '示范岗每学期在复核期内复核一次；学期日期由管理员设置。',
      },
    ],
  };
}

export interface PostLine {
  no: number;
  name: string;
  branch: string;
  postKind: string;
  awarded: string;
  campaign: string;
  /** The latest re-check: "2026-2027学年第一学期：合格（…）", or 尚未复核. */
  latest: string;
  flagged: boolean;
}

export interface RevokedLine {
  name: string;
  branch: string;
  postKind: string;
  revoked: string;
  reason: string;
}

export function heldPostsCard(held: PostLine[], revoked: RevokedLine[], canRevoke: boolean): CardModel {
  const blocks: Block[] = [
    {
      type: 'markdown',
      text: held.length
        ? held
            .map(
              (p) =>
                `**#${p.no} ${md(p.name)}**（${md(p.branch)}）· ${md(p.postKind)}\n${p.awarded} 授牌（${md(p.campaign)}）\n最近复核：${p.flagged ? '⚠ ' : ''}${md(p.latest)}`,
            )
            .join('\n')
        : '目前没有在岗的示范岗。',
    },
  ];
  if (revoked.length) {
    blocks.push(
      { type: 'divider' },
      {
        type: 'markdown',
        text: `**已撤销**\n${revoked.map((r) => `- ${md(r.name)}（${md(r.branch)}）· ${md(r.postKind)}，${r.revoked} 撤销：${md(r.reason)}`).join('\n')}`,
      },
    );
  }
  blocks.push({
    type: 'note',
    text: canRevoke ? '撤销：/示范岗 撤销 <姓名或编号> <原因>（已审计，并私信告知本人和支部书记）。' : '示范岗每学期复核一次；撤销由管理员决定。',
  });
  return { title: `党员示范岗 · 在岗 ${held.length} 个`, tone: 'red', blocks };
}

export interface RecheckSubject {
  phaseId: number;
  memberId: number;
  name: string;
  branch: string;
  postKind: string;
  self: string;
}

/** To a committee member: a holder has self-assessed; score them before the deadline. */
export function recheckInviteCard(s: RecheckSubject, phaseTitle: string, campaignTitle: string, closes: string): CardModel {
  return {
    title: `示范岗复核打分：${s.name}`,
    subtitle: `${campaignTitle} · ${phaseTitle}`,
    tone: 'purple',
    blocks: [
      {
        type: 'markdown',
        text: `**${md(s.name)}**（${md(s.branch)}·${md(s.postKind)}）已提交本学期自评（${s.self}）。请对照考核细则为其考核打分，**${closes}** 截止。`,
      },
      {
        type: 'actions',
        buttons: [
          { label: '考核打分', style: 'primary', action: { ...ASSESS_ACTIONS.open, args: { p: String(s.phaseId), m: String(s.memberId) } } },
          { label: '本学期复核名单', action: { ...ASSESS_ACTIONS.reviews, args: { p: String(s.phaseId), page: '0' } } },
        ],
      },
      { type: 'note', text: '评分只有党委考核组可见，示范岗本人看不到评分人。' },
    ],
  };
}

/** To a committee member who has not scored everyone they were asked to. */
export function recheckNudgeCard(names: string[], phaseId: number, phaseTitle: string, closes: string, left: string): CardModel {
  return {
    title: `提醒：示范岗复核打分${left}`,
    subtitle: phaseTitle,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: `「${md(phaseTitle)}」将于 **${closes}** 截止，以下示范岗尚待您打分：${names.map(md).join('、')}。` },
      { type: 'actions', buttons: [{ label: '查看并打分', style: 'primary', action: { ...ASSESS_ACTIONS.reviews, args: { p: String(phaseId), page: '0' } } }] },
    ],
  };
}

export interface ResultLine {
  declarationId: number;
  name: string;
  branch: string;
  postKind: string;
  status: string;
  failed: boolean;
}

/** The re-check's outcome for the committee; a failing post is flagged with the 撤销 suggestion (never automatic). */
export function recheckResultCard(phaseTitle: string, campaignTitle: string, passLine: string, lines: ResultLine[], forAdmin: boolean): CardModel {
  const failed = lines.filter((l) => l.failed);
  const blocks: Block[] = [
    {
      type: 'markdown',
      text: `复核 ${lines.length} 个示范岗，合格线 ${passLine} 分${failed.length ? `，**${failed.length} 个未通过**` : '，全部通过'}。`,
    },
    {
      type: 'markdown',
      text: lines.map((l) => `- ${l.failed ? '⚠ ' : ''}**${md(l.name)}**（${md(l.branch)}·${md(l.postKind)}）：${md(l.status)}`).join('\n'),
    },
  ];
  if (failed.length) {
    blocks.push({
      type: 'markdown',
      text: `依照实施方案“对不符合示范岗标准的及时进行调整”，建议研究撤销${failed.map((l) => `**${md(l.name)}**`).join('、')}的示范岗称号。撤销不会自动进行。`,
    });
    if (forAdmin) {
      blocks.push({
        type: 'actions',
        buttons: failed.map(
          (l): Button => ({ label: `撤销 ${l.name} 的示范岗`, style: 'danger', action: { ...POST_ACTIONS.revokeForm, args: { d: String(l.declarationId) } } }),
        ),
      });
    }
  }
  blocks.push({
    type: 'note',
    text: forAdmin ? '也可发送 /示范岗 撤销 <姓名> <原因>；/示范岗 查看全部在岗示范岗。' : '撤销由管理员决定；/示范岗 查看全部在岗示范岗。',
  });
  return { title: `示范岗复核结果：${phaseTitle}`, subtitle: campaignTitle, tone: failed.length ? 'orange' : 'green', blocks };
}

export function revokeFormCard(d: { declarationId: number; name: string; branch: string; postKind: string }, error?: string): CardModel {
  return {
    title: `撤销示范岗：${d.name}`,
    subtitle: `${d.branch} · ${d.postKind}`,
    tone: 'red',
    blocks: [
      ...(error ? [{ type: 'markdown' as const, text: `⚠ ${error}` }] : []),
      { type: 'markdown', text: '请写明撤销原因：原因将私信告知本人，并通知其支部书记，记入审计日志。' },
      {
        type: 'form',
        name: 'revoke',
        sections: [
          { heading: '撤销原因', fields: [{ kind: 'text', name: 'reason', placeholder: `撤销原因（必填，最多 ${REASON_MAX} 字）`, maxLength: REASON_MAX }] },
        ],
        submit: {
          label: '确认撤销',
          style: 'danger',
          action: { ...POST_ACTIONS.revoke, args: { d: String(d.declarationId) } },
          confirm: { title: '确认撤销', text: `撤销 ${d.name} 的「${d.postKind}」称号？` },
        },
      },
    ],
  };
}

/** The revoke form once done: what was done, as the admin was told. */
export function revokeDoneCard(d: { name: string; branch: string; postKind: string }, text: string): CardModel {
  return { title: `已撤销：${d.name}`, subtitle: `${d.branch} · ${d.postKind}`, tone: 'grey', blocks: [{ type: 'markdown', text: md(text) }] };
}

/** To the holder, privately. */
export function revokedHolderCard(name: string, postKind: string, reason: string, date: string): CardModel {
  return {
    title: '示范岗称号撤销通知',
    tone: 'red',
    blocks: [
      { type: 'markdown', text: `${md(name)}同志：经集团党委研究，自 ${date} 起撤销您的「${md(postKind)}」称号，请取下岗位上的“党员示范岗”标牌。` },
      { type: 'fields', fields: [{ label: '原因', value: md(reason) }] },
      { type: 'note', text: '依据：集团党委每学期对示范岗内党员进行考核，对不符合示范岗标准的及时进行调整。如有疑问，请与支部书记或集团党委联系。' },
    ],
  };
}

/** To the holder's branch secretary. */
export function revokedSecretaryCard(name: string, branch: string, postKind: string, reason: string, date: string): CardModel {
  return {
    title: `示范岗撤销：${name}`,
    subtitle: branch,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: `集团党委于 ${date} 撤销了本支部 **${md(name)}** 同志的「${md(postKind)}」称号，已私信告知本人。` },
      { type: 'fields', fields: [{ label: '原因', value: md(reason) }] },
      { type: 'note', text: '请做好本人的思想工作，督促整改。' },
    ],
  };
}
