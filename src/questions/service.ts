/**
 * The fact catalogue as versioned data edited by a risk manager, and the risk manager's report of a case's
 * question bank.
 *
 * A saved version is validated first (every problem refused with its JSON Pointer and, in text, its offset) and
 * stored as a draft; activating it is a separate, audited step with optimistic concurrency (the caller names the
 * version it believes is active). New banks are generated from the active version, which `activeCatalogue()`
 * serves from a short per-instance cache; the bank records the version as `catalogueVersion`.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/audit/chain.js';
import type { AuditService } from '../platform/audit/service.js';
import type { Db } from '../platform/db/index.js';
import type { Clock } from '../platform/deps.js';
import { AppError, conflict, notFound, unprocessable } from '../platform/errors.js';
import { type Actor, authorize } from '../platform/identity/permissions.js';
import type { CasesService } from '../cases/service.js';
import { chinaDate } from '../dialog/banks.js';
import type { InterviewBankLookup } from '../dialog/session/bank-of.js';
import { DEFAULT_CATALOGUE } from './catalogue/default.js';
import {
  type CaseContextInput,
  type ScreeningEntry,
  buildCaseContext,
  knownSourcesAll,
} from './case-context.js';
import { buildBankReport, renderBankReport } from './report.js';
import type { BankReport } from './report.js';
import { CatalogueSchema } from './schemas.js';
import type { Catalogue } from './schemas.js';
import { DEFAULT_KNOWN_SOURCES } from './sources.js';
import type { KnownSources } from './sources.js';
import type { Lang } from './types.js';
import { validateCatalogue } from './validate.js';
import {
  type CaseBankReportDto,
  type CatalogueVersionDetailDto,
  type CatalogueVersionDto,
  type ReportSource,
  type SaveIssue,
  type StoredValidation,
  reportOfStoredBank,
  reportSourceLines,
  toCatalogueVersionDto,
} from './presenter.js';
import { type CatalogueRowHead, catalogueStore as store } from './store.js';

const SYSTEM = 'system';
/** How long an instance serves the active catalogue before asking the database again. */
const DEFAULT_CACHE_TTL_MS = 2_000;
/** Parsed contents kept per instance; versions never change, so they need no expiry. */
const PARSED_KEEP = 8;
// An id or version goes into URLs and into every bank: a plain name.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The case data a bank is built from, as the interview's bank provider reads it. */
export interface CaseInputsPort {
  inputsFor(caseId: string): Promise<Omit<CaseContextInput, 'asOf'>>;
}

/**
 * The interview inputs of a case from the cases module: sector, survey, rebuilt financials and checks. The
 * interview's bank provider and the report both use this, so a report regenerates what the interview got.
 */
/** Screening facts of a case, as the case context takes them (values in the provider's units, with a status). */
export interface ScreeningFactsPort {
  factsOf(caseId: string): Promise<Readonly<Record<string, ScreeningEntry>> | null>;
}

export function caseBankInputs(
  cases: Pick<CasesService, 'analysisForInterview'>,
  screening?: ScreeningFactsPort,
): CaseInputsPort {
  return {
    async inputsFor(caseId) {
      const a = await cases.analysisForInterview(caseId);
      // Outside data raises the doubt of what it contradicts; it is never quoted to the applicant.
      const facts = screening ? await screening.factsOf(caseId) : null;
      return {
        ...(facts ? { screening: facts } : {}),
        caseId,
        sector: a.sector,
        templateId: a.template.id,
        templateVersion: a.template.version,
        answers: a.answers,
        ...(a.financials ? { financials: a.financials } : {}),
        ...(a.checks ? { checks: a.checks } : {}),
      };
    },
  };
}

export interface QuestionsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cases: Pick<CasesService, 'getCase'>;
  inputs: CaseInputsPort;
  interviews: Pick<InterviewBankLookup, 'latestOf' | 'ofSession'>;
  /** Default 2 s. Another instance's activation is seen within this time; this instance's at once. */
  cacheTtlMs?: number;
  /** Stored as the first version when none is (default: the shipped DEFAULT_CATALOGUE). */
  shipped?: Catalogue;
}

