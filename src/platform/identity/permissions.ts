/**
 * Roles and what they may do. Checked on the server in every service call (`authorize`), together with the branch
 * data scope (`assertInScope`). An auditor reads everything in its subtree and writes nothing.
 */
import { forbidden, notFound } from '../errors.js';

export const ROLES = [
  'admin',
  'loan_officer',
  'remote_expert',
  'compliance',
  'risk_manager',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'branch:read',
  'branch:write',
  'user:read',
  'user:write',
  'case:read',
  'case:write',
  'case:pii', // may see personal data unmasked
  'interview:trigger',
  'screening:read',
  'screening:run',
  'review:read',
  'review:opinion',
  'pipeline:run', // ask for a fresh scoring result, re-queue a failed scoring job
  'recording:read',
  'recording:hold',
  'recording:export',
  'catalogue:read',
  'catalogue:write',
  'model:read',
  'model:write',
  'pricing:read',
  'pricing:write',
  'channel:read',
  'channel:write',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READS = PERMISSIONS.filter((p) => p.endsWith(':read'));

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: [
    'branch:read',
    'branch:write',
    'user:read',
    'user:write',
    'channel:read',
    'channel:write',
    'audit:read',
  ],
  loan_officer: [
    'branch:read',
    'case:read',
    'case:write',
    'case:pii',
    'interview:trigger',
    'screening:read',
    'screening:run',
    'review:read',
    'pipeline:run',
  ],
  remote_expert: [
    'branch:read',
    'case:read',
    'screening:read',
    'review:read',
    'review:opinion',
    'pipeline:run',
    'recording:read',
    'catalogue:read',
    'model:read',
    'pricing:read',
  ],
  compliance: [
    'branch:read',
    'user:read',
    'case:read',
    'case:pii',
    'screening:read',
    'review:read',
    'recording:read',
    'recording:hold',
    'recording:export',
    'audit:read',
  ],
  risk_manager: [
    'branch:read',
    'case:read',
    'screening:read',
    'review:read',
    'catalogue:read',
    'catalogue:write',
    'model:read',
    'model:write',
    'pricing:read',
    'pricing:write',
    'pipeline:run',
  ],
  auditor: READS,
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

/** The authenticated staff member a service call acts for. */
export interface Actor {
  kind: 'staff';
  userId: string;
  username: string;
  role: Role;
  branchId: string;
  branchPath: string;
  sessionId: string;
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw forbidden('PERMISSION_DENIED', `Role ${actor.role} may not ${permission}`);
  }
}

export function inScope(actor: Actor, objectBranchPath: string): boolean {
  return objectBranchPath.startsWith(actor.branchPath);
}

/** An object outside the caller's branch subtree answers "not found", so its existence does not leak. */
export function assertInScope(actor: Actor, objectBranchPath: string, entity: string, id: string): void {
  if (!inScope(actor, objectBranchPath)) throw notFound(entity, id);
}

/**
 * A read-only actor over the whole branch tree for work the service does for nobody in particular (building an
 * applicant's question bank, scoring a finished interview). An auditor reads everything and writes nothing, so a
 * mistake in its use cannot change data.
 */
export function systemReader(purpose: string): Actor {
  return {
    kind: 'staff',
    userId: `system:${purpose}`,
    username: `system:${purpose}`,
    role: 'auditor',
    branchId: '',
    branchPath: '/',
    sessionId: '',
  };
}
