// Organisations, branches, people and the branches a committee member links.
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../../bot/campaign/template.js';
import { POLITICAL_STATUSES } from '../../bot/political-status.js';
import { createdAt } from './columns.js';

/** A Feishu/DingTalk organisation (tenant_key / corpId) the bot has seen. */
export const tenants = sqliteTable(
  'tenants',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    name: text('name'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenantKey] })],
);

/** A party branch (党支部); bound to at most one group chat. */
export const branches = sqliteTable(
  'branches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    name: text('name').notNull(),
    chatId: text('chat_id'),
    /** The secretary has made the branch's pledges public on a web page (公开亮出承诺). */
    pledgesPublic: integer('pledges_public', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('branches_name_uq').on(t.platform, t.tenantKey, t.name), uniqueIndex('branches_chat_uq').on(t.platform, t.chatId)],
);

/**
 * A person on the roster. `role` is their place: a branch's 党员 or 书记, or a 党委委员 outside any branch
 * (`leader`); `committee` makes a branch member a 党委委员 as well, linking branches (leader_links).
 */
export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    branchId: integer('branch_id').references(() => branches.id),
    role: text('role', { enum: ROLES }).notNull().default('member'),
    committee: integer('committee', { mode: 'boolean' }).notNull().default(false),
    /** 政治面貌; people /同步 brings in are `pending` until a secretary confirms them. */
    politicalStatus: text('political_status', { enum: POLITICAL_STATUSES }).notNull().default('full'),
    /** From a roster import: 工号, 手机, 职务 (matching key and what the committee's list says). */
    employeeNo: text('employee_no'),
    mobile: text('mobile'),
    title: text('title'),
    /** Imported from the committee's list before anyone saw them in a chat: /同步 links them by name. */
    awaitingChat: integer('awaiting_chat', { mode: 'boolean' }).notNull().default(false),
    joinedPartyOn: text('joined_party_on'),
    anniversaryOptOut: integer('anniversary_opt_out', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_user_uq').on(t.platform, t.tenantKey, t.userId), index('members_branch_ix').on(t.branchId)],
);

/** The branches a committee member "links" (联系点) and reviews. */
export const leaderLinks = sqliteTable(
  'leader_links',
  {
    leaderId: integer('leader_id')
      .notNull()
      .references(() => members.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.leaderId, t.branchId] })],
);

/** Administrators granted in the bot (/管理员 添加); BOT_ADMINS only bootstraps. A removal keeps the row. */
export const botAdmins = sqliteTable(
  'bot_admins',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: integer('granted_at', { mode: 'timestamp_ms' }).notNull(),
    revokedBy: text('revoked_by'),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenantKey, t.userId] })],
);

/** A roster file uploaded for import: its rows as read, kept until applied (all or nothing) or superseded. */
export const rosterImports = sqliteTable('roster_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  platform: text('platform').notNull(),
  tenantKey: text('tenant_key').notNull(),
  /** Who uploaded it (the link's holder), and the branch they may change (null: every branch, an admin). */
  userId: text('user_id').notNull(),
  branchId: integer('branch_id').references(() => branches.id),
  fileName: text('file_name').notNull(),
  rows: text('rows', { mode: 'json' }).$type<Array<Record<string, string | number>>>().notNull(),
  createdAt: createdAt(),
  appliedAt: integer('applied_at', { mode: 'timestamp_ms' }),
});
