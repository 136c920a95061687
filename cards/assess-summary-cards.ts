// The assessment summary (totals by the bot, never typed) before the final submit, and the submitted card.
import { formatScore, largeGap, rubricPages, subtotalWarning, totals, type AnswerSet } from '../bot/campaign/rubric.js';
import type { Rubric } from '../bot/campaign/template.js';
import { ASSESS_ACTIONS, assessArgs, SUMMARY_PAGE, type AssessCardContext } from './assess-cards.js';
import type { Block, Button, CardModel } from './model.js';
import { tone } from './text.js';

export interface SummaryState {
  /** Final submits so far. */
  revision: number;
  /** Answers changed after the last submit. */
  dirty: boolean;
  /** The phase (or the review window) is open: edits allowed. */
  open: boolean;
}

function selfCategoryLines(r: Rubric, mine: AnswerSet): string[] {
  const t = totals(r, mine);
  return r.categories.map((cat, i) => {
    const items = cat.items.map((it) => `${it.no}. ${mine.items.has(it.no) ? formatScore(mine.items.get(it.no)!.score) : '—'}`).join(' · ');
    return `**${cat.name}**　${formatScore(t.categories[i]!.score)}/${formatScore(t.categories[i]!.max)} 分\n${items}`;
  });
}

function reviewCategoryLines(r: Rubric, mine: AnswerSet, self: AnswerSet): string[] {
  const t = totals(r, mine);
  const s = totals(r, self);
  return r.categories.map((cat, i) => {
    const items = cat.items.map((it) => {
      const a = self.items.get(it.no)?.score;
      const b = mine.items.get(it.no)?.score;
      const flag = largeGap(it.max, a, b) ? ` ${tone('red', '⚠差距大')}` : '';
      return `- 第${it.no}项（满分 ${formatScore(it.max)}）自评 ${a === undefined ? '—' : formatScore(a)}｜复评 ${b === undefined ? '—' : formatScore(b)}${flag}`;
    });
    return `**${cat.name}**　自评 ${formatScore(s.categories[i]!.score)}｜复评 ${formatScore(t.categories[i]!.score)}（满分 ${formatScore(t.categories[i]!.max)}）\n${items.join('\n')}`;
  });
}

function bonusLine(r: Rubric, mine: AnswerSet, reviewing: boolean): string {
  if (!reviewing) {
    const claims = r.bonus.filter((b) => mine.bonus.get(b.no)?.note);
    return claims.length ? `**加分申请**：${claims.map((b) => `第${b.no}项`).join('、')}（待考核组认定，暂不计分）` : '**加分申请**：未申请';
  }
  const granted = r.bonus.filter((b) => (mine.bonus.get(b.no)?.points ?? 0) > 0);
  return granted.length ? `**加分认定**：${granted.map((b) => `第${b.no}项 ${formatScore(mine.bonus.get(b.no)!.points!)} 分`).join('、')}` : '**加分认定**：无';
}

function vetoLine(r: Rubric, a: AnswerSet, who: string): string {
  const answered = r.veto.conditions.every((_, i) => a.veto.has(i + 1));
  if (!answered) return `**一票否决${who}**：尚未声明`;
  const yes = r.veto.conditions.map((cond, i) => ({ n: i + 1, cond })).filter((x) => a.veto.get(x.n));
  if (!yes.length) return `**一票否决${who}**：均不存在`;
  return tone('red', `**一票否决${who}**：存在第${yes.map((y) => y.n).join('、')}条情形（${yes.map((y) => y.cond).join('；')}）`);
}

function resultLine(r: Rubric, mine: AnswerSet, self: AnswerSet | null): string {
  const t = totals(r, mine);
  if (!self) {
    return t.vetoed
      ? `${tone('red', '**自评结果：一票否决**')}（各项合计 ${formatScore(t.items)} 分，不作为结果）`
      : `**自评总分：${formatScore(t.items)}/${formatScore(t.max)} 分**（加分项待认定，不计入）`;
  }
  const s = totals(r, self);
  const selfText = s.vetoed ? '自评一票否决' : `自评 ${formatScore(s.items)} 分`;
  return t.vetoed
    ? `${tone('red', '**复评结果：一票否决**')}（各项合计 ${formatScore(t.items)} 分，不作为结果）｜${selfText}`
    : `**复评总分：${formatScore(t.total)}/${formatScore(t.max)} 分**（各项 ${formatScore(t.items)} 分 + 认定加分 ${formatScore(t.bonus)} 分）｜${selfText}`;
}

