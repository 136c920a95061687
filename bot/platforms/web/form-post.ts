// A posted card form -> the neutral card action, checked at the edge: a tampered, oversized or
// malformed post is refused with a Chinese message before anything is recorded.
import type { CardActionEvent } from '../../types.js';

/** A refusal shown as a page: status and the Chinese text. */
export class WebRefusal extends Error {
  override name = 'WebRefusal';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 429 | 503,
    readonly title: string,
    readonly detail: string,
  ) {
    super(title);
  }
}

export const BODY_LIMIT = 64 * 1024;
const MAX_FIELDS = 120;
const MAX_VALUE = 4_000;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

const bad = (detail: string) => new WebRefusal(400, '提交的内容无法处理', detail);

export type PostedBody = Record<string, string | File | Array<string | File>>;

/** One text value per name; files and repeated names are refused. */
export function textFields(body: PostedBody): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries = Object.entries(body);
  if (entries.length > MAX_FIELDS) throw bad(`字段过多（最多 ${MAX_FIELDS} 个）。`);
  for (const [name, v] of entries) {
    if (typeof v !== 'string') throw bad(`字段「${name.slice(0, 40)}」的格式不对。`);
    if (UNSAFE.has(name)) throw bad('字段名不允许。');
    if (v.length > MAX_VALUE) throw bad(`字段「${name.slice(0, 40)}」超过 ${MAX_VALUE} 字。`);
    out[name] = v;
  }
  return out;
}

/**
 * The card's action (from the hidden fields) and the form's values (every other field). `signedBy`
 * checks the action's signature: only an action the rendered card offered, with its own arguments, passes.
 */
export function cardAction(
  fields: Record<string, string>,
  signedBy: (id: string, v: string, args: string, signature: string) => boolean,
): { action: CardActionEvent['action']; formValue: Record<string, string> } {
  const id = fields._a ?? '';
  const v = Number(fields._v);
  if (!/^[a-z][a-z0-9.]{0,40}$/i.test(id) || !Number.isSafeInteger(v) || v < 1) throw bad('卡片信息缺失或已损坏，请重新打开卡片。');
  if (!signedBy(id, fields._v ?? '', fields._args ?? '', fields._sig ?? '')) throw bad('卡片信息已损坏或被改动，请重新打开卡片。');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fields._args ?? '{}');
  } catch {
    throw bad('卡片信息已损坏，请重新打开卡片。');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('卡片信息已损坏，请重新打开卡片。');
  const args: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, x] of Object.entries(parsed)) {
    if (UNSAFE.has(k) || k === 'a' || k === 'v') continue;
    if (typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) args[k] = String(x).slice(0, 200);
  }
  const formValue: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('_')) continue;
    if (!FIELD_NAME.test(name)) throw bad(`字段名「${name.slice(0, 40)}」不符合要求。`);
    formValue[name] = value.trim();
  }
  return { action: { id, v, args }, formValue };
}
