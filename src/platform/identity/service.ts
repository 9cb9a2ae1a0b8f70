/**
 * Staff identity: branches, users, login sessions. Every call that acts for a person takes the Actor first and checks
 * permission and branch scope before anything else.
 */
import { createHash } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { and, asc, eq, isNull, like, sql } from 'drizzle-orm';
import type { AuditService } from '../audit/service.js';
import type { Db, Tx } from '../db/index.js';
import type { Clock, Ids } from '../deps.js';
import { AppError, badRequest, conflict, notFound, unauthorized } from '../errors.js';
import { type Actor, type Role, assertInScope, authorize, permissionsOf } from './permissions.js';
import type { BranchDtoT, UserDtoT } from './schemas.js';
import { branches, sessions, users } from './tables.js';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
  tokenTtlSeconds: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
}

type BranchRow = typeof branches.$inferSelect;
type UserRow = typeof users.$inferSelect;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const toBranchDto = (b: BranchRow): BranchDtoT => ({
  id: b.id,
  parent_id: b.parentId,
  code: b.code,
  name: b.name,
  name_en: b.nameEn,
  level: b.level,
});

export const toUserDto = (u: UserRow): UserDtoT => ({
  id: u.id,
  username: u.username,
  display_name: u.displayName,
  role: u.role,
  branch_id: u.branchId,
  disabled: u.disabled,
  locked_until: u.lockedUntil ? u.lockedUntil.toISOString() : null,
});

// A fixed hash to verify against when the user does not exist, so timing does not reveal valid usernames.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$LDT8cwaUdbjyFP9jiEkN+Q$Ye5vMaVIcLOrl2ORhuD5uIZ3kkdqo2s+YtQ0YDSoiaw';

export const hashPassword = (password: string) => argonHash(password, { algorithm: 2 });

