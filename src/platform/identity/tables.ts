import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Branch tree: province union → county bank → outlet. `path` is the chain of ids ("/a/b/c/") for subtree scope. */
export const branches = pgTable(
  'branches',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id'),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    level: text('level', { enum: ['union', 'county', 'outlet'] }).notNull(),
    path: text('path').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('branches_parent_idx').on(t.parentId)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', {
      enum: ['admin', 'loan_officer', 'remote_expert', 'compliance', 'risk_manager', 'auditor'],
    }).notNull(),
    branchId: text('branch_id')
      .notNull()
      .references(() => branches.id),
    passwordHash: text('password_hash').notNull(),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('users_branch_idx').on(t.branchId)],
);

/** Server-side sessions: the bearer token is never stored, only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    index('sessions_user_idx')
      .on(t.userId)
      .where(sql`revoked_at is null`),
  ],
);
