// The roster import behind the web edge: an upload is read and kept, previewed against the roster, and
// applied all at once or not at all. The link's holder is checked again at every step.
import { and, eq, isNull } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import { STATUS_LABELS } from '../../bot/political-status.js';
import type { PortDeps, RosterImportGrant, RosterImportPort, RosterImportView } from '../../bot/ports.js';
import { localDate } from '../../bot/time.js';
import { runBatch } from '../../db/client.js';
import { auditLog, branches, members, rosterImports } from '../../db/schema.js';
import { holderStillMay } from '../grant-holder.js';
import { readRosterFile, type ImportRow } from './import-file.js';
import { planImport, type ImportPlan, type KnownBranch } from './import-plan.js';

async function scopeOf({ db, config }: PortDeps, g: RosterImportGrant): Promise<{ scope: KnownBranch | null; branches: KnownBranch[] } | null> {
  if (!(await holderStillMay(db, config, g))) return null;
  const all = await db
    .select({ id: branches.id, name: branches.name })
    .from(branches)
    .where(and(eq(branches.platform, g.platform), eq(branches.tenantKey, g.tenantKey)));
  if (g.branchId === null) return { scope: null, branches: all };
  const scope = all.find((b) => b.id === g.branchId);
  return scope ? { scope, branches: all } : null;
}

async function planOf(deps: PortDeps, g: RosterImportGrant, rows: ImportRow[], s: { scope: KnownBranch | null; branches: KnownBranch[] }): Promise<ImportPlan> {
  const people = await deps.db
    .select()
    .from(members)
    .where(and(eq(members.platform, g.platform), eq(members.tenantKey, g.tenantKey)));
  return planImport(rows, { ...s, people, today: localDate(deps.clock.now(), deps.config.timezone) });
}

function viewOf(scope: KnownBranch | null, upload: RosterImportView['upload'], plan: ImportPlan | null, fileError: string | null = null): RosterImportView {
  return {
    scope: scope?.name ?? '全部支部',
    upload,
    rows: (plan?.rows ?? []).map((r) => ({
      line: r.line,
      kind: r.kind,
      name: r.values.name,
      branch: r.branchName,
      status: STATUS_LABELS[r.values.politicalStatus],
      changes: r.kind === 'update' ? r.changes.map((c) => `${c.label}：${c.from} → ${c.to}`) : [],
    })),
    errors: plan?.errors ?? [],
    fileError,
  };
}

async function uploadOf(deps: PortDeps, g: RosterImportGrant, id: number) {
  const [row] = await deps.db.select().from(rosterImports).where(eq(rosterImports.id, id));
  // Another person's upload is not found, whatever its id.
  if (!row || row.platform !== g.platform || row.tenantKey !== g.tenantKey || row.userId !== g.userId || row.branchId !== g.branchId) return null;
  return row;
}

/** A placeholder account until /同步 finds the person in their branch's chat. */
const placeholderId = (uploadId: number, line: number) => `import:${uploadId}:${line}`;

export const rosterImportPort: RosterImportPort = {
  async start(deps, g) {
    const s = await scopeOf(deps, g);
    return s && viewOf(s.scope, null, null);
  },

  async upload(deps, g, file) {
    const s = await scopeOf(deps, g);
    if (!s) return null;
    let rows: ImportRow[];
    try {
      rows = await readRosterFile(file.name, file.bytes);
    } catch (err) {
      if (err instanceof InputError) return viewOf(s.scope, null, null, err.message);
      throw err;
    }
    const [kept] = await deps.db
      .insert(rosterImports)
      .values({
        platform: g.platform,
        tenantKey: g.tenantKey,
        userId: g.userId,
        branchId: g.branchId,
        fileName: file.name.slice(0, 200),
        rows,
        createdAt: deps.clock.now(),
      })
      .returning({ id: rosterImports.id });
    return viewOf(s.scope, { id: kept!.id, fileName: file.name, applied: false }, await planOf(deps, g, rows, s));
  },

  async apply(deps, g, uploadId) {
    const s = await scopeOf(deps, g);
    const upload = s && (await uploadOf(deps, g, uploadId));
    if (!s || !upload) return null;
    const rows = upload.rows as unknown as ImportRow[];
    const plan = await planOf(deps, g, rows, s);
    const view = (applied: boolean) => viewOf(s.scope, { id: upload.id, fileName: upload.fileName, applied }, plan);
    if (upload.appliedAt) return view(true);
    if (plan.errors.length) return view(false);
    const { db } = deps;
    const now = deps.clock.now();
    const writes = [];
    for (const r of plan.rows) {
      if (r.kind === 'same') continue;
      if (r.kind === 'add') {
        writes.push(
          db.insert(members).values({
            platform: g.platform,
            tenantKey: g.tenantKey,
            userId: placeholderId(upload.id, r.line),
            ...r.values,
            active: false,
            awaitingChat: true,
          }),
        );
      } else {
        const { name: _, ...values } = r.values;
        writes.push(db.update(members).set(values).where(eq(members.id, r.memberId)));
      }
    }
    const counts = { added: plan.rows.filter((r) => r.kind === 'add').length, updated: plan.rows.filter((r) => r.kind === 'update').length };
    const marked = db
      .update(rosterImports)
      .set({ appliedAt: now })
      .where(and(eq(rosterImports.id, upload.id), isNull(rosterImports.appliedAt)));
    const audit = db
      .insert(auditLog)
      .values({
        at: now,
        platform: g.platform,
        tenantKey: g.tenantKey,
        actorId: g.userId,
        action: 'roster.import',
        target: s.scope ? `branch:${s.scope.id}` : 'all',
        detail: { file: upload.fileName, rows: rows.length, ...counts },
        eventId: `roster-import:${upload.id}`,
      })
      .onConflictDoNothing();
    await runBatch(db, [marked, audit, ...writes]);
    return view(true);
  },
};
