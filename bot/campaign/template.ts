// Campaign templates: the shape of the data, and the loader that validates it and reports mismatches.
import { PARTY_STATUSES, POLITICAL_STATUSES, type PoliticalStatus } from '../political-status.js';
import { RESULT_SOURCES, RESULT_SUBJECTS, SOURCES_FOR, type ResultsSpec } from './results.js';

export const PHASE_KINDS = ['mobilize', 'pledge', 'create', 'declare', 'review', 'commend', 'semester'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

export const ACTORS = ['member', 'branch', 'secretary', 'leader', 'committee', 'respondent'] as const;
export type TemplateActor = (typeof ACTORS)[number];

/** Who must answer in a phase; the engine nudges them and reports their completion. */
export const RESPONDERS = ['member', 'secretary', 'leader'] as const;
export type Responder = (typeof RESPONDERS)[number];

/** A person's role in the organisation: 党员, 支部书记, 党委委员 (who links to branches). */
export const ROLES = ['member', 'secretary', 'leader'] as const;
export type Role = (typeof ROLES)[number];

/** A 党委委员: outside any branch (`leader`), or a branch member who sits on the committee as well. */
export function onCommittee(person: { role: Role; committee: boolean }): boolean {
  return person.role === 'leader' || person.committee;
}

/** An inclusive range of local dates (YYYY-MM-DD), e.g. a holiday without reminders. */
export interface DateRange {
  from: string;
  to: string;
}

export interface TemplatePhase {
  kind: PhaseKind;
  /** Chinese title, e.g. 宣传发动. */
  title: string;
  /** Days from the campaign's start date to the phase's opening (campaign time zone, 00:00). */
  startDay: number;
  /** Length in days; the phase closes at 00:00 of startDay + days. */
  days: number;
  actors: TemplateActor[];
  /** What to do, shown on the opening card (Chinese). */
  task: string;
  respond: Responder | null;
  /** Round number for campaigns that repeat yearly (seed 002 runs two). */
  round?: number;
}

export interface RubricItem {
  no: number;
  text: string;
  max: number;
}

export interface RubricCategory {
  id: string;
  name: string;
  /** The subtotal the source document states; may differ from the sum of its items. */
  stated: number;
  items: RubricItem[];
}

export interface Rubric {
  id: string;
  version: number;
  total: number;
  /** Smallest score increment allowed, e.g. 0.5. */
  step: number;
  categories: RubricCategory[];
  bonus: Array<{ no: number; text: string }>;
  veto: { no: number; text: string; conditions: string[] };
  /** A semester re-check whose committee average is below this fails (absent in older frozen templates: 60 % of total). */
  passLine?: number;
}

export interface Criterion {
  id: string;
  name: string;
  description: string;
}

export interface CampaignTemplate {
  id: string;
  version: number;
  title: string;
  /** Chinese names accepted by /活动 新建, e.g. 示范岗. */
  aliases: string[];
  /** The source document, e.g. 后集委发〔2010〕14号. */
  source: string;
  description: string;
  postKinds: string[];
  pledgeAreas: string[];
  criteria: { branch: Criterion[]; member: Criterion[] };
  rubric: Rubric | null;
  phases: TemplatePhase[];
  /** Whose 政治面貌 puts them on the campaign's roster (default: 正式党员 and 预备党员). */
  participants: PoliticalStatus[];
  /** Days before a phase closes on which non-responders are nudged. */
  nudgeDaysBefore: number[];
  /** After this many nudges a member left unanswered (in the campaign), their secretary is told by name. */
  escalateAfterNudges: number;
  /** The titles the campaign ends in and the formula of its results (null: none defined). */
  results: ResultsSpec | null;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

export interface LoadedTemplate {
  template: CampaignTemplate;
  /** Things the loader noticed and kept as they are (e.g. subtotals that do not add up). */
  warnings: string[];
}

type Json = Record<string, unknown>;

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TemplateError(path, 'must be an object');
  return v as Json;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new TemplateError(path, 'must be an array');
  return v;
}
function text(v: unknown, path: string): string {
  if (typeof v !== 'string' || !v.trim()) throw new TemplateError(path, 'must be a non-empty string');
  return v;
}
function num(v: unknown, path: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new TemplateError(path, `must be a number ≥ ${min}`);
  return v;
}
function int(v: unknown, path: string, min = 0): number {
  const n = num(v, path, min);
  if (!Number.isInteger(n)) throw new TemplateError(path, 'must be a whole number');
  return n;
}
function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new TemplateError(path, `must be one of ${allowed.join(', ')}`);
  return v as T;
}
function strings(v: unknown, path: string): string[] {
  return arr(v ?? [], path).map((s, i) => text(s, `${path}[${i}]`));
}