export function createIdentityService(deps: IdentityDeps) {
  const { db, clock, ids, audit } = deps;

  async function login(username: string, password: string, meta: { ip?: string } = {}) {
    const now = clock.now();
    const [user] = await db.select().from(users).where(eq(users.username, username.toLowerCase()));
    if (!user) {
      await argonVerify(DUMMY_HASH, password).catch(() => false);
      throw unauthorized('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new AppError('ACCOUNT_LOCKED', 423, 'Too many failed logins; the account is locked for a while', {
        lockedUntil: user.lockedUntil.toISOString(),
      });
    }
    const ok = await argonVerify(user.passwordHash, password).catch(() => false);
    if (!ok || user.disabled) {
      await db.transaction(async (tx) => {
        // Count atomically so parallel failures cannot slip past the limit.
        const [u] = await tx
          .update(users)
          .set({ failedLogins: sql`${users.failedLogins} + 1` })
          .where(eq(users.id, user.id))
          .returning({ failedLogins: users.failedLogins });
        const failures = u?.failedLogins ?? 0;
        const lock = failures >= deps.loginMaxFailures;
        if (lock) {
          const until = new Date(now.getTime() + deps.loginLockMinutes * 60_000);
          await tx.update(users).set({ lockedUntil: until, failedLogins: 0 }).where(eq(users.id, user.id));
        }
        await audit.append(tx, {
          actor: user.id,
          action: lock ? 'user.locked' : 'user.login_failed',
          entity: 'user',
          entityId: user.id,
          payload: { failures, ip: meta.ip ?? null, disabled: user.disabled },
        });
      });
      throw unauthorized('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    const token = ids.token(32);
    const expiresAt = new Date(now.getTime() + deps.tokenTtlSeconds * 1000);
    const sessionId = ids.uuid();
    await db.transaction(async (tx) => {
      await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
      await tx
        .insert(sessions)
        .values({ id: sessionId, tokenHash: sha256(token), userId: user.id, createdAt: now, expiresAt });
      await audit.append(tx, {
        actor: user.id,
        action: 'user.login',
        entity: 'session',
        entityId: sessionId,
        payload: { ip: meta.ip ?? null },
      });
    });
    return { access_token: token, token_type: 'bearer' as const, expires_in: deps.tokenTtlSeconds };
  }

  /** Resolves a bearer token to the actor, or throws 401. One indexed query per request. */
  async function authenticate(token: string): Promise<Actor> {
    const now = clock.now();
    const rows = await db
      .select({ s: sessions, u: users, b: branches })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(branches, eq(branches.id, users.branchId))
      .where(eq(sessions.tokenHash, sha256(token)));
    const row = rows[0];
    if (!row || row.s.revokedAt) throw unauthorized('TOKEN_INVALID', 'The token is not valid');
    if (row.s.expiresAt <= now) throw unauthorized('TOKEN_EXPIRED', 'The token has expired; log in again');
    if (row.u.disabled) throw unauthorized('TOKEN_INVALID', 'The token is not valid');
    return {
      kind: 'staff',
      userId: row.u.id,
      username: row.u.username,
      role: row.u.role,
      branchId: row.b.id,
      branchPath: row.b.path,
      sessionId: row.s.id,
    };
  }

  async function revokeSessions(tx: Tx, userId: string, reason: string, now: Date) {
    await tx
      .update(sessions)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  }

  async function logout(actor: Actor) {
    const now = clock.now();
    await db.transaction(async (tx) => {
      await tx
        .update(sessions)
        .set({ revokedAt: now, revokedReason: 'logout' })
        .where(and(eq(sessions.id, actor.sessionId), isNull(sessions.revokedAt)));
      await audit.append(tx, {
        actor: actor.userId,
        action: 'user.logout',
        entity: 'session',
        entityId: actor.sessionId,
      });
    });
  }

  async function me(actor: Actor) {
    const [row] = await db
      .select({ u: users, b: branches })
      .from(users)
      .innerJoin(branches, eq(branches.id, users.branchId))
      .where(eq(users.id, actor.userId));
    if (!row) throw notFound('user', actor.userId);
    return { ...toUserDto(row.u), branch: toBranchDto(row.b), permissions: permissionsOf(row.u.role) };
  }

  async function changePassword(actor: Actor, current: string, next: string) {
    const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
    if (!user) throw notFound('user', actor.userId);
    if (!(await argonVerify(user.passwordHash, current).catch(() => false))) {
      throw badRequest('CURRENT_PASSWORD_WRONG', 'The current password is wrong');
    }
    if (current === next)
      throw badRequest('PASSWORD_UNCHANGED', 'The new password must differ from the current one');
    const passwordHash = await hashPassword(next);
    const now = clock.now();
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, user.id));
      await revokeSessions(tx, user.id, 'password_changed', now);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'user.password_change',
        entity: 'user',
        entityId: user.id,
      });
    });
  }

  async function getBranchRow(id: string): Promise<BranchRow | undefined> {
    const [b] = await db.select().from(branches).where(eq(branches.id, id));
    return b;
  }

  async function listBranches(actor: Actor) {
    authorize(actor, 'branch:read');
    const rows = await db
      .select()
      .from(branches)
      .where(like(branches.path, `${actor.branchPath}%`))
      .orderBy(asc(branches.path));
    return rows.map(toBranchDto);
  }

  async function getBranch(actor: Actor, id: string) {
    authorize(actor, 'branch:read');
    const b = await getBranchRow(id);
    if (!b) throw notFound('branch', id);
    assertInScope(actor, b.path, 'branch', id);
    return toBranchDto(b);
  }

  async function createBranch(
    actor: Actor,
    input: { parent_id: string; code: string; name: string; name_en: string },
  ) {
    authorize(actor, 'branch:write');
    const parent = await getBranchRow(input.parent_id);
    if (!parent || !parent.path.startsWith(actor.branchPath)) throw notFound('branch', input.parent_id);
    if (parent.level === 'outlet')
      throw badRequest('BRANCH_LEVEL_INVALID', 'An outlet cannot have sub-branches');
    const level = parent.level === 'union' ? 'county' : 'outlet';
    const id = ids.uuid();
    const row: BranchRow = {
      id,
      parentId: parent.id,
      code: input.code,
      name: input.name,
      nameEn: input.name_en,
      level,
      path: `${parent.path}${id}/`,
      createdAt: clock.now(),
    };
    await db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.code, input.code));
      if (dup) throw conflict('BRANCH_CODE_TAKEN', 'A branch with this code exists', { code: input.code });
      await tx.insert(branches).values(row);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'branch.create',
        entity: 'branch',
        entityId: id,
        payload: { code: input.code, parentId: parent.id, level },
      });
    });
    return toBranchDto(row);
  }

  async function listUsers(actor: Actor) {
    authorize(actor, 'user:read');
    const rows = await db
      .select({ u: users })
      .from(users)
      .innerJoin(branches, eq(branches.id, users.branchId))
      .where(like(branches.path, `${actor.branchPath}%`))
      .orderBy(asc(users.username));
    return rows.map((r) => toUserDto(r.u));
  }

  async function loadUserInScope(actor: Actor, id: string) {
    const [row] = await db
      .select({ u: users, b: branches })
      .from(users)
      .innerJoin(branches, eq(branches.id, users.branchId))
      .where(eq(users.id, id));
    if (!row) throw notFound('user', id);
    assertInScope(actor, row.b.path, 'user', id);
    return row.u;
  }

  async function getUser(actor: Actor, id: string) {
    authorize(actor, 'user:read');
    return toUserDto(await loadUserInScope(actor, id));
  }

  async function createUser(
    actor: Actor,
    input: { username: string; display_name: string; role: Role; branch_id: string; password: string },
  ) {
    authorize(actor, 'user:write');
    const branch = await getBranchRow(input.branch_id);
    if (!branch || !branch.path.startsWith(actor.branchPath)) throw notFound('branch', input.branch_id);
    const now = clock.now();
    const row: UserRow = {
      id: ids.uuid(),
      username: input.username.toLowerCase(),
      displayName: input.display_name,
      role: input.role,
      branchId: branch.id,
      passwordHash: await hashPassword(input.password),
      failedLogins: 0,
      lockedUntil: null,
      passwordChangedAt: now,
      disabled: false,
      createdAt: now,
    };
    await db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: users.id }).from(users).where(eq(users.username, row.username));
      if (dup) throw conflict('USERNAME_TAKEN', 'This username is taken', { username: row.username });
      await tx.insert(users).values(row);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'user.create',
        entity: 'user',
        entityId: row.id,
        payload: { username: row.username, role: row.role, branchId: row.branchId },
      });
    });
    return toUserDto(row);
  }

  async function updateUser(
    actor: Actor,
    id: string,
    input: {
      display_name?: string | undefined;
      role?: Role | undefined;
      branch_id?: string | undefined;
      disabled?: boolean | undefined;
      password?: string | undefined;
    },
  ) {
    authorize(actor, 'user:write');
    const user = await loadUserInScope(actor, id);
    if (input.branch_id) {
      const b = await getBranchRow(input.branch_id);
      if (!b || !b.path.startsWith(actor.branchPath)) throw notFound('branch', input.branch_id);
    }
    const now = clock.now();
    const patch: Partial<UserRow> = {};
    if (input.display_name !== undefined) patch.displayName = input.display_name;
    if (input.role !== undefined) patch.role = input.role;
    if (input.branch_id !== undefined) patch.branchId = input.branch_id;
    if (input.disabled !== undefined) patch.disabled = input.disabled;
    if (input.password !== undefined) {
      patch.passwordHash = await hashPassword(input.password);
      patch.passwordChangedAt = now;
      patch.failedLogins = 0;
      patch.lockedUntil = null;
    }
    const updated = await db.transaction(async (tx) => {
      const [u] = await tx.update(users).set(patch).where(eq(users.id, user.id)).returning();
      // A new password, role, branch or a disabled account ends every open session of that user.
      if (
        input.password !== undefined ||
        input.role !== undefined ||
        input.branch_id !== undefined ||
        input.disabled
      ) {
        await revokeSessions(tx, user.id, 'account_changed', now);
      }
      await audit.append(tx, {
        actor: actor.userId,
        action: 'user.update',
        entity: 'user',
        entityId: user.id,
        payload: {
          fields: Object.keys(input).filter((k) => k !== 'password'),
          passwordReset: input.password !== undefined,
        },
      });
      return u!;
    });
    return toUserDto(updated);
  }

  return {
    login,
    authenticate,
    logout,
    me,
    changePassword,
    listBranches,
    getBranch,
    createBranch,
    listUsers,
    getUser,
    createUser,
    updateUser,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
