/**
 * The screening port wired to the cases module's functions (case lookup with scope, decryption of the applicant,
 * the consent list). Lives beside screening so the composition root stays one line; nothing else in screening
 * imports the cases module.
 */
import { loadCaseInScope } from '../cases/access.js';
import { decryptApplicant } from '../cases/presenter.js';
import type { CasesService } from '../cases/service.js';
import type { FieldCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/index.js';
import { type Actor, systemReader } from '../platform/identity/permissions.js';
import type { ScreeningCasePort } from './types.js';

/**
 * Reads consents for the retry worker, which acts for no one. The cases module answers `hasValidConsent` without a
 * caller but not the consent's id, which every query must record; until it offers such a call, its consent list is
 * read as a read-only auditor of the whole tree. Never used for anything else.
 */
const CONSENT_READER: Actor = systemReader('screening');

export function createCasesPort(deps: {
  db: Db;
  cipher: FieldCipher;
  cases: Pick<CasesService, 'listConsents'>;
}): ScreeningCasePort {
  const { db, cipher, cases } = deps;
  return {
    async caseOf(actor, caseId) {
      const row = await loadCaseInScope(db, actor, caseId);
      return { caseId: row.id, branchId: row.branchId, branchPath: row.branchPath };
    },
    async subjectOf(actor, caseId) {
      const row = await loadCaseInScope(db, actor, caseId);
      const a = decryptApplicant(cipher, row);
      return {
        caseId: row.id,
        branchId: row.branchId,
        branchPath: row.branchPath,
        subject: { idNumber: a.residentId, name: a.name, mobile: a.mobile, uscc: row.uscc ?? undefined },
      };
    },
    async consentFor(caseId, source) {
      const all = await cases.listConsents(CONSENT_READER, caseId);
      // The latest decision for the source is in force (cases/consents.ts, `hasValidConsent`).
      const latest = all.filter((c) => c.kind === 'screening' && c.source === source).at(-1);
      if (!latest?.granted) return null;
      return { consentId: latest.id, grantedAt: new Date(latest.at), expiresAt: null };
    },
  };
}
