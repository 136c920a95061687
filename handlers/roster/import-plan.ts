// What a roster file would change, row by row, before anything is written: who is added (imported, linked
// to a chat account by /同步 later), who is updated and how, and every row's errors in Chinese. Pure.
import { PARTY_STATUSES, STATUS_LABELS, statusFromWord, type PoliticalStatus } from '../../bot/political-status.js';
import { COLUMN_LABELS, type ImportRow } from './import-file.js';

export interface KnownBranch {
  id: number;
  name: string;
}

export interface KnownPerson {
  id: number;
  name: string;
  branchId: number | null;
  role: 'member' | 'secretary' | 'leader';
  politicalStatus: PoliticalStatus;
  joinedPartyOn: string | null;
  employeeNo: string | null;
  mobile: string | null;
  title: string | null;
  active: boolean;
  awaitingChat: boolean;
}

/** The fields an import sets. */
export interface PersonValues {
  name: string;
  branchId: number;
  politicalStatus: PoliticalStatus;
  joinedPartyOn: string | null;
  employeeNo: string | null;
  mobile: string | null;
  title: string | null;
}

export interface FieldChange {
  label: string;
  from: string;
  to: string;
}

export type PlannedRow =
  | { line: number; kind: 'add'; branchName: string; values: PersonValues }
  | { line: number; kind: 'update'; memberId: number; branchName: string; values: PersonValues; changes: FieldChange[] }
  | { line: number; kind: 'same'; memberId: number; branchName: string; values: PersonValues };

export interface ImportPlan {
  rows: PlannedRow[];
  errors: Array<{ line: number; text: string }>;
}

const MOBILE = /^1\d{10}$/;
const EMPLOYEE_NO = /^[A-Za-z0-9_-]{1,32}$/;

