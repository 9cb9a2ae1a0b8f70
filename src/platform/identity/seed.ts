/**
 * Seeding: the first branch and administrator of a new bank (`weidai bootstrap`), and the demo bank of `weidai demo`.
 * Both are idempotent: running them again changes nothing that exists.
 */
import { eq } from 'drizzle-orm';
import type { AuditService } from '../audit/service.js';
import type { Db, Tx } from '../db/index.js';
import type { Clock, Ids } from '../deps.js';
import type { Role } from './permissions.js';
import { hashPassword } from './service.js';
import { branches, users } from './tables.js';

export const DEMO_PASSWORD = 'weidai-demo';

interface SeedDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
}

type Level = 'union' | 'county' | 'outlet';

async function ensureBranch(
  tx: Tx,
  deps: SeedDeps,
  b: { code: string; name: string; nameEn: string; level: Level; parent?: { id: string; path: string } },
) {
  const [existing] = await tx.select().from(branches).where(eq(branches.code, b.code));
  if (existing) return existing;
  const id = deps.ids.uuid();
  const row = {
    id,
    parentId: b.parent?.id ?? null,
    code: b.code,
    name: b.name,
    nameEn: b.nameEn,
    level: b.level,
    path: `${b.parent?.path ?? '/'}${id}/`,
    createdAt: deps.clock.now(),
  };
  await tx.insert(branches).values(row);
  await deps.audit.append(tx, {
    actor: 'system',
    action: 'branch.create',
    entity: 'branch',
    entityId: id,
    payload: { code: b.code, level: b.level },
  });
  return row;
}

async function ensureUser(
  tx: Tx,
  deps: SeedDeps,
  u: { username: string; displayName: string; role: Role; branchId: string; passwordHash: string },
) {
  const [existing] = await tx.select().from(users).where(eq(users.username, u.username));
  if (existing) return { row: existing, created: false };
  const now = deps.clock.now();
  const row = {
    id: deps.ids.uuid(),
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    branchId: u.branchId,
    passwordHash: u.passwordHash,
    failedLogins: 0,
    lockedUntil: null,
    passwordChangedAt: now,
    disabled: false,
    createdAt: now,
  };
  await tx.insert(users).values(row);
  await deps.audit.append(tx, {
    actor: 'system',
    action: 'user.create',
    entity: 'user',
    entityId: row.id,
    payload: { username: u.username, role: u.role },
  });
  return { row, created: true };
}

/** A new bank's root branch and its first administrator. */
export async function bootstrapBank(
  deps: SeedDeps,
  input: { code: string; name: string; nameEn: string; adminUsername: string; adminPassword: string },
) {
  const passwordHash = await hashPassword(input.adminPassword);
  return deps.db.transaction(async (tx) => {
    const root = await ensureBranch(tx, deps, {
      code: input.code,
      name: input.name,
      nameEn: input.nameEn,
      level: 'union',
    });
    const admin = await ensureUser(tx, deps, {
      username: input.adminUsername,
      displayName: '系统管理员',
      role: 'admin',
      branchId: root.id,
      passwordHash,
    });
    return { rootBranchId: root.id, adminCreated: admin.created };
  });
}

export interface DemoBank {
  branches: Record<string, { id: string; name: string }>;
  users: { username: string; role: Role; branch: string; created: boolean }[];
}

/**
 * The demo bank: a provincial union with two county banks and two outlets each; one user per role, named after the
 * role, plus a second loan officer in another outlet to show branch data scope. Password: weidai-demo.
 */
export async function seedDemoBank(deps: SeedDeps): Promise<DemoBank> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return deps.db.transaction(async (tx) => {
    const union = await ensureBranch(tx, deps, {
      code: 'HN-UNION',
      name: '河南省农村信用社联合社（演示）',
      nameEn: 'Henan Rural Credit Union (demo)',
      level: 'union',
    });
    const countyA = await ensureBranch(tx, deps, {
      code: 'HN-LK',
      name: '兰考农商银行',
      nameEn: 'Lankao Rural Commercial Bank',
      level: 'county',
      parent: union,
    });
    const countyB = await ensureBranch(tx, deps, {
      code: 'HN-XX',
      name: '新县农商银行',
      nameEn: 'Xinxian Rural Commercial Bank',
      level: 'county',
      parent: union,
    });
    const outletA = await ensureBranch(tx, deps, {
      code: 'HN-LK-01',
      name: '兰考城关支行',
      nameEn: 'Lankao Chengguan Outlet',
      level: 'outlet',
      parent: countyA,
    });
    const outletA2 = await ensureBranch(tx, deps, {
      code: 'HN-LK-02',
      name: '兰考堌阳支行',
      nameEn: 'Lankao Guyang Outlet',
      level: 'outlet',
      parent: countyA,
    });
    const outletB = await ensureBranch(tx, deps, {
      code: 'HN-XX-01',
      name: '新县城关支行',
      nameEn: 'Xinxian Chengguan Outlet',
      level: 'outlet',
      parent: countyB,
    });
    const outletB2 = await ensureBranch(tx, deps, {
      code: 'HN-XX-02',
      name: '新县八里畈支行',
      nameEn: 'Xinxian Balifan Outlet',
      level: 'outlet',
      parent: countyB,
    });

    const plan: { username: string; displayName: string; role: Role; branch: typeof union }[] = [
      { username: 'admin', displayName: '管理员', role: 'admin', branch: union },
      { username: 'loan_officer', displayName: '王客户经理', role: 'loan_officer', branch: outletA },
      { username: 'loan_officer_b', displayName: '李客户经理', role: 'loan_officer', branch: outletB },
      { username: 'remote_expert', displayName: '赵远程专家', role: 'remote_expert', branch: countyA },
      { username: 'compliance', displayName: '钱合规', role: 'compliance', branch: union },
      { username: 'risk_manager', displayName: '孙风险经理', role: 'risk_manager', branch: union },
      { username: 'auditor', displayName: '周审计', role: 'auditor', branch: union },
    ];
    const created = [];
    for (const p of plan) {
      const r = await ensureUser(tx, deps, {
        username: p.username,
        displayName: p.displayName,
        role: p.role,
        branchId: p.branch.id,
        passwordHash,
      });
      created.push({ username: p.username, role: p.role, branch: p.branch.name, created: r.created });
    }
    const pick = (b: typeof union) => ({ id: b.id, name: b.name });
    return {
      branches: {
        union: pick(union),
        countyA: pick(countyA),
        countyB: pick(countyB),
        outletA: pick(outletA),
        outletA2: pick(outletA2),
        outletB: pick(outletB),
        outletB2: pick(outletB2),
      },
      users: created,
    };
  });
}
