// A short-lived cache of who the sender is, so the webhook's hot path does one query, not three.
// Handlers that change bindings or roles clear it; other instances see a change within the TTL.
import type { Config } from './config.js';
import type { IncomingEvent } from './types.js';
import type { Db } from '../db/client.js';
import { loadActor, type Actor } from './access.js';

const MAX_ENTRIES = 10_000;

export class ActorCache {
  private readonly entries = new Map<string, { at: number; actor: Actor }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(db: Db, config: Config, event: IncomingEvent): Promise<Actor> {
    const chatKind = event.kind === 'cardAction' ? 'card' : event.chatType;
    const key = `${event.platform}|${event.tenantKey}|${event.userId}|${event.chatId}|${chatKind}`;
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.actor;
    const actor = await loadActor(db, config, event);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { at: this.now(), actor });
    return actor;
  }

  clear(): void {
    this.entries.clear();
  }
}
