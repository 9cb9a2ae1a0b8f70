/**
 * Screening test harness: the service on the shared test context (PGlite + in-process kv, or PostgreSQL + Redis
 * when WEIDAI_DATABASE_URL / WEIDAI_REDIS_URL are set), a fake cases port, a fake clock, counting providers.
 */
import { randomBytes } from 'node:crypto';
import { fakeClock, seededRng } from '../../src/platform/deps.js';
import type { Actor, Role } from '../../src/platform/identity/permissions.js';
import { createKv, type Kv } from '../../src/platform/kv/index.js';
import { DEFAULT_BREAKER } from '../../src/screening/breaker.js';
import { createScreeningService, type ScreeningService } from '../../src/screening/service.js';
import { defaultScreeningSettings, type ScreeningSettings } from '../../src/screening/settings.js';
import type {
  Category,
  ConsentRef,
  Provider,
  ProviderAnswer,
  ScreeningCasePort,
  Subject,
} from '../../src/screening/types.js';
import { notFound } from '../../src/platform/errors.js';
import { buildTestContext, type TestContext } from '../helper.js';
import { residentIdCheckChar, usccCheckChar } from '../../src/platform/validators.js';

export const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
export const uscc = (first17: string) => first17 + usccCheckChar(first17);

export const SUBJECT: Subject = {
  idNumber: residentId('41022519800315123'),
  name: '张建国',
  mobile: '13912345678',
  uscc: uscc('92410225MA4K8R3L1'),
};

/** The n-th distinct valid subject (for populations and benchmarks). */
export function subjectN(n: number): Subject {
  const birth = 19600101 + (n % 28) + 100 * (n % 12) + 10_000 * (n % 40);
  const seq = String(n % 1000).padStart(3, '0');
  const id17 = `410225${birth}${seq}`.slice(0, 17);
  const surnames = '王李张刘陈杨赵黄周吴';
  const given = '建国秀英志强丽华明军';
  return {
    idNumber: residentId(id17.padEnd(17, '0')),
    name: `${surnames[n % 10]}${given[Math.floor(n / 10) % 10]}${given[Math.floor(n / 100) % 10]}`,
    mobile: `139${String(10_000_000 + n).slice(-8)}`,
    uscc: uscc(`92410225MA${String(n).padStart(7, '0')}`),
  };
}

export const UNION = '/u/';
export const OUTLET_A = '/u/a/';
export const OUTLET_B = '/u/b/';

export function actor(role: Role, branchPath = OUTLET_A, userId = `${role}-1`): Actor {
  const branchId = branchPath.split('/').filter(Boolean).at(-1) ?? 'u';
  return { kind: 'staff', userId, username: userId, role, branchId, branchPath, sessionId: 's' };
}

/** An in-memory cases module: cases with subjects and branches, consents per (case, source). */
export function fakeCases() {
  const cases = new Map<string, { branchPath: string; subject: Subject }>();
  const consents = new Map<string, ConsentRef>();
  let n = 0;
  const port: ScreeningCasePort = {
    async caseOf(a, caseId) {
      const c = cases.get(caseId);
      if (!c || !c.branchPath.startsWith(a.branchPath)) throw notFound('case', caseId);
      return { caseId, branchId: c.branchPath.split('/').filter(Boolean).at(-1)!, branchPath: c.branchPath };
    },
    async subjectOf(a, caseId) {
      const sc = await port.caseOf(a, caseId);
      return { ...sc, subject: cases.get(caseId)!.subject };
    },
    async consentFor(caseId, source) {
      return consents.get(`${caseId}|${source}`) ?? null;
    },
  };
  return {
    port,
    addCase(subject: Subject = SUBJECT, branchPath = OUTLET_A) {
      const id = `case-${++n}`;
      cases.set(id, { branchPath, subject });
      return id;
    },
    grant(caseId: string, sources: string[], grantedAt: Date, expiresAt: Date | null = null) {
      for (const s of sources)
        consents.set(`${caseId}|${s}`, { consentId: `consent-${caseId}-${s}`, grantedAt, expiresAt });
    },
    revoke(caseId: string, source: string) {
      consents.delete(`${caseId}|${source}`);
    },
  };
}

export const ALL_SOURCES = [
  'identity',
  'telecom',
  'credit',
  'registration',
  'court',
  'tax',
  'social_security',
  'bank',
];

/** Wraps a provider to count upstream calls and optionally fail on demand. */
export function counting(p: Provider, behaviour: { fail?: () => Error | null; delayMs?: number } = {}) {
  const c = {
    calls: 0,
    provider: {
      id: p.id,
      category: p.category,
      costFen: p.costFen,
      timeoutMs: p.timeoutMs,
      async query(subject, ctx): Promise<ProviderAnswer> {
        c.calls++;
        if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
        const err = behaviour.fail?.();
        if (err) throw err;
        return p.query(subject, ctx);
      },
    } satisfies Provider,
  };
  return c;
}

export interface Harness {
  t: TestContext;
  clock: ReturnType<typeof fakeClock>;
  cases: ReturnType<typeof fakeCases>;
  /**
   * A service instance on the shared database and kv. Each call without `providers` gets sandbox providers under
   * a fresh id prefix, so caches and breakers of earlier tests do not leak in; pass `prefix` to share them.
   */
  make(opts?: {
    settings?: Partial<ScreeningSettings>;
    sleep?: (ms: number) => Promise<void>;
  }): ScreeningService;
  /** A fresh provider id prefix. */
  prefix(): string;
  close(): Promise<void>;
}

export const START = new Date('2026-11-10T02:00:00Z');

/** No real waiting between retries in tests. */
export const noSleep = async () => undefined;

/** One database and kv per test file (creating them costs seconds); services are cheap and made per test. */
export async function buildHarness(): Promise<Harness> {
  const clock = fakeClock(START);
  const t = await buildTestContext({ clock });
  const cases = fakeCases();
  let seed = 1;
  let prefixes = 0;
  const prefix = () => `t${++prefixes}-${randomBytes(3).toString('hex')}`;
  return {
    t,
    clock,
    cases,
    prefix,
    make(opts = {}) {
      const settings = defaultScreeningSettings(
        { breaker: { ...DEFAULT_BREAKER }, ...opts.settings },
        { idPrefix: prefix() },
      );
      return createScreeningService({
        db: t.ctx.db,
        kv: t.ctx.kv,
        clock,
        ids: t.ctx.ids,
        rng: seededRng(seed++),
        cipher: t.ctx.cipher,
        audit: t.ctx.audit,
        cases: cases.port,
        settings,
        sleep: opts.sleep ?? noSleep,
      });
    },
    close: () => t.close(),
  };
}

/** A kv of its own (Redis when configured) for tests below the service. */
export async function testKv(clock: { now(): Date }): Promise<Kv> {
  return createKv({
    redisUrl: process.env.WEIDAI_REDIS_URL,
    clock,
    prefix: `weidai-test:screening:${randomBytes(6).toString('hex')}:`,
  });
}

export const categoriesOf = (ps: Provider[]): Category[] => ps.map((p) => p.category);