function criteria(v: unknown, path: string): Criterion[] {
  return arr(v ?? [], path).map((c, i) => {
    const o = obj(c, `${path}[${i}]`);
    return { id: text(o.id, `${path}[${i}].id`), name: text(o.name, `${path}[${i}].name`), description: String(o.description ?? '') };
  });
}

function phase(v: unknown, path: string): TemplatePhase {
  const o = obj(v, path);
  const p: TemplatePhase = {
    kind: oneOf(o.kind, PHASE_KINDS, `${path}.kind`),
    title: text(o.title, `${path}.title`),
    startDay: int(o.startDay, `${path}.startDay`),
    days: int(o.days, `${path}.days`, 1),
    actors: arr(o.actors, `${path}.actors`).map((a, i) => oneOf(a, ACTORS, `${path}.actors[${i}]`)),
    task: text(o.task, `${path}.task`),
    respond: o.respond === null || o.respond === undefined ? null : oneOf(o.respond, RESPONDERS, `${path}.respond`),
  };
  if (o.round !== undefined) p.round = int(o.round, `${path}.round`, 1);
  return p;
}

function rubric(v: unknown, path: string, warnings: string[]): Rubric {
  const o = obj(v, path);
  const r: Rubric = {
    id: text(o.id, `${path}.id`),
    version: int(o.version, `${path}.version`, 1),
    total: num(o.total, `${path}.total`, 1),
    step: num(o.step, `${path}.step`),
    categories: arr(o.categories, `${path}.categories`).map((c, i) => {
      const cp = `${path}.categories[${i}]`;
      const co = obj(c, cp);
      return {
        id: text(co.id, `${cp}.id`),
        name: text(co.name, `${cp}.name`),
        stated: num(co.stated, `${cp}.stated`),
        items: arr(co.items, `${cp}.items`).map((it, j) => {
          const io = obj(it, `${cp}.items[${j}]`);
          return { no: int(io.no, `${cp}.items[${j}].no`, 1), text: text(io.text, `${cp}.items[${j}].text`), max: num(io.max, `${cp}.items[${j}].max`) };
        }),
      };
    }),
    bonus: arr(o.bonus ?? [], `${path}.bonus`).map((b, i) => {
      const bo = obj(b, `${path}.bonus[${i}]`);
      return { no: int(bo.no, `${path}.bonus[${i}].no`, 1), text: text(bo.text, `${path}.bonus[${i}].text`) };
    }),
    veto: (() => {
      const vo = obj(o.veto, `${path}.veto`);
      return { no: int(vo.no, `${path}.veto.no`, 1), text: text(vo.text, `${path}.veto.text`), conditions: strings(vo.conditions, `${path}.veto.conditions`) };
    })(),
  };
  if (o.passLine !== undefined) r.passLine = num(o.passLine, `${path}.passLine`);
  if (r.passLine !== undefined && r.passLine > r.total) throw new TemplateError(`${path}.passLine`, 'must not exceed the total');
  if (r.step <= 0) throw new TemplateError(`${path}.step`, 'must be greater than 0');
  const nos = new Set<number>();
  for (const item of [...r.categories.flatMap((c) => c.items), ...r.bonus, r.veto]) {
    if (nos.has(item.no)) throw new TemplateError(path, `item number ${item.no} is used twice`);
    nos.add(item.no);
  }
  let itemsTotal = 0;
  let statedTotal = 0;
  for (const c of r.categories) {
    const sum = c.items.reduce((s, it) => s + it.max, 0);
    itemsTotal += sum;
    statedTotal += c.stated;
    if (sum !== c.stated) {
      warnings.push(`评分细则「${c.name}」各项分值合计 ${sum} 分，与标注的 ${c.stated} 分不一致（按各项分值计分）。`);
    }
  }
  if (itemsTotal !== r.total) warnings.push(`评分细则各项合计 ${itemsTotal} 分，与总分 ${r.total} 分不一致。`);
  if (statedTotal !== r.total) warnings.push(`评分细则各类别标注分值合计 ${statedTotal} 分，与总分 ${r.total} 分不一致。`);
  return r;
}

