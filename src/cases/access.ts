/**
 * Who may touch a case: staff by permission and branch subtree, the bank's loan system by its key's subtree.
 * Shared by the parts of the cases service.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AuditService } from '../platform/audit/service.js';
import type { FieldCipher } from '../platform/crypto.js';
import { type Db, type DbOrTx, type Param, prepared } from '../platform/db/index.js';
import type { Clock, Ids } from '../platform/deps.js';
import { forbidden, notFound } from '../platform/errors.js';
import { type Actor, type Permission, authorize, can } from '../platform/identity/permissions.js';
import type { Kv } from '../platform/kv/index.js';
import { cases } from './tables.js';

/** The bank's loan system, authenticated by its API key. */
export interface IntegrationActor {
  kind: 'integration';
  keyId: string;
  name: string;
  branchId: string;
  branchPath: string;
}

export type CaseActor = Actor | IntegrationActor;

export type CaseRow = typeof cases.$inferSelect;

export interface CasesCore {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
  cipher: FieldCipher;
  kv: Kv;
}

export const sha256Hex = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** JSON with object keys sorted at every level, so equal content hashes equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The audit actor of a caller. */
export const auditActor = (a: CaseActor) => (a.kind === 'staff' ? a.userId : `integration:${a.name}`);

/**
 * Staff need the permission; the integration may do what a loan system does (create, read, invite) and nothing
 * that reads the survey or the analysis.
 */
export function authorizeCase(actor: CaseActor, permission: Permission): void {
  if (actor.kind === 'staff') return authorize(actor, permission);
  if (!INTEGRATION_GRANTS.includes(permission)) {
    throw forbidden('PERMISSION_DENIED', `The integration may not ${permission}`);
  }
}

const INTEGRATION_GRANTS: readonly Permission[] = ['case:read', 'case:write', 'interview:trigger'];

/** Whether the caller sees personal data unmasked. */
export const seesPii = (actor: CaseActor) => actor.kind === 'staff' && can(actor.role, 'case:pii');

/** The case, or CASE_NOT_FOUND when it does not exist or lies outside the caller's subtree. */
/** A case row by id, without a scope check (the callers check it). */
export const caseRowById = prepared('cases_by_id', (db, p: Param<{ id: string }>) =>
  db
    .select()
    .from(cases)
    .where(eq(cases.id, p('id'))),
);

export async function loadCaseInScope(db: DbOrTx, actor: CaseActor, id: string): Promise<CaseRow> {
  const [row] = await caseRowById(db, { id });
  if (!row || !row.branchPath.startsWith(actor.branchPath)) throw notFound('case', id);
  return row;
}
