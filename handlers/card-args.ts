// Reading ids out of card action values: they come back from the client, so a bad one is a stale or
// tampered card, answered in Chinese rather than failing in the database.
import { InputError } from '../bot/errors.js';

export function intArg(args: Record<string, string | undefined>, key: string): number {
  const n = Number(args[key]);
  if (!Number.isSafeInteger(n) || n < 0) throw new InputError('卡片', '该卡片已失效，请重新发送命令获取新卡片。');
  return n;
}

/** One form field as text (adapters hand forms over as one trimmed string per field); missing is empty. */
export function formText(v: string | undefined): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** A card form as the core receives it. */
export type FormValues = Record<string, string>;
