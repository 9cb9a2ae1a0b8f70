/**
 * The screening service: run the outside-data screening of a case, read its facts and findings, report costs, and
 * drain the retry queue. Every call made for a person takes the Actor first and checks permission and branch scope
 * (through the cases port: a case outside the subtree is CASE_NOT_FOUND) before anything else. A run, its queries,
 * its cost lines and its audit event commit in one transaction.
 */
import { and, desc, eq, gte, like, lt, sql } from 'drizzle-orm';
import type { AuditService } from '../platform/audit/service.js';
import type { FieldCipher } from '../platform/crypto.js';
import { type Db, type Param, prepared } from '../platform/db/index.js';
import type { Clock, Ids, Rng } from '../platform/deps.js';
import { type Actor, authorize } from '../platform/identity/permissions.js';
import type { Kv } from '../platform/kv/index.js';
import { createBreaker } from './breaker.js';
import { badMonth, consentRequired, screeningNotFound } from './errors.js';
import { buildFacts, type SourceResult } from './facts.js';
import { createFetcher } from './fetcher.js';
import { findingsOf } from './findings.js';
import type { CostReportDtoT, ScreeningDtoT } from './schemas.js';
import { defaultScreeningSettings, type ScreeningSettings } from './settings.js';
import { screeningCosts, screeningQueries, screeningRuns } from './tables.js';
import type {
  Category,
  ConsentRef,
  FactEntry,
  Finding,
  Provider,
  ProviderOutcome,
  ScreenedCase,
  ScreeningCasePort,
  ScreeningFacts,
  Subject,
} from './types.js';

export interface ScreeningDeps {
  db: Db;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  rng: Rng;
  cipher: FieldCipher;
  audit: AuditService;
  cases: ScreeningCasePort;
  settings?: ScreeningSettings;
  sleep?: (ms: number) => Promise<void>;
  monotonic?: () => number;
}

export const RETRY_QUEUE = 'screening:retry';
const RETRY_SUBJECT_CONTEXT = 'screening.retry_subject';
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

type RunStatus = 'complete' | 'pending_retry' | 'failed';

interface SourceLine {
  provider: string | null;
  category: Category;
  status: 'ok' | 'no_record' | 'failed' | 'no_consent' | 'not_configured';
  mandatory: boolean;
  consent_id: string | null;
  cache_hit: boolean;
  latency_ms: number;
  cost_fen: number;
  error_code: string | null;
}

interface RetryJob {
  runId: string;
  caseId: string;
  attempt: number;
  notBefore: number;
  categories: Category[];
  subjectEnc: string;
}

const fenToYuan = (fen: number) => {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};

/** The calendar date in China (UTC+8, no daylight saving) of an instant. */
const chinaDate = (d: Date) => new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

const factDto = (e: FactEntry) => ({
  value:
    e.value === null ? null : Array.isArray(e.value) ? [...e.value] : (e.value as number | string | boolean),
  source: e.source,
  provider: e.provider,
  fetched_at: e.fetchedAt,
  status: e.status,
  reason: e.reason ?? null,
});

// Read at every interview start (src/platform/db `prepared`).
const latestRunOfCase = prepared('screening_latest_run', (db, p: Param<{ caseId: string }>) =>
  db
    .select()
    .from(screeningRuns)
    .where(eq(screeningRuns.caseId, p('caseId')))
    .orderBy(desc(screeningRuns.createdAt))
    .limit(1),
);