/** 2001-07-01, 2001/7/1, 2001.07.01, 2001年7月1日 → 2001-07-01; null when not a real date. */
export function dateOf(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function mobileOf(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return MOBILE.test(digits) ? digits : null;
}

const show = (v: string | null) => v ?? '（空）';

interface Context {
  scope: KnownBranch | null;
  branches: KnownBranch[];
  people: KnownPerson[];
  today: string;
}

type RowResult = { ok: true; row: PlannedRow } | { ok: false; errors: string[] };

function planRow(r: ImportRow, ctx: Context): RowResult {
  const errors: string[] = [];
  const name = r.name ?? '';
  if (!name) errors.push('姓名不能为空');
  else if (name.length > 40) errors.push('姓名超过 40 字');
  const employeeNo = r.employeeNo ?? null;
  if (employeeNo && !EMPLOYEE_NO.test(employeeNo)) errors.push(`工号「${employeeNo}」只能由字母、数字组成（最多 32 位）`);
  const mobile = r.mobile ? mobileOf(r.mobile) : null;
  if (r.mobile && !mobile) errors.push(`手机「${r.mobile}」不是 11 位手机号`);
  if (!r.employeeNo && !r.mobile) errors.push('请填写工号或手机（用于识别本人）');
  let branch: KnownBranch | undefined;
  if (ctx.scope) {
    branch = ctx.scope;
    if (r.branch && r.branch !== ctx.scope.name) errors.push(`支部「${r.branch}」不是您的支部（您只能导入「${ctx.scope.name}」的名册）`);
  } else if (!r.branch) errors.push('支部不能为空');
  else {
    branch = ctx.branches.find((b) => b.name === r.branch);
    if (!branch) errors.push(`支部「${r.branch}」不存在（现有支部：${ctx.branches.map((b) => b.name).join('、') || '无'}）`);
  }
  const status = statusFromWord(r.status);
  if (!r.status) errors.push('政治面貌不能为空');
  else if (!status) errors.push(`政治面貌「${r.status}」无法识别（可填：正式党员、预备党员、入党积极分子、群众）`);
  const joinedPartyOn = r.joinedOn ? dateOf(r.joinedOn) : null;
  if (r.joinedOn && !joinedPartyOn) errors.push(`入党日期「${r.joinedOn}」无法识别（例如 2001-07-01）`);
  else if (joinedPartyOn && joinedPartyOn > ctx.today) errors.push(`入党日期 ${joinedPartyOn} 晚于今天`);
  else if (joinedPartyOn && status && !PARTY_STATUSES.includes(status)) errors.push(`${STATUS_LABELS[status]}不应填写入党日期`);
  const title = r.title ?? null;
  if (title && title.length > 40) errors.push('职务超过 40 字');
  if (errors.length || !branch || !status) return { ok: false, errors };

  const values: PersonValues = { name, branchId: branch.id, politicalStatus: status, joinedPartyOn, employeeNo, mobile, title };
  const found = match(values, ctx.people);
  if (found === 'ambiguous') return { ok: false, errors: [`「${branch.name}」中有不止一位「${name}」，请填写工号或手机以区分`] };
  if (!found) return { ok: true, row: { line: r.line, kind: 'add', branchName: branch.name, values } };
  // A secretary's file cannot move someone out of another branch; an administrator's can.
  if (ctx.scope && found.active && found.role !== 'leader' && found.branchId !== null && found.branchId !== branch.id) {
    const from = ctx.branches.find((b) => b.id === found.branchId)?.name;
    return { ok: false, errors: [`${found.name} 属于「${from}」，调整支部请联系管理员`] };
  }
  const changes = changesOf(found, values, ctx);
  return {
    ok: true,
    row: changes.length
      ? { line: r.line, kind: 'update', memberId: found.id, branchName: branch.name, values, changes }
      : { line: r.line, kind: 'same', memberId: found.id, branchName: branch.name, values },
  };
}

/** By 工号, then 手机, then the same name in the same branch among people not known by another 工号. */
function match(v: PersonValues, people: KnownPerson[]): KnownPerson | 'ambiguous' | null {
  const byNo = v.employeeNo ? people.find((p) => p.employeeNo === v.employeeNo) : undefined;
  if (byNo) return byNo;
  const byMobile = v.mobile ? people.find((p) => p.mobile === v.mobile) : undefined;
  if (byMobile) return byMobile;
  const byName = people.filter(
    (p) => p.name === v.name && p.branchId === v.branchId && (!p.employeeNo || !v.employeeNo) && (!p.mobile || !v.mobile || p.mobile === v.mobile),
  );
  if (byName.length > 1) return 'ambiguous';
  return byName[0] ?? null;
}

function changesOf(p: KnownPerson, v: PersonValues, ctx: Context): FieldChange[] {
  const out: FieldChange[] = [];
  const branchName = (id: number | null) => ctx.branches.find((b) => b.id === id)?.name ?? null;
  if (p.role !== 'leader' && p.branchId !== v.branchId)
    out.push({ label: COLUMN_LABELS.branch, from: show(branchName(p.branchId)), to: show(branchName(v.branchId)) });
  if (p.politicalStatus !== v.politicalStatus)
    out.push({ label: COLUMN_LABELS.status, from: STATUS_LABELS[p.politicalStatus], to: STATUS_LABELS[v.politicalStatus] });
  if (v.joinedPartyOn && p.joinedPartyOn !== v.joinedPartyOn) out.push({ label: COLUMN_LABELS.joinedOn, from: show(p.joinedPartyOn), to: v.joinedPartyOn });
  if (v.employeeNo && p.employeeNo !== v.employeeNo) out.push({ label: COLUMN_LABELS.employeeNo, from: show(p.employeeNo), to: v.employeeNo });
  if (v.mobile && p.mobile !== v.mobile) out.push({ label: COLUMN_LABELS.mobile, from: show(p.mobile), to: v.mobile });
  if (v.title && p.title !== v.title) out.push({ label: COLUMN_LABELS.title, from: show(p.title), to: v.title });
  return out;
}

/** Plans every row; a file is applied only when `errors` is empty. */
export function planImport(rows: ImportRow[], ctx: Context): ImportPlan {
  const plan: ImportPlan = { rows: [], errors: [] };
  const seen = new Map<string, number>();
  const taken = new Set<number>();
  for (const r of rows) {
    const result = planRow(r, ctx);
    if (!result.ok) {
      plan.errors.push(...result.errors.map((text) => ({ line: r.line, text })));
      continue;
    }
    const row = result.row;
    const keys = [row.values.employeeNo && `工号 ${row.values.employeeNo}`, row.values.mobile && `手机 ${row.values.mobile}`].filter((k): k is string => !!k);
    const twice = keys.find((k) => seen.has(k));
    if (twice) {
      plan.errors.push({ line: r.line, text: `${twice} 与第 ${seen.get(twice)} 行重复` });
      continue;
    }
    for (const k of keys) seen.set(k, r.line);
    if (row.kind !== 'add') {
      if (taken.has(row.memberId)) {
        plan.errors.push({ line: r.line, text: `与前面某一行是同一人（${row.values.name}）` });
        continue;
      }
      taken.add(row.memberId);
    }
    plan.rows.push(row);
  }
  return plan;
}