function stateNote(state: SummaryState, reviewing: boolean, closes: string): string {
  const what = reviewing ? '评分' : '自评';
  if (state.revision === 0) return `草稿已保存，尚未提交。${closes} 截止，请在截止前提交。`;
  const tail = state.open ? `${closes} 前可修改并重新提交。` : '已截止，不能再修改。';
  return `已提交第 ${state.revision} 版${what}${state.dirty ? '，之后的修改尚未提交' : ''}。${tail}`;
}

/**
 * The whole assessment on one card with the bot's totals. `view` summary: edit buttons per page and the
 * final submit (when every page is saved); submitted: one "修改" button while open.
 */
export function assessSummaryCard(
  c: AssessCardContext,
  mine: AnswerSet,
  self: AnswerSet | null,
  state: SummaryState,
  view: 'summary' | 'submitted',
): CardModel {
  const r = c.rubric;
  const reviewing = self !== null;
  const pages = rubricPages(r);
  const missing = pages.filter((p) => !c.pagesDone.includes(p.id));
  const blocks: Block[] = [];
  const who = [c.subject ? `申报人：**${c.subject.name}**（${c.subject.branch}）` : null, c.postKind ? `申报岗位：${c.postKind}` : null].filter(Boolean);
  if (who.length) blocks.push({ type: 'markdown', text: who.join('\n') });
  blocks.push({ type: 'markdown', text: (reviewing ? reviewCategoryLines(r, mine, self) : selfCategoryLines(r, mine)).join('\n') });
  blocks.push({
    type: 'markdown',
    text: [
      bonusLine(r, mine, reviewing),
      ...(reviewing ? [vetoLine(r, self, '（申请人声明）')] : []),
      vetoLine(r, mine, reviewing ? '（您的判断）' : '声明'),
    ].join('\n'),
  });
  if (missing.length) blocks.push({ type: 'markdown', text: tone('orange', `尚未填写：${missing.map((p) => p.title).join('、')}`) });
  else blocks.push({ type: 'markdown', text: resultLine(r, mine, self) });
  const warning = subtotalWarning(r);
  if (warning) blocks.push({ type: 'note', text: warning });
  const buttons: Button[] = [];
  if (state.open && view === 'summary') {
    if (!missing.length) {
      buttons.push({
        label: reviewing ? '提交考核评分' : state.revision ? '重新提交自评' : '提交自评',
        style: 'primary',
        action: { ...ASSESS_ACTIONS.submit, args: assessArgs(c) },
        confirm: {
          title: '确认提交',
          text: reviewing ? '提交后考核组将采用您的评分，截止前仍可修改。' : '提交后考核组将看到您的自评，截止前仍可修改并重新提交。',
        },
      });
    }
    buttons.push(
      ...pages.map((p) => ({
        label: `${c.pagesDone.includes(p.id) ? '修改' : '填写'}：${p.title}`,
        action: { ...ASSESS_ACTIONS.goto, args: assessArgs(c, { pg: p.id }) },
      })),
    );
  } else if (state.open) {
    buttons.push({ label: reviewing ? '修改评分' : '修改自评', action: { ...ASSESS_ACTIONS.goto, args: assessArgs(c, { pg: SUMMARY_PAGE }) } });
  }
  if (buttons.length) blocks.push({ type: 'actions', buttons });
  blocks.push({ type: 'note', text: stateNote(state, reviewing, c.phase.closes) });
  const title =
    view === 'submitted'
      ? reviewing
        ? `考核评分已提交 · ${c.subject!.name}`
        : '自评已提交'
      : reviewing
        ? `考核打分汇总 · ${c.subject!.name}`
        : '自评汇总：请确认后提交';
  return { title, subtitle: `${c.phase.campaignTitle} · ${c.phase.phaseTitle}`, tone: view === 'submitted' ? 'green' : reviewing ? 'purple' : 'blue', blocks };
}