/** The string a bank records as `catalogueVersion`, and the key of a stored version. */
export const catalogueVersionOf = (c: Pick<Catalogue, 'id' | 'version'>) => `${c.id}@${c.version}`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const toPointer = (path: (string | number)[]) =>
  path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys the schema does not know (and would silently drop): a misspelt optional field is refused, not lost. */
function strayKeys(raw: unknown, parsed: unknown, path: (string | number)[], out: SaveIssue[]) {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    raw.forEach((v, i) => strayKeys(v, parsed[i], [...path, i], out));
  } else if (isObject(raw) && isObject(parsed)) {
    for (const [k, v] of Object.entries(raw)) {
      const at = [...path, k];
      if (k in parsed) strayKeys(v, parsed[k], at, out);
      else
        out.push({
          code: 'UNKNOWN_KEY',
          path: at,
          pointer: toPointer(at),
          message: `"${k}" is not a field here`,
        });
    }
  }
}

function mergeKnown(a: KnownSources, b: KnownSources): KnownSources {
  const u = (x: Iterable<string>, y: Iterable<string>) => [...new Set([...x, ...y])].sort();
  return {
    survey: u(a.survey, b.survey),
    financials: u(a.financials, b.financials),
    screening: u(a.screening, b.screening),
  };
}

/**
 * The names a saved catalogue may refer to: those the case mapping fills (knownSourcesAll) and those the
 * design registry anticipates (DEFAULT_KNOWN_SOURCES). A name in neither is refused; a name only in the
 * registry is accepted with a warning, because the shipped catalogue itself refers to seven such survey fields
 * (asked without an expected value until the surveys fill them).
 */
export function saveKnownSources(): { accepted: KnownSources; filled: KnownSources } {
  const filled = knownSourcesAll();
  return { accepted: mergeKnown(filled, DEFAULT_KNOWN_SOURCES), filled };
}

export type SaveCheck =
  | { ok: true; catalogue: Catalogue; version: string; validation: StoredValidation }
  | { ok: false; errors: SaveIssue[]; validation: StoredValidation };

/**
 * Every rule a saved catalogue must satisfy (validate.ts, unknown keys, plain id and version), with the
 * warnings for sources no case can fill yet. Pure but for the time stamp it is given.
 */
export function checkCatalogueForSave(input: unknown, now: Date): SaveCheck {
  const { accepted, filled } = saveKnownSources();
  const base = {
    checkedAt: now.toISOString(),
    knownSourcesSha256: sha256(canonicalJson(accepted)),
  };
  const result = validateCatalogue(input, { knownSources: accepted });
  const errors: SaveIssue[] = result.ok ? [] : [...result.errors];
  const parsed = CatalogueSchema.safeParse(input);
  if (parsed.success) {
    strayKeys(input, parsed.data, [], errors);
    for (const key of ['id', 'version'] as const) {
      if (!NAME.test(parsed.data[key]))
        errors.push({
          code: 'NAME_INVALID',
          path: [key],
          pointer: `/${key}`,
          message: `The catalogue ${key} must be letters, digits, dot, dash or underscore (at most 64)`,
        });
    }
  }
  if (errors.length > 0 || !parsed.success) {
    return { ok: false, errors, validation: { ok: false, ...base, errors, warnings: [] } };
  }
  const strict = validateCatalogue(parsed.data, { knownSources: filled });
  const warnings: SaveIssue[] = strict.ok
    ? []
    : strict.errors
        .filter((e) => e.code === 'UNKNOWN_SOURCE')
        .map((e) => ({ ...e, code: 'SOURCE_NOT_FILLED' }));
  return {
    ok: true,
    catalogue: parsed.data,
    version: catalogueVersionOf(parsed.data),
    validation: { ok: true, ...base, errors: [], warnings },
  };
}

