/**
 * Screening benchmark: 1,000 cases × 10 sandbox providers at 50 ms simulated latency, on the embedded database and
 * the in-process kv (or PostgreSQL / Redis with WEIDAI_DATABASE_URL / WEIDAI_REDIS_URL). A second pass screens the
 * same subjects on new cases: every answer is within its validity window, so it must make zero upstream calls.
 *
 *   npx tsx bench/screening.ts [cases=1000] [concurrency=50] [latencyMs=50]
 *
 * Prints one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/platform/config.js';
import { createContext } from '../src/platform/context.js';
import { seededRng } from '../src/platform/deps.js';
import { notFound } from '../src/platform/errors.js';
import type { Actor } from '../src/platform/identity/permissions.js';
import { residentIdCheckChar, usccCheckChar } from '../src/platform/validators.js';
import { createBreaker } from '../src/screening/breaker.js';
import { createFetcher } from '../src/screening/fetcher.js';
import { createSandboxProviders } from '../src/screening/providers/sandbox.js';
import { createScreeningService } from '../src/screening/service.js';
import { defaultScreeningSettings } from '../src/screening/settings.js';
import type { ConsentRef, ScreeningCasePort, Subject } from '../src/screening/types.js';

const [casesArg, concArg, latArg] = process.argv.slice(2);
const CASES = Number(casesArg ?? 1000);
const CONCURRENCY = Number(concArg ?? 50);
const LATENCY_MS = Number(latArg ?? 50);

function subjectN(n: number): Subject {
  const id17 = `410225${1960 + (n % 40)}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  const code17 = `92410225MA${String(n).padStart(7, '0')}`;
  return {
    idNumber: id17 + residentIdCheckChar(id17),
    name: `${'王李张刘陈杨赵黄周吴'[n % 10]}${'建国秀英志强丽华明军'[Math.floor(n / 10) % 10]}`,
    mobile: `139${String(10_000_000 + n).slice(-8)}`,
    uscc: code17 + usccCheckChar(code17),
  };
}

async function main() {
  const varDir = mkdtempSync(join(tmpdir(), 'weidai-bench-'));
  const config = loadConfig({
    ...process.env,
    WEIDAI_VAR_DIR: varDir,
    WEIDAI_SECRET_KEY: '7f'.repeat(32),
    WEIDAI_LOG_LEVEL: 'warn',
  });
  const ctx = await createContext(config, { inMemoryDb: true, kvPrefix: `weidai-bench:${process.pid}:` });
  const branchPath = '/bench/';
  const cases = new Map<string, Subject>();
  const now = ctx.clock.now();
  const port: ScreeningCasePort = {
    async caseOf(_a, caseId) {
      if (!cases.has(caseId)) throw notFound('case', caseId);
      return { caseId, branchId: 'bench', branchPath };
    },
    async subjectOf(a, caseId) {
      return { ...(await port.caseOf(a, caseId)), subject: cases.get(caseId)! };
    },
    async consentFor(caseId, source): Promise<ConsentRef> {
      return { consentId: `${caseId}:${source}`, grantedAt: now, expiresAt: null };
    },
  };
  const service = createScreeningService({
    db: ctx.db,
    kv: ctx.kv,
    clock: ctx.clock,
    ids: ctx.ids,
    rng: seededRng(1),
    cipher: ctx.cipher,
    audit: ctx.audit,
    cases: port,
    settings: defaultScreeningSettings({ providers: createSandboxProviders({ latencyMs: LATENCY_MS }) }),
  });
  const officer: Actor = {
    kind: 'staff',
    userId: 'bench',
    username: 'bench',
    role: 'loan_officer',
    branchId: 'bench',
    branchPath,
    sessionId: 'bench',
  };

  async function pass(label: string) {
    const ids = Array.from({ length: CASES }, (_, i) => {
      const id = `${label}-${i}`;
      cases.set(id, subjectN(i));
      return id;
    });
    const callsBefore = service.upstreamCalls();
    let costFen = 0;
    let hits = 0;
    let next = 0;
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const s = performance.now();
          const dto = await service.run(officer, id);
          latencies.push(performance.now() - s);
          for (const src of dto.sources) {
            costFen += src.cost_fen;
            if (src.cache_hit) hits++;
          }
        }
      }),
    );
    const wallMs = performance.now() - t0;
    latencies.sort((a, b) => a - b);
    return {
      wall_ms: Math.round(wallMs),
      cases_per_second: Math.round((CASES / wallMs) * 1000),
      upstream_calls: service.upstreamCalls() - callsBefore,
      cache_hits: hits,
      cost_fen: costFen,
      run_ms_p50: Math.round(latencies[Math.floor(latencies.length / 2)]!),
      run_ms_p99: Math.round(latencies[Math.floor(latencies.length * 0.99)]!),
    };
  }

  /** The fetch layer alone (cache, single flight, breaker; no database), cold then warm, to separate the two costs. */
  async function fetchOnly() {
    const settings = defaultScreeningSettings();
    const fetcher = createFetcher({
      kv: ctx.kv,
      clock: ctx.clock,
      cipher: ctx.cipher,
      rng: seededRng(2),
      breaker: createBreaker({ kv: ctx.kv, clock: ctx.clock }),
      options: settings.fetcher,
    });
    const providers = createSandboxProviders({ latencyMs: LATENCY_MS, idPrefix: 'fetch-only' });
    const consent: ConsentRef = { consentId: 'bench', grantedAt: now, expiresAt: null };
    const once = async () => {
      let next = 0;
      const before = fetcher.upstreamCalls();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < CASES) {
            const subject = subjectN(next++);
            await Promise.all(providers.map((p) => fetcher.fetch(p, subject, consent)));
          }
        }),
      );
      return {
        wall_ms: Math.round(performance.now() - t0),
        upstream_calls: fetcher.upstreamCalls() - before,
      };
    };
    return { cold: await once(), warm: await once() };
  }

  try {
    const fetchLayer = await fetchOnly();
    const first = await pass('first');
    const second = await pass('second');
    console.log(
      JSON.stringify(
        {
          cases: CASES,
          providers: 10,
          simulated_latency_ms: LATENCY_MS,
          concurrency: CONCURRENCY,
          database: ctx.database.kind,
          kv: config.redisUrl ? 'redis' : 'in-process',
          first_pass: first,
          second_pass: second,
          second_pass_zero_upstream: second.upstream_calls === 0,
          fetch_layer_only: fetchLayer,
        },
        null,
        2,
      ),
    );
  } finally {
    await ctx.close();
    rmSync(varDir, { recursive: true, force: true });
  }
}

await main();
