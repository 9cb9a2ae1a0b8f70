import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsOf } from '../../src/screening/catalogue.js';
import {
  DEFAULT_RISKY_SHARE,
  createSandboxProvider,
  last12Months,
  profileDraw,
} from '../../src/screening/providers/sandbox.js';
import { CATEGORIES, type Category, type ProviderQueryContext } from '../../src/screening/types.js';
import { START, SUBJECT, subjectN } from './helper.js';

const ctx = (asOf = START): ProviderQueryContext => ({
  consent: { consentId: 'c', grantedAt: START, expiresAt: null },
  signal: new AbortController().signal,
  asOf,
});
const ask = (category: Category, n: number, opts = {}) =>
  createSandboxProvider(category, opts).query(subjectN(n), ctx());

describe('sandbox providers', () => {
  it('give the same answer about the same subject, whichever the instance', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...CATEGORIES), async (n, c) => {
        expect(await ask(c, n)).toEqual(await ask(c, n));
      }),
      { numRuns: 60 },
    );
  });

  it('answer every fact of their category with a value of the catalogue’s unit', async () => {
    for (const c of CATEGORIES) {
      const a = await createSandboxProvider(c).query(SUBJECT, ctx());
      expect(a.status).toBe('ok');
      for (const def of factsOf(c)) {
        const v = a.facts[def.key];
        if (def.unit === 'bool') expect(typeof v).toBe('boolean');
        else if (def.unit === 'date') expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        else if (def.unit === 'code') expect(['active', 'revoked', 'cancelled']).toContain(v);
        else if (def.unit === 'fen_series') expect((v as number[]).every(Number.isSafeInteger)).toBe(true);
        else if (def.unit === 'score') expect(typeof v).toBe('number');
        else expect(Number.isSafeInteger(v)).toBe(true);
      }
    }
  });

  it('make about the documented share of subjects risky (20% by default)', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => profileDraw('weidai-sandbox-v1', subjectN(i)));
    const share = draws.filter((d) => d < DEFAULT_RISKY_SHARE).length / draws.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
  });

  it('show risky subjects with more applications elsewhere, worse credit and lower scores', async () => {
    const risky: number[] = [];
    const clean: number[] = [];
    for (let i = 0; i < 400; i++)
      (profileDraw('weidai-sandbox-v1', subjectN(i)) < 0.2 ? risky : clean).push(i);
    const mean = async (ids: number[], c: Category, key: string) =>
      (await Promise.all(ids.map(async (i) => (await ask(c, i)).facts[key] as number))).reduce(
        (a, b) => a + b,
        0,
      ) / ids.length;
    expect(await mean(risky, 'multilender', 'multilender.applications_30d')).toBeGreaterThan(
      2 * (await mean(clean, 'multilender', 'multilender.applications_30d')),
    );
    expect(await mean(risky, 'credit', 'credit.queries_6m')).toBeGreaterThan(
      await mean(clean, 'credit', 'credit.queries_6m'),
    );
    expect(await mean(risky, 'risk_score', 'risk.score')).toBeLessThan(
      await mean(clean, 'risk_score', 'risk.score'),
    );
  });

  it('keep multi-lender windows nested: 7 ≤ 30 ≤ 90 ≤ 180 days, and loans never above applications', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), async (n) => {
        const f = (await ask('multilender', n)).facts as Record<string, number>;
        for (const kind of ['applications', 'loans']) {
          const w = [7, 30, 90, 180].map((d) => f[`multilender.${kind}_${d}d`]!);
          expect([...w].sort((a, b) => a - b)).toEqual(w);
        }
        for (const d of [7, 30, 90, 180])
          expect(f[`multilender.loans_${d}d`]).toBeLessThanOrEqual(f[`multilender.applications_${d}d`]!);
      }),
      { numRuns: 100 },
    );
  });

  it('have no registration or tax record for a business without a credit code', async () => {
    const noCode = { ...SUBJECT, uscc: undefined };
    expect((await createSandboxProvider('tax').query(noCode, ctx())).status).toBe('no_record');
    expect((await createSandboxProvider('registration').query(noCode, ctx())).status).toBe('no_record');
  });

  it('change with the seed key: another key, another population', async () => {
    const a = await ask('credit', 1);
    const b = await ask('credit', 1, { seedKey: 'other' });
    expect(a.facts).not.toEqual(b.facts);
  });

  it('date a tax series by the 12 months before the query, in China time', () => {
    expect(last12Months(new Date('2026-11-10T02:00:00Z'))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    // 2026-12-31 17:00 UTC is already January 2027 in China.
    expect(last12Months(new Date('2026-12-31T17:00:00Z')).at(-1)).toBe('2026-12');
  });
});