const invalid = (errors: SaveIssue[], extra: Record<string, unknown> = {}) => {
  const first = errors[0];
  return unprocessable(
    'CATALOGUE_INVALID',
    `The catalogue cannot be saved: ${errors.length} problem(s), first at ${first?.pointer || '/'}: ${first?.message ?? ''}`,
    { ...extra, errors },
  );
};

export function createQuestionsService(deps: QuestionsServiceDeps) {
  const { db, clock, audit } = deps;
  const shipped = deps.shipped ?? DEFAULT_CATALOGUE;
  const ttl = deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  // Per instance, not per module: each service has its own.
  const parsed = new Map<string, Catalogue>();
  let active: { version: string; catalogue: Catalogue; at: number } | null = null;
  let seeded: Promise<void> | null = null;

  /**
   * Stores the shipped catalogue once: active when nothing is active, else as a draft (a new release's
   * catalogue then waits for a risk manager to activate it). Concurrent instances insert at most one row.
   */
  async function seed(): Promise<void> {
    const version = catalogueVersionOf(shipped);
    if (await store.head(db, version)) return;
    const now = clock.now();
    const check = checkCatalogueForSave(shipped, now);
    await db.transaction(async (tx) => {
      const status = (await store.activeVersion(tx)) === null ? 'active' : 'draft';
      const row = await store.insert(tx, {
        version,
        catalogueId: shipped.id,
        content: shipped,
        contentSha256: sha256(canonicalJson(shipped)),
        status,
        basedOn: null,
        note: 'shipped with weidai',
        validation: check.validation,
        createdBy: SYSTEM,
        createdAt: now,
        ...(status === 'active' ? { activatedBy: SYSTEM, activatedAt: now } : {}),
      });
      if (!row) return;
      await audit.append(tx, {
        actor: SYSTEM,
        action: 'catalogue.seed',
        entity: 'catalogue_version',
        entityId: version,
        payload: { seq: row.seq, status, valid: check.ok },
      });
    });
  }

  function ensureSeeded(): Promise<void> {
    seeded ??= seed().catch((e: unknown) => {
      seeded = null;
      throw e;
    });
    return seeded;
  }

  function remember(version: string, catalogue: Catalogue) {
    parsed.delete(version);
    parsed.set(version, catalogue);
    while (parsed.size > PARSED_KEEP) parsed.delete(parsed.keys().next().value!);
  }

  /** A stored version's catalogue, parsed once per instance; undefined when the version is not stored. */
  async function catalogueOf(version: string): Promise<Catalogue | undefined> {
    const known = parsed.get(version);
    if (known) return known;
    const content = await store.content(db, version);
    if (content === undefined) return undefined;
    const catalogue = CatalogueSchema.parse(content);
    remember(version, catalogue);
    return catalogue;
  }

  /**
   * The catalogue new banks are generated from. Cached for `cacheTtlMs`; the check after expiry reads only the
   * active version's name, and parses its content only when it changed.
   */
  async function activeCatalogue(): Promise<Catalogue> {
    const now = clock.now().getTime();
    if (active && now - active.at < ttl) return active.catalogue;
    await ensureSeeded();
    const version = await store.activeVersion(db);
    const catalogue = version ? await catalogueOf(version) : undefined;
    if (!version || !catalogue)
      throw new AppError('CATALOGUE_NONE_ACTIVE', 500, 'No fact catalogue version is active');
    active = { version, catalogue, at: now };
    return catalogue;
  }

  async function headOrThrow(version: string): Promise<CatalogueRowHead> {
    const row = await store.head(db, version);
    if (!row) throw notFound('catalogue_version', version);
    return row;
  }

  async function detail(row: CatalogueRowHead): Promise<CatalogueVersionDetailDto> {
    const catalogue = await catalogueOf(row.version);
    if (!catalogue) throw notFound('catalogue_version', row.version);
    return { ...toCatalogueVersionDto(row), catalogue };
  }

  return {
    activeCatalogue,

    /** Stores the shipped catalogue if absent (the demo and start-up may call it; any read does). */
    seed: ensureSeeded,

    async getActive(actor: Actor): Promise<CatalogueVersionDetailDto> {
      authorize(actor, 'catalogue:read');
      await ensureSeeded();
      const version = await store.activeVersion(db);
      if (!version) throw new AppError('CATALOGUE_NONE_ACTIVE', 500, 'No fact catalogue version is active');
      return detail(await headOrThrow(version));
    },

    async listVersions(actor: Actor): Promise<CatalogueVersionDto[]> {
      authorize(actor, 'catalogue:read');
      await ensureSeeded();
      return (await store.list(db)).map(toCatalogueVersionDto);
    },

    async getVersion(actor: Actor, version: string): Promise<CatalogueVersionDetailDto> {
      authorize(actor, 'catalogue:read');
      await ensureSeeded();
      return detail(await headOrThrow(version));
    },

    /** The save-time checks without saving, for the editor. */
    async validate(actor: Actor, input: unknown) {
      authorize(actor, 'catalogue:write');
      const check = checkCatalogueForSave(input, clock.now());
      return check.ok
        ? { ok: true as const, version: check.version, errors: [], warnings: check.validation.warnings }
        : { ok: false as const, errors: check.errors, warnings: [] };
    },

    /**
     * A risk manager saves a new version as a draft. Refused with 422 CATALOGUE_INVALID and every problem's
     * position, 409 CATALOGUE_VERSION_EXISTS when its `id@version` is taken (versions never change), 422
     * CATALOGUE_BASE_UNKNOWN when `basedOn` names no stored version.
     */
    async saveVersion(
      actor: Actor,
      input: { catalogue: unknown; note?: string | undefined; basedOn?: string | undefined },
    ): Promise<CatalogueVersionDto> {
      authorize(actor, 'catalogue:write');
      const now = clock.now();
      const check = checkCatalogueForSave(input.catalogue, now);
      if (!check.ok) throw invalid(check.errors);
      await ensureSeeded();
      const { catalogue, version } = check;
      const exists = () =>
        conflict(
          'CATALOGUE_VERSION_EXISTS',
          `Version ${version} is already stored; give the catalogue a new version`,
          {
            version,
          },
        );
      if (input.basedOn !== undefined && !(await store.head(db, input.basedOn)))
        throw unprocessable('CATALOGUE_BASE_UNKNOWN', `No stored version ${input.basedOn}`, {
          basedOn: input.basedOn,
        });
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await store.head(db, version)) throw exists();
        const row = await db.transaction(async (tx) => {
          const r = await store.insert(tx, {
            version,
            catalogueId: catalogue.id,
            content: catalogue,
            contentSha256: sha256(canonicalJson(catalogue)),
            status: 'draft',
            basedOn: input.basedOn ?? null,
            note: input.note ?? null,
            validation: check.validation,
            createdBy: actor.userId,
            createdAt: now,
          });
          if (!r) return undefined;
          await audit.append(tx, {
            actor: actor.userId,
            action: 'catalogue.save',
            entity: 'catalogue_version',
            entityId: version,
            payload: {
              seq: r.seq,
              basedOn: r.basedOn,
              facts: catalogue.facts.length,
              templates: catalogue.templates.length,
              warnings: check.validation.warnings.length,
            },
          });
          return r;
        });
        // Nothing inserted: the version was taken meanwhile (refused above on the next pass) or a concurrent
        // save took the sequence number (retried).
        if (row) {
          remember(version, catalogue);
          return toCatalogueVersionDto(row);
        }
      }
      throw conflict('CATALOGUE_SAVE_CONFLICT', 'Concurrent saves; try again');
    },

    /**
     * Makes a stored version the active one. `expectedActive` is the version the caller believes is active
     * (409 CATALOGUE_ACTIVE_CHANGED otherwise, naming the active one). The version is validated again, because
     * the case data this code can fill may have changed since it was saved. Activating the active version
     * changes nothing.
     */
    async activateVersion(
      actor: Actor,
      version: string,
      input: { expectedActive: string | null },
    ): Promise<CatalogueVersionDto> {
      authorize(actor, 'catalogue:write');
      await ensureSeeded();
      const target = await headOrThrow(version);
      const current = await store.activeVersion(db);
      if (current !== input.expectedActive)
        throw conflict('CATALOGUE_ACTIVE_CHANGED', `The active version is ${current ?? 'none'}`, {
          active: current,
          expected: input.expectedActive,
        });
      if (target.status === 'active') return toCatalogueVersionDto(target);
      const now = clock.now();
      const check = checkCatalogueForSave(await store.content(db, version), now);
      if (!check.ok) throw invalid(check.errors, { version });
      const row = await db.transaction(async (tx) => {
        if (!(await store.retireActive(tx, input.expectedActive, now))) {
          const active = await store.activeVersion(tx);
          throw conflict('CATALOGUE_ACTIVE_CHANGED', `The active version is ${active ?? 'none'}`, {
            active,
            expected: input.expectedActive,
          });
        }
        const r = await store.markActive(tx, version, actor.userId, now, check.validation);
        if (!r) throw notFound('catalogue_version', version);
        await audit.append(tx, {
          actor: actor.userId,
          action: 'catalogue.activate',
          entity: 'catalogue_version',
          entityId: version,
          payload: { seq: r.seq, previous: input.expectedActive },
        });
        return r;
      });
      active = null;
      return toCatalogueVersionDto(row);
    },

    /**
     * The risk manager's report of a case's bank: the bank its latest interview (or the named one) used, else the
     * bank an interview started now would get. Needs catalogue:read and the case in the caller's branch scope
     * (404 otherwise).
     */
    async caseBankReport(
      actor: Actor,
      caseId: string,
      opts: { sessionId?: string | undefined } = {},
    ): Promise<CaseBankReportDto> {
      authorize(actor, 'catalogue:read');
      await deps.cases.getCase(actor, caseId);
      const interview = opts.sessionId
        ? await deps.interviews.ofSession(opts.sessionId)
        : await deps.interviews.latestOf(caseId);
      if (opts.sessionId && interview?.caseId !== caseId) throw notFound('session', opts.sessionId);
      if (!interview) {
        const input = await deps.inputs.inputsFor(caseId);
        const asOf = chinaDate(clock.now());
        const report = buildBankReport(buildCaseContext({ ...input, asOf }), await activeCatalogue());
        return { caseId, source: { kind: 'generated', asOf }, report };
      }
      const stored = interview.bank;
      const catalogue = await catalogueOf(stored.catalogueVersion);
      let report: BankReport | undefined;
      if (catalogue) {
        try {
          const input = await deps.inputs.inputsFor(caseId);
          const ctx = buildCaseContext({ ...input, asOf: chinaDate(interview.startedAt) });
          const again = buildBankReport(
            ctx,
            catalogue,
            stored.seed === undefined ? {} : { seed: stored.seed },
          );
          if (canonicalJson(again.bank) === canonicalJson(stored)) report = { ...again, bank: stored };
        } catch (e) {
          // Case data that no longer builds a context (another survey template, say) cannot explain the stored
          // bank; the report still shows it.
          if (!(e instanceof AppError)) throw e;
        }
      }
      const source: ReportSource = {
        kind: 'interview',
        sessionId: interview.sessionId,
        sessionStatus: interview.status,
        startedAt: interview.startedAt.toISOString(),
        reproduced: report !== undefined,
      };
      report ??= reportOfStoredBank(stored, (catalogue ?? shipped).params.coverage.doubtfulFrom);
      return { caseId, source, report };
    },
  };
}

/** The report as Markdown, headed by which bank it shows. */
export function renderCaseBankReport(dto: CaseBankReportDto, lang: Lang): string {
  return [
    ...reportSourceLines(dto.source, dto.report.catalogueVersion, lang),
    '',
    renderBankReport(dto.report, lang),
  ].join('\n');
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
