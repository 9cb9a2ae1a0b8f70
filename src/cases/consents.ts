/**
 * The applicant's consents: outside-data screening per source category, and recording of the interview. Each
 * decision keeps the text and version shown, the time, the channel and an evidence hash over all of it; the
 * latest decision per (case, kind, source) is in force. Screening and the interview ask `hasValidConsent` first.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { type Param, type Tx, prepared } from '../platform/db/index.js';
import { unprocessable } from '../platform/errors.js';
import { type Actor, authorize } from '../platform/identity/permissions.js';
import type { Lang } from '../questions/types.js';
import { type CasesCore, canonicalJson, loadCaseInScope, sha256Hex } from './access.js';
import { type ConsentKind, type ScreeningSource, consentText, currentConsentTexts } from './consent-texts.js';
import { toConsentDto } from './presenter.js';
import { caseConsents } from './tables.js';

// Read at every interview start and recording (src/platform/db `prepared`).
const consentsOfCase = prepared('consents_of_case', (db, p: Param<{ caseId: string }>) =>
  db
    .select()
    .from(caseConsents)
    .where(eq(caseConsents.caseId, p('caseId')))
    .orderBy(asc(caseConsents.seq)),
);
const latestConsent = prepared(
  'consent_latest',
  (db, p: Param<{ caseId: string; kind: ConsentKind; source: string }>) =>
    db
      .select({ granted: caseConsents.granted })
      .from(caseConsents)
      .where(
        and(
          eq(caseConsents.caseId, p('caseId')),
          eq(caseConsents.kind, p('kind')),
          eq(caseConsents.source, p('source')),
        ),
      )
      .orderBy(desc(caseConsents.seq))
      .limit(1),
);

export interface ConsentDecision {
  kind: ConsentKind;
  source?: ScreeningSource | undefined;
  text_id: string;
  text_version: number;
  granted: boolean;
}

export interface ConsentContext {
  caseId: string;
  lang: Lang;
  channel: string;
  invitationId: string | null;
  recordedBy: string;
  /** SHA-256 of outside evidence (a signed form's scan), when there is one. */
  evidenceSha256?: string;
}

export function createConsents(deps: CasesCore) {
  const { db, clock, ids, audit } = deps;

  /** Writes decisions inside the caller's transaction; CONSENT_TEXT_MISMATCH when a text does not fit its kind. */
  async function recordDecisions(tx: Tx, ctx: ConsentContext, decisions: readonly ConsentDecision[]) {
    const at = clock.now();
    const keys = decisions.map((d) => `${d.kind}:${d.source ?? ''}`);
    if (new Set(keys).size !== keys.length)
      throw unprocessable('CONSENT_DUPLICATE', 'One decision per kind and source in a request');
    const rows = decisions.map((d) => {
      const text = consentText(d.text_id, d.text_version);
      if (text.kind !== d.kind || (text.source ?? undefined) !== (d.source ?? undefined))
        throw unprocessable(
          'CONSENT_TEXT_MISMATCH',
          'The consent text does not belong to this kind or source',
          {
            text_id: d.text_id,
            kind: d.kind,
            source: d.source ?? null,
          },
        );
      const shown = `${text.title[ctx.lang]}\n${text.body[ctx.lang]}`;
      const evidence = {
        caseId: ctx.caseId,
        kind: d.kind,
        source: d.source ?? '',
        granted: d.granted,
        textId: text.id,
        textVersion: text.version,
        textSha256: sha256Hex(shown),
        lang: ctx.lang,
        channel: ctx.channel,
        invitationId: ctx.invitationId,
        outsideEvidence: ctx.evidenceSha256 ?? null,
        at: at.toISOString(),
      };
      return {
        id: ids.uuid(),
        caseId: ctx.caseId,
        kind: d.kind,
        source: d.source ?? '',
        granted: d.granted,
        textId: text.id,
        textVersion: text.version,
        lang: ctx.lang,
        channel: ctx.channel,
        invitationId: ctx.invitationId,
        recordedBy: ctx.recordedBy,
        evidenceHash: sha256Hex(canonicalJson(evidence)),
        at,
      };
    });
    if (rows.length > 0) await tx.insert(caseConsents).values(rows);
    await audit.append(tx, {
      actor: ctx.recordedBy,
      action: 'case.consent',
      entity: 'case',
      entityId: ctx.caseId,
      payload: {
        decisions: rows.map((r) => ({
          kind: r.kind,
          source: r.source,
          granted: r.granted,
          text: `${r.textId}@${r.textVersion}`,
          evidenceHash: r.evidenceHash,
        })),
        channel: ctx.channel,
      },
    });
    return rows.map(toConsentDto);
  }

  /** The officer records consents the applicant gave in person (a signed form, or on the officer's device). */
  async function recordOfficerConsents(
    actor: Actor,
    caseId: string,
    input: {
      consents: ConsentDecision[];
      lang: Lang;
      channel: 'paper' | 'officer_device';
      evidence_sha256: string;
    },
  ) {
    authorize(actor, 'case:write');
    return db.transaction(async (tx) => {
      await loadCaseInScope(tx, actor, caseId);
      return recordDecisions(
        tx,
        {
          caseId,
          lang: input.lang,
          channel: input.channel,
          invitationId: null,
          recordedBy: actor.userId,
          evidenceSha256: input.evidence_sha256,
        },
        input.consents,
      );
    });
  }

  async function listConsents(actor: Actor, caseId: string) {
    authorize(actor, 'case:read');
    await loadCaseInScope(db, actor, caseId);
    return (await consentsOfCase(db, { caseId })).map(toConsentDto);
  }

  /**
   * Whether the latest decision for this case, kind and (for screening) source category is a grant. A service
   * call for the screening and interview code, not an HTTP endpoint: it checks no caller.
   */
  async function hasValidConsent(
    caseId: string,
    kind: ConsentKind,
    source?: ScreeningSource,
  ): Promise<boolean> {
    const [latest] = await latestConsent(db, {
      caseId,
      kind,
      source: kind === 'screening' ? (source ?? '') : '',
    });
    return latest?.granted === true;
  }

  return {
    recordDecisions,
    recordOfficerConsents,
    listConsents,
    hasValidConsent,
    consentTexts: currentConsentTexts,
  };
}

export type Consents = ReturnType<typeof createConsents>;
