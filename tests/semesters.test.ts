// The semester calendar's rules and a re-check's verdict, without a database.
import { describe, expect, it } from 'vitest';
import { passLineOf } from '../bot/campaign/rubric.js';
import { defaultSemesters, recheckWindow, schoolYearOf, semesterError, termOf } from '../bot/campaign/semesters.js';
import { loadTemplate } from '../bot/campaign/template.js';
import { rawTemplates } from '../bot/campaign/templates/index.js';
import { statusOf, statusText } from '../handlers/posts/outcome.js';

describe('the semester calendar', () => {
  it('starts a school year in August and defaults to 9/1–1/15 and 2/25–7/10, re-checked in the last four weeks', () => {
    expect(schoolYearOf('2027-07-31')).toBe('2026-2027');
    expect(schoolYearOf('2027-08-01')).toBe('2027-2028');
    expect(defaultSemesters('2026-2027')).toEqual([
      { schoolYear: '2026-2027', term: 1, startsOn: '2026-09-01', endsOn: '2027-01-15', recheckFrom: '2026-12-19' },
      { schoolYear: '2026-2027', term: 2, startsOn: '2027-02-25', endsOn: '2027-07-10', recheckFrom: '2027-06-13' },
    ]);
    expect(defaultSemesters('2026-2028')).toEqual([]);
    expect(termOf('第一学期')).toBe(1);
    expect(termOf('春季')).toBe(2);
    expect(termOf('第三学期')).toBeNull();
  });

  it('opens the re-check at the first day 00:00 and closes it at the end of the last day', () => {
    const w = recheckWindow({ recheckFrom: '2026-12-19', endsOn: '2027-01-15' }, 'Asia/Shanghai');
    expect(w.opensAt.toISOString()).toBe('2026-12-18T16:00:00.000Z');
    expect(w.closesAt.toISOString()).toBe('2027-01-15T16:00:00.000Z');
  });

  it('refuses dates that cannot be a semester', () => {
    const [autumn, spring] = defaultSemesters('2026-2027') as [ReturnType<typeof defaultSemesters>[0], ReturnType<typeof defaultSemesters>[0]];
    expect(semesterError(autumn, spring)).toBeNull();
    expect(semesterError({ ...autumn, endsOn: '2027-03-01' }, spring)).toBe(
      '第一学期与第二学期（2027-02-25 至 2027-07-10）重叠：第一学期应在第二学期开始前结束。',
    );
    expect(semesterError({ ...autumn, startsOn: '2026-13-01' }, null)).toBe('开始日期「2026-13-01」应为 YYYY-MM-DD 格式的日期，例如 2026-09-01。');
    expect(semesterError({ ...autumn, startsOn: '2026-07-01' }, null)).toBe('2026-2027学年的学期应在 2026-08-01 至 2027-08-31 之间。');
  });
});

describe('a re-check verdict', () => {
  const scored = (average: number, vetoes = 0) => ({ self: { total: 90, vetoed: false }, raters: ['l1', 'l2'], average, vetoes });

  it('fails below the pass line or on a veto, only once the window closed', () => {
    expect(statusOf(scored(59.5), false, 60)).toBe('scoring');
    expect(statusOf(scored(59.5), true, 60)).toBe('failed');
    expect(statusOf(scored(60), true, 60)).toBe('passed');
    expect(statusOf(scored(95, 1), true, 60)).toBe('failed');
    expect(statusText('failed', scored(95, 1), 60)).toBe('未通过：1 位委员认定一票否决（2 位委员评分，平均 95 分）');
    expect(statusOf(undefined, true, 60)).toBe('no-self');
    expect(statusOf({ self: { total: 90, vetoed: false }, raters: [], average: null, vetoes: 0 }, true, 60)).toBe('unscored');
  });

  it('reads the pass line from the rubric (60 % of the total when a frozen template has none)', () => {
    const model = loadTemplate(rawTemplates.find((t) => (t as { id: string }).id === 'model-post')).template;
    expect(passLineOf(model.rubric!)).toBe(60);
    expect(passLineOf({ total: 50 })).toBe(30);
    const raw = structuredClone(rawTemplates.find((t) => (t as { id: string }).id === 'model-post')) as { rubric: { passLine: number } };
    raw.rubric.passLine = 120;
    expect(() => loadTemplate(raw)).toThrow('rubric.passLine: must not exceed the total');
  });
});
