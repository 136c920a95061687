// Branch names and chats, as cards and messages need them.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { branches } from '../db/schema.js';

export async function branchById(db: Db, id: number): Promise<{ name: string; chatId: string | null }> {
  const [b] = await db.select({ name: branches.name, chatId: branches.chatId }).from(branches).where(eq(branches.id, id));
  return { name: b?.name ?? '', chatId: b?.chatId ?? null };
}

export async function branchNames(db: Db): Promise<Map<number, string>> {
  return new Map((await db.select({ id: branches.id, name: branches.name }).from(branches)).map((b) => [b.id, b.name]));
}