export function createScreeningService(deps: ScreeningDeps) {
  const { db, kv, clock, ids, cipher, audit, cases } = deps;
  const settings = deps.settings ?? defaultScreeningSettings();
  const breaker = createBreaker({ kv, clock, options: settings.breaker });
  const fetcher = createFetcher({
    kv,
    clock,
    cipher,
    rng: deps.rng,
    breaker,
    options: settings.fetcher,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.monotonic ? { monotonic: deps.monotonic } : {}),
  });
  const providerOf = new Map<Category, Provider>();
  for (const p of settings.providers) if (!providerOf.has(p.category)) providerOf.set(p.category, p);
  const isMandatory = (c: Category) => settings.mandatory.includes(c);

  /** The consent in force for the category's source, or null when none is granted or it has expired. */
  async function consentOf(caseId: string, category: Category): Promise<ConsentRef | null> {
    const c = await cases.consentFor(caseId, settings.consentSourceOf[category]);
    if (!c) return null;
    const now = clock.now().getTime();
    const maxAge = c.grantedAt.getTime() + settings.consentMaxAgeDays * DAY_MS;
    const end = Math.min(maxAge, c.expiresAt ? c.expiresAt.getTime() : Infinity);
    return now < end ? c : null;
  }

  function toDto(row: typeof screeningRuns.$inferSelect): ScreeningDtoT {
    const facts = row.facts as ScreeningFacts;
    return {
      run_id: row.id,
      case_id: row.caseId,
      status: row.status,
      attempt: row.attempt,
      as_of: facts.asOf,
      facts: Object.fromEntries(Object.entries(facts.facts).map(([k, e]) => [k, factDto(e)])),
      findings: row.findings as Finding[],
      sources: row.sources as SourceLine[],
    };
  }

  /**
   * Asks every consented provider of `categories`, assembles facts and findings, and writes the run (new, or the
   * retried one), its queries and cost lines and the audit event together. Queues a retry when a mandatory source
   * failed and attempts remain.
   */
  async function assemble(input: {
    sc: ScreenedCase;
    subject: Subject;
    categories: Category[];
    runId: string;
    attempt: number;
    requestedBy: string;
    auditActor: string;
    isRetry: boolean;
  }) {
    const { sc, subject, categories, runId, attempt } = input;
    const consents = new Map<Category, ConsentRef | null>();
    await Promise.all(
      categories.map(async (c) => consents.set(c, providerOf.has(c) ? await consentOf(sc.caseId, c) : null)),
    );

    const refused = categories.filter((c) => providerOf.has(c) && isMandatory(c) && !consents.get(c));
    if (refused.length > 0 && !input.isRetry) {
      throw consentRequired(
        refused,
        refused.map((c) => settings.consentSourceOf[c]),
      );
    }

    const results: SourceResult[] = await Promise.all(
      categories.map(async (category): Promise<SourceResult> => {
        const mandatory = isMandatory(category);
        const p = providerOf.get(category);
        if (!p) return { category, kind: 'not_configured', mandatory };
        const consent = consents.get(category);
        if (!consent) return { category, kind: 'no_consent', provider: p.id, mandatory };
        return { category, kind: 'answered', outcome: await fetcher.fetch(p, subject, consent), mandatory };
      }),
    );

    const now = clock.now();
    const facts = buildFacts(sc.caseId, now, results);
    const findings = findingsOf(facts, chinaDate(now), settings.thresholds);
    const mandatoryFailed = results.some(
      (r) => r.mandatory && r.kind === 'answered' && r.outcome.status === 'failed',
    );
    const status: RunStatus =
      refused.length > 0
        ? 'failed' // a retry whose mandatory consent was withdrawn: nothing more to try
        : !mandatoryFailed
          ? 'complete'
          : attempt >= settings.retry.maxAttempts
            ? 'failed'
            : 'pending_retry';

    const sources: SourceLine[] = results.map((r) => {
      const o: ProviderOutcome | null = r.kind === 'answered' ? r.outcome : null;
      return {
        provider: r.kind === 'not_configured' ? null : r.kind === 'no_consent' ? r.provider : o!.provider,
        category: r.category,
        status: r.kind === 'answered' ? o!.status : r.kind,
        mandatory: r.mandatory,
        consent_id: r.kind === 'answered' ? consents.get(r.category)!.consentId : null,
        cache_hit: o?.cacheHit ?? false,
        latency_ms: o?.latencyMs ?? 0,
        cost_fen: o?.costFen ?? 0,
        error_code: o?.error?.code ?? null,
      };
    });

    const queryRows = results.flatMap((r) =>
      r.kind === 'answered'
        ? [
            {
              id: ids.uuid(),
              runId,
              caseId: sc.caseId,
              provider: r.outcome.provider,
              category: r.category,
              consentId: consents.get(r.category)!.consentId,
              status: r.outcome.status,
              cacheHit: r.outcome.cacheHit,
              attempts: r.outcome.attempts,
              latencyMs: r.outcome.latencyMs,
              costFen: r.outcome.costFen,
              errorCode: r.outcome.error?.code ?? null,
              rawEnc: r.outcome.rawEnc,
              fetchedAt: r.outcome.fetchedAt,
              at: now,
            },
          ]
        : [],
    );
    const costRows = queryRows
      .filter((q) => q.status !== 'failed')
      .map((q) => ({
        id: ids.uuid(),
        at: now,
        provider: q.provider,
        category: q.category,
        caseId: sc.caseId,
        branchId: sc.branchId,
        branchPath: sc.branchPath,
        costFen: q.costFen,
        cacheHit: q.cacheHit,
        queryId: q.id,
      }));

    const row = {
      id: runId,
      caseId: sc.caseId,
      branchId: sc.branchId,
      branchPath: sc.branchPath,
      status,
      attempt,
      requestedBy: input.requestedBy,
      facts,
      findings,
      sources,
      createdAt: now,
      updatedAt: now,
    };
    const saved = await db.transaction(async (tx) => {
      let written: typeof screeningRuns.$inferSelect;
      if (input.isRetry) {
        const [u] = await tx
          .update(screeningRuns)
          .set({ status, attempt, facts, findings, sources, updatedAt: now })
          .where(eq(screeningRuns.id, runId))
          .returning();
        written = u!;
      } else {
        const [i] = await tx.insert(screeningRuns).values(row).returning();
        written = i!;
      }
      if (queryRows.length > 0) await tx.insert(screeningQueries).values(queryRows);
      if (costRows.length > 0) await tx.insert(screeningCosts).values(costRows);
      await audit.append(tx, {
        actor: input.auditActor,
        action: input.isRetry ? 'screening.retry' : 'screening.run',
        entity: 'case',
        entityId: sc.caseId,
        payload: {
          runId,
          status,
          attempt,
          sources: sources.map((s) => ({
            category: s.category,
            provider: s.provider,
            status: s.status,
            consentId: s.consent_id,
            cacheHit: s.cache_hit,
            costFen: s.cost_fen,
          })),
        },
      });
      return written;
    });

    if (status === 'pending_retry') {
      const delay = Math.min(settings.retry.maxDelayMs, settings.retry.baseDelayMs * 2 ** (attempt - 1));
      const job: RetryJob = {
        runId,
        caseId: sc.caseId,
        attempt,
        notBefore: now.getTime() + delay,
        categories,
        subjectEnc: cipher.encrypt(JSON.stringify(subject), RETRY_SUBJECT_CONTEXT),
      };
      await kv.enqueue(RETRY_QUEUE, JSON.stringify(job));
    }
    return saved;
  }

  /** Runs screening for a case now (screening:run). CONSENT_REQUIRED when a mandatory source lacks consent. */
  async function run(actor: Actor, caseId: string, input: { categories?: Category[] | undefined } = {}) {
    authorize(actor, 'screening:run');
    const { subject, ...sc } = await cases.subjectOf(actor, caseId);
    const categories = input.categories ? [...new Set(input.categories)] : [...providerOf.keys()];
    const saved = await assemble({
      sc,
      subject,
      categories,
      runId: ids.uuid(),
      attempt: 1,
      requestedBy: actor.userId,
      auditActor: actor.userId,
      isRetry: false,
    });
    return toDto(saved);
  }

  async function latestRow(caseId: string) {
    const [row] = await latestRunOfCase(db, { caseId });
    return row;
  }

  /** The latest screening of a case: facts, findings and sources (screening:read). Staff only. */
  async function get(actor: Actor, caseId: string): Promise<ScreeningDtoT> {
    authorize(actor, 'screening:read');
    await cases.caseOf(actor, caseId);
    const row = await latestRow(caseId);
    if (!row) throw screeningNotFound(caseId);
    return toDto(row);
  }

  /** The facts document of the latest screening, for the question bank and scoring; null if never screened. */
  async function latestFacts(actor: Actor, caseId: string): Promise<ScreeningFacts | null> {
    authorize(actor, 'screening:read');
    await cases.caseOf(actor, caseId);
    const row = await latestRow(caseId);
    return row ? (row.facts as ScreeningFacts) : null;
  }

  /** Cost per branch and provider for a calendar month in China time, within the caller's subtree. */
  async function costReport(actor: Actor, month: string): Promise<CostReportDtoT> {
    authorize(actor, 'screening:read');
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    const mo = m ? Number(m[2]) : 0;
    if (!m || mo < 1 || mo > 12) throw badMonth(month);
    const y = Number(m[1]);
    const start = new Date(Date.UTC(y, mo - 1, 1) - CHINA_OFFSET_MS);
    const end = new Date(Date.UTC(y, mo, 1) - CHINA_OFFSET_MS);
    const rows = await db
      .select({
        branchId: screeningCosts.branchId,
        provider: screeningCosts.provider,
        category: screeningCosts.category,
        calls: sql<number>`count(*)`.mapWith(Number),
        hits: sql<number>`count(*) filter (where ${screeningCosts.cacheHit})`.mapWith(Number),
        cost: sql<number>`coalesce(sum(${screeningCosts.costFen}), 0)`.mapWith(Number),
      })
      .from(screeningCosts)
      .where(
        and(
          gte(screeningCosts.at, start),
          lt(screeningCosts.at, end),
          like(screeningCosts.branchPath, `${actor.branchPath}%`),
        ),
      )
      .groupBy(screeningCosts.branchId, screeningCosts.provider, screeningCosts.category)
      .orderBy(screeningCosts.branchId, screeningCosts.provider);
    const branches = new Map<string, CostReportDtoT['branches'][number]>();
    for (const r of rows) {
      let b = branches.get(r.branchId);
      if (!b) {
        b = { branch_id: r.branchId, calls: 0, cache_hits: 0, cost_fen: 0, cost_yuan: '0.00', lines: [] };
        branches.set(r.branchId, b);
      }
      b.calls += r.calls;
      b.cache_hits += r.hits;
      b.cost_fen += r.cost;
      b.cost_yuan = fenToYuan(b.cost_fen);
      b.lines.push({
        provider: r.provider,
        category: r.category as Category,
        calls: r.calls,
        cache_hits: r.hits,
        cache_misses: r.calls - r.hits,
        cost_fen: r.cost,
        cost_yuan: fenToYuan(r.cost),
      });
    }
    const list = [...branches.values()];
    const total = list.reduce((a, b) => a + b.cost_fen, 0);
    return {
      month,
      timezone: 'Asia/Shanghai',
      branches: list,
      total_cost_fen: total,
      total_cost_yuan: fenToYuan(total),
    };
  }

  /**
   * The retry worker: takes up to `limit` queued cases, re-runs those that are due (answers still valid come from
   * the cache, so only failed sources are asked again) and puts back those that are not. Call it on a timer.
   */
  async function drainRetries(opts: { limit?: number } = {}) {
    const limit = opts.limit ?? 100;
    const report = { processed: 0, completed: 0, requeued: 0, failed: 0, deferred: 0 };
    const deferred: string[] = [];
    try {
      for (let i = 0; i < limit; i++) {
        const item = await kv.dequeue(RETRY_QUEUE);
        if (item === null) break;
        const job = JSON.parse(item) as RetryJob;
        if (job.notBefore > clock.now().getTime()) {
          deferred.push(item);
          continue;
        }
        report.processed++;
        const [run] = await db.select().from(screeningRuns).where(eq(screeningRuns.id, job.runId));
        if (!run || run.status !== 'pending_retry') continue;
        const subject = JSON.parse(cipher.decrypt(job.subjectEnc, RETRY_SUBJECT_CONTEXT)) as Subject;
        try {
          const saved = await assemble({
            sc: { caseId: run.caseId, branchId: run.branchId, branchPath: run.branchPath },
            subject,
            categories: job.categories,
            runId: run.id,
            attempt: job.attempt + 1,
            requestedBy: run.requestedBy,
            auditActor: 'system',
            isRetry: true,
          });
          if (saved.status === 'complete') report.completed++;
          else if (saved.status === 'pending_retry') report.requeued++;
          else report.failed++;
        } catch (e) {
          // The database or kv failed mid-retry: put the job back unchanged rather than lose the case.
          deferred.push(item);
          throw e;
        }
      }
    } finally {
      for (const d of deferred) await kv.enqueue(RETRY_QUEUE, d);
      report.deferred = deferred.length;
    }
    return report;
  }

  return {
    run,
    get,
    latestFacts,
    costReport,
    drainRetries,
    /** Breaker state of a provider, for health pages and tests. */
    breakerState: (providerId: string) => breaker.state(providerId),
    /** Upstream attempts made by this instance (benchmarks and tests). */
    upstreamCalls: () => fetcher.upstreamCalls(),
  };
}

export type ScreeningService = ReturnType<typeof createScreeningService>;