function results(v: unknown, path: string): ResultsSpec {
  const o = obj(v, path);
  const spec: ResultsSpec = {
    id: text(o.id, `${path}.id`),
    version: int(o.version, `${path}.version`, 1),
    formula: text(o.formula, `${path}.formula`),
    publicityDays: int(o.publicityDays ?? 5, `${path}.publicityDays`, 1),
    titles: arr(o.titles, `${path}.titles`).map((t, i) => {
      const tp = `${path}.titles[${i}]`;
      const to = obj(t, tp);
      const quota = obj(to.quota ?? {}, `${tp}.quota`);
      const share = quota.share === undefined || quota.share === null ? null : num(quota.share, `${tp}.quota.share`);
      if (share !== null && (share <= 0 || share > 1)) throw new TemplateError(`${tp}.quota.share`, 'must be in (0, 1]');
      return {
        id: text(to.id, `${tp}.id`),
        name: text(to.name, `${tp}.name`),
        subject: oneOf(to.subject, RESULT_SUBJECTS, `${tp}.subject`),
        byPostKind: to.byPostKind === true,
        quota: { share, max: quota.max === undefined || quota.max === null ? null : int(quota.max, `${tp}.quota.max`, 1) },
        minScore: to.minScore === undefined || to.minScore === null ? null : num(to.minScore, `${tp}.minScore`),
        award: oneOf(to.award ?? 'certificate', ['certificate', 'plaque'] as const, `${tp}.award`),
        parts: arr(to.parts, `${tp}.parts`).map((p, j) => {
          const pp = `${tp}.parts[${j}]`;
          const po = obj(p, pp);
          return {
            source: oneOf(po.source, RESULT_SOURCES, `${pp}.source`),
            weight: num(po.weight ?? 1, `${pp}.weight`),
            label: text(po.label, `${pp}.label`),
            required: po.required === true,
          };
        }),
      };
    }),
  };
  const ids = new Set<string>();
  for (const [i, t] of spec.titles.entries()) {
    if (ids.has(t.id)) throw new TemplateError(`${path}.titles[${i}].id`, `title ${t.id} is listed twice`);
    ids.add(t.id);
    if (t.parts.length === 0) throw new TemplateError(`${path}.titles[${i}].parts`, 'must name at least one part');
    for (const [j, p] of t.parts.entries()) {
      if (!SOURCES_FOR[t.subject].includes(p.source)) {
        throw new TemplateError(`${path}.titles[${i}].parts[${j}].source`, `${p.source} cannot be read for a ${t.subject} title`);
      }
    }
  }
  return spec;
}

function participants(v: unknown, path: string): PoliticalStatus[] {
  const list = arr(v, path).map((s, i) => oneOf(s, POLITICAL_STATUSES, `${path}[${i}]`));
  if (list.length === 0) throw new TemplateError(path, 'must name at least one status');
  if (list.includes('pending')) throw new TemplateError(path, 'pending people are not confirmed and cannot take part');
  return list;
}

/** Validates raw template data; throws TemplateError naming the bad path, warns on inconsistencies. */
export function loadTemplate(raw: unknown): LoadedTemplate {
  const o = obj(raw, 'template');
  const warnings: string[] = [];
  const template: CampaignTemplate = {
    id: text(o.id, 'id'),
    version: int(o.version, 'version', 1),
    title: text(o.title, 'title'),
    aliases: strings(o.aliases, 'aliases'),
    source: text(o.source, 'source'),
    description: text(o.description, 'description'),
    postKinds: strings(o.postKinds, 'postKinds'),
    pledgeAreas: strings(o.pledgeAreas, 'pledgeAreas'),
    criteria: {
      branch: criteria(obj(o.criteria ?? {}, 'criteria').branch, 'criteria.branch'),
      member: criteria(obj(o.criteria ?? {}, 'criteria').member, 'criteria.member'),
    },
    rubric: o.rubric === null || o.rubric === undefined ? null : rubric(o.rubric, 'rubric', warnings),
    phases: arr(o.phases, 'phases').map((p, i) => phase(p, `phases[${i}]`)),
    participants: o.participants === undefined ? [...PARTY_STATUSES] : participants(o.participants, 'participants'),
    nudgeDaysBefore: arr(o.nudgeDaysBefore ?? [3, 1], 'nudgeDaysBefore').map((d, i) => int(d, `nudgeDaysBefore[${i}]`, 1)),
    escalateAfterNudges: int(o.escalateAfterNudges ?? 3, 'escalateAfterNudges', 1),
    results: o.results === null || o.results === undefined ? null : results(o.results, 'results'),
  };
  if (template.phases.length === 0) throw new TemplateError('phases', 'must have at least one phase');
  for (let i = 1; i < template.phases.length; i++) {
    if (template.phases[i]!.startDay < template.phases[i - 1]!.startDay) {
      throw new TemplateError(`phases[${i}].startDay`, 'phases must be listed in order of their start');
    }
  }
  return { template, warnings };
}
