import fc from 'fast-check';
import Nzh from 'nzh';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/platform/errors.js';
import { DEFAULT_CATALOGUE } from '../../src/questions/catalogue/default.js';
import { buildBank, generateBank, parseCaseContext, seedFromCaseId } from '../../src/questions/generate.js';
import { bankCoverage } from '../../src/questions/report.js';
import { SAMPLE_CASES } from '../../src/questions/samples.js';
import type { CaseContext } from '../../src/questions/schemas.js';
import { SECTORS } from '../../src/questions/types.js';
import type { BankQuestion, Localized, QuestionBank, Sector } from '../../src/questions/types.js';

const cat = DEFAULT_CATALOGUE;
const samples = SECTORS.map((s) => [s, SAMPLE_CASES[s]] as const);
const q = (bank: QuestionBank, id: string): BankQuestion => {
  const found = bank.questions.find((x) => x.id === id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
};
const texts = (x: BankQuestion): string[] =>
  [x.text, x.rephrase, x.followUp, x.followUpCross]
    .filter((t): t is Localized => t !== undefined)
    .flatMap((t) => [t['zh-CN'], t['en-US']]);

describe('generateBank: coverage', () => {
  it.each(samples)(
    'asks every doubtful fact of the %s sample by a direct and an independent indirect route',
    (_s, ctx) => {
      const bank = generateBank(ctx, cat);
      const doubted = new Set(ctx.doubts.map((d) => d.factId));
      expect(doubted.size).toBeGreaterThan(0);
      for (const factId of doubted) {
        const qs = bank.questions.filter((x) => x.factIds.includes(factId));
        const direct = qs.filter((x) => x.kind === 'direct' || x.kind === 'control');
        const indirect = qs.filter((x) => x.kind === 'indirect');
        expect(direct.length, factId).toBeGreaterThan(0);
        expect(indirect.length, factId).toBeGreaterThan(0);
        expect(
          direct.some((d) => indirect.some((n) => n.route !== d.route && n.templateId !== d.templateId)),
          factId,
        ).toBe(true);
      }
      const rows = bankCoverage(bank, cat.params.coverage);
      expect(rows.filter((r) => !r.satisfied)).toEqual([]);
    },
  );

  it.each(samples)('includes control questions with known answers and a few decoys for %s', (_s, ctx) => {
    const bank = generateBank(ctx, cat);
    const controls = bank.questions.filter((x) => x.purpose === 'control');
    expect(controls.length).toBeGreaterThanOrEqual(cat.params.controls.min);
    expect(controls.length).toBeLessThanOrEqual(cat.params.controls.max);
    for (const c of controls) {
      expect(c.kind).toBe('control');
      expect(c.expected.kind).not.toBe('unknown');
      for (const f of c.factIds) expect(bank.priorDoubt[f]).toBeLessThan(cat.params.coverage.doubtfulFrom);
    }
    expect(bank.questions.filter((x) => x.purpose === 'decoy')).toHaveLength(cat.params.decoys.count);
  });

  it('never uses a control question on a doubted fact', () => {
    const base = SAMPLE_CASES.grocery;
    const ctx: CaseContext = {
      ...base,
      doubts: [
        ...base.doubts,
        { factId: 'household.size', severity: 'fail', reason: 'officer saw more children' },
      ],
    };
    const x = q(generateBank(ctx, cat), 'household.size.stated');
    expect(x.kind).toBe('direct');
    expect(x.purpose).toBe('verify');
  });
});

describe('generateBank: no disclosure', () => {
  const numberForms = (v: number): string[] => {
    const forms = [String(v), v.toLocaleString('en-US')];
    if (Number.isInteger(v) && v >= 10) forms.push(Nzh.cn.encodeS(v), Nzh.cn.encodeS(v, { tenMin: false }));
    return forms.filter((f) => f.length >= 2);
  };

  const caseArb = fc
    .record({
      sector: fc.constantFrom(...SECTORS),
      scale: fc.double({ min: 0.2, max: 5, noNaN: true }),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      idSuffix: fc.string({ minLength: 1, maxLength: 12 }),
      doubtFacts: fc.subarray(cat.facts.map((f) => f.id)),
      severity: fc.constantFrom('warn' as const, 'fail' as const),
      shopName: fc.constantFrom(
        '旺旺便利店',
        '8号超市',
        '110105198001011234',
        '{own_answer}',
        '三万元店',
        undefined,
      ),
      signals: fc.subarray(cat.fraudSignals.map((s) => s.code)),
    })
    .map(({ sector, scale, seed, idSuffix, doubtFacts, severity, shopName, signals }) => {
      const base = SAMPLE_CASES[sector as Sector];
      const num = (o: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(o).map(([k, v]) => [
            k,
            typeof v === 'number' ? Math.round(v * scale * 100) / 100 : v,
          ]),
        );
      const ctx: CaseContext = {
        ...base,
        caseId: `${base.caseId}-${idSuffix}`,
        display: { ...base.display, ...(shopName ? { shop_name: shopName } : {}) },
        survey: num(base.survey) as CaseContext['survey'],
        financials: num(base.financials) as CaseContext['financials'],
        doubts: doubtFacts.map((factId) => ({
          factId,
          severity,
          reason: `deviation 37% on ${factId} per court record 2024-118`,
        })),
        fraudSignals: signals.map((code) => ({ code, severity, reason: 'shared phone 13800138000' })),
      };
      return { ctx, seed };
    });

  it('never puts an expected figure, a case figure or a finding into any question text, rephrase or follow-up', () => {
    fc.assert(
      fc.property(caseArb, ({ ctx, seed }) => {
        const bank = generateBank(ctx, cat, { seed });
        const secrets = [
          ...Object.values(ctx.survey),
          ...Object.values(ctx.financials),
          ...Object.values(ctx.screening),
          ...bank.questions.flatMap((x) =>
            x.expected.kind === 'number'
              ? [x.expected.value]
              : x.expected.kind === 'range'
                ? [x.expected.low, x.expected.high]
                : [],
          ),
        ].flatMap((v) => (typeof v === 'number' ? numberForms(v) : []));
        const findings = [
          ...ctx.doubts.map((d) => d.reason),
          ...ctx.fraudSignals.map((s) => s.reason ?? s.code),
          ...Object.keys(ctx.screening),
          ...Object.keys(ctx.financials),
          'court record',
          'deviation',
        ];
        const leaks: string[] = [];
        for (const x of bank.questions) {
          for (const t of texts(x)) {
            if (/[0-9０-９]/.test(t) || /[零〇一二两三四五六七八九十][十百千万亿]/.test(t))
              leaks.push(`${x.id}: figure in "${t}"`);
            for (const s of [...secrets, ...findings])
              if (t.includes(s)) leaks.push(`${x.id}: "${t}" contains ${s}`);
          }
        }
        expect(leaks).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('never says the village or the main product anywhere in the bank, so their control questions stay blind', () => {
    for (const [, ctx] of samples) {
      const { bank, trace } = buildBank(ctx, cat);
      const all = bank.questions.flatMap(texts);
      for (const secret of [ctx.survey['premises.village'], ctx.survey['business.main_product']]) {
        expect(all.filter((t) => t.includes(String(secret)))).toEqual([]);
      }
      if (ctx.sector === 'crops') expect(trace.droppedDisplayFields).toContain('crop');
    }
  });

  it('does not offer the expected answer as an example: a leading rephrase gives way to another wording', () => {
    const x = q(generateBank(SAMPLE_CASES.crops, cat), 'premises.location.field_neighbour');
    expect(x.expected).toEqual({ kind: 'choice', value: '水渠' });
    expect(texts(x).filter((t) => t.includes('水渠'))).toEqual([]);
  });

  it('drops a display field that carries a figure and says so in the trace', () => {
    const ctx: CaseContext = {
      ...SAMPLE_CASES.grocery,
      display: { ...SAMPLE_CASES.grocery.display, shop_name: '110105198001011234' },
    };
    const { bank, trace } = buildBank(ctx, cat);
    expect(trace.droppedDisplayFields).toContain('shop_name');
    expect(bank.questions.flatMap(texts).some((t) => t.includes('110105'))).toBe(false);
  });

  it('leaves only the applicant-answer slots for the dialog engine to fill', () => {
    for (const [, ctx] of samples) {
      for (const x of generateBank(ctx, cat).questions) {
        for (const t of [x.text, x.rephrase])
          for (const s of [t['zh-CN'], t['en-US']]) expect(s).not.toMatch(/[{}]/);
        expect(x.followUp['zh-CN']).toContain('{own_answer}');
        expect(x.followUp['zh-CN'].replace('{own_answer}', '')).not.toMatch(/[{}]/);
        expect(x.followUpCross?.['en-US']).toContain('{earlier_answer}');
      }
    }
  });
});

describe('generateBank: determinism and variation', () => {
  it('gives the same bank for the same case and seed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECTORS), fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => {
        expect(generateBank(SAMPLE_CASES[s], cat, { seed })).toEqual(
          generateBank(SAMPLE_CASES[s], cat, { seed }),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('seeds from the case id by default', () => {
    const ctx = SAMPLE_CASES.crops;
    const bank = generateBank(ctx, cat);
    expect(bank.seed).toBe(seedFromCaseId(ctx.caseId));
    expect(bank).toEqual(generateBank(ctx, cat, { seed: seedFromCaseId(ctx.caseId) }));
  });

  it('gives different applicants a different order and different paraphrases', () => {
    const signature = (b: QuestionBank) => ({
      order: b.questions.map((x) => x.id).join(','),
      words: b.questions
        .map((x) => x.text['zh-CN'])
        .sort()
        .join('|'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...SECTORS),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (s, a, b) => {
          fc.pre(a !== b);
          const x = signature(generateBank({ ...SAMPLE_CASES[s], caseId: `c-${a}` }, cat));
          const y = signature(generateBank({ ...SAMPLE_CASES[s], caseId: `c-${b}` }, cat));
          expect(x.order).not.toBe(y.order);
          expect(x.words).not.toBe(y.words);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('generateBank: expectations and weights', () => {
  it('expects the daily takings from the survey and converts them to monthly sales by trading days', () => {
    const x = q(generateBank(SAMPLE_CASES.grocery, cat), 'sales.monthly.grocery_takings');
    expect(x.expected).toEqual({ kind: 'number', value: 3200, tolerance: { warn: 0.15, fail: 0.3 } });
    expect(x.toFact).toEqual({ scale: 30 });
    expect(x.kind).toBe('indirect');
  });

  it('converts weekly purchases to sales through the gross margin: sales = purchases × 4.33 ÷ (1 − margin)', () => {
    const x = q(generateBank(SAMPLE_CASES.grocery, cat), 'sales.monthly.grocery_purchases');
    expect(x.toFact?.scale).toBeCloseTo(4.33 / 0.75, 4);
  });

  it('derives expected values from the case when no survey answer exists', () => {
    const ctx: CaseContext = { ...SAMPLE_CASES.grocery, survey: { ...SAMPLE_CASES.grocery.survey } };
    delete ctx.survey['grocery.weekly_purchases'];
    const x = q(generateBank(ctx, cat), 'sales.monthly.grocery_purchases');
    expect(x.expected.kind === 'number' && x.expected.value).toBeCloseTo((96000 * 0.75) / 4.33, 1);
  });

  it('leaves the expectation unknown when a conversion has neither a case value nor a default', () => {
    const ctx: CaseContext = { ...SAMPLE_CASES.crops, survey: { ...SAMPLE_CASES.crops.survey } };
    delete ctx.survey['crops.area_mu_total'];
    const x = q(generateBank(ctx, cat), 'sales.annual.crops_per_mu');
    expect(x.expected).toEqual({ kind: 'unknown' });
    expect(x.toFact).toBeUndefined();
  });

  it('turns the registration date into months in business and a range of start years', () => {
    const bank = generateBank(SAMPLE_CASES.grocery, cat);
    const years = q(bank, 'business.years.stated');
    // 2017-06-01 → 2026-03-15: 105 whole months, asked in years.
    expect(years.expected.kind === 'number' && years.expected.value).toBe(8.75);
    expect(years.toFact).toEqual({ scale: 12 });
    expect(q(bank, 'business.years.start_year').expected).toEqual({ kind: 'range', low: 2013, high: 2021 });
  });

  it('expects yes when the screening finds records and no when it finds none, without saying so', () => {
    const r = generateBank(SAMPLE_CASES.restaurant, cat);
    expect(q(r, 'legal.disputes.stated').expected).toEqual({ kind: 'boolean', value: true });
    expect(q(generateBank(SAMPLE_CASES.grocery, cat), 'legal.disputes.stated').expected).toEqual({
      kind: 'boolean',
      value: false,
    });
  });

  it('raises the prior doubt and weight of a fact by a cross-check, a screening finding and a fraud signal', () => {
    const clean: CaseContext = {
      ...SAMPLE_CASES.grocery,
      doubts: [],
      fraudSignals: [],
      screening: { ...SAMPLE_CASES.grocery.screening, 'credit.overdue_accounts': 0 },
    };
    const b0 = generateBank(clean, cat);
    const b1 = generateBank(
      { ...clean, doubts: [{ factId: 'sales.monthly', severity: 'warn', reason: 'x' }] },
      cat,
    );
    const b2 = generateBank(
      { ...clean, doubts: [{ factId: 'sales.monthly', severity: 'fail', reason: 'x' }] },
      cat,
    );
    const b3 = generateBank(
      { ...clean, fraudSignals: [{ code: 'invented_figures', severity: 'warn' }] },
      cat,
    );
    const b4 = generateBank(SAMPLE_CASES.grocery, cat);
    const d = (b: QuestionBank, f: string) => b.priorDoubt[f] ?? 0;
    expect(d(b0, 'sales.monthly')).toBe(cat.params.doubt.baselineKnown);
    expect(d(b1, 'sales.monthly')).toBeGreaterThan(d(b0, 'sales.monthly'));
    expect(d(b2, 'sales.monthly')).toBeGreaterThan(d(b1, 'sales.monthly'));
    expect(d(b3, 'purchases.monthly')).toBeGreaterThan(d(b0, 'purchases.monthly'));
    expect(d(b4, 'loans.overdue_elsewhere')).toBeGreaterThan(d(b0, 'loans.overdue_elsewhere'));
    // noisy-or of the baseline and a warn: 1 − 0.9 × 0.4
    expect(d(b1, 'sales.monthly')).toBeCloseTo(1 - 0.9 * 0.4, 4);
    expect(q(b2, 'sales.monthly.stated').weight).toBeGreaterThan(q(b0, 'sales.monthly.stated').weight);
  });

  it('weights a question by importance: monthly sales outweighs household size at equal doubt', () => {
    const clean: CaseContext = { ...SAMPLE_CASES.grocery, doubts: [], fraudSignals: [] };
    const bank = generateBank(clean, cat);
    const sales = q(bank, 'sales.monthly.stated');
    const age = bank.questions.find((x) => x.factIds[0] === 'identity.age' && x.kind !== 'control');
    expect(sales.weight).toBeGreaterThan(age?.weight ?? 1);
  });

  it('expects an exact zero as the range 0–0, where a relative tolerance is undefined', () => {
    const x = q(generateBank(SAMPLE_CASES.crops, cat), 'staff.count.stated');
    expect(x.expected).toEqual({ kind: 'range', low: 0, high: 0 });
  });

  it('reports doubts about facts outside the bank instead of dropping them silently', () => {
    const ctx: CaseContext = {
      ...SAMPLE_CASES.crops,
      doubts: [{ factId: 'sales.monthly', severity: 'warn', reason: 'x' }],
    };
    expect(buildBank(ctx, cat).trace.unmatchedDoubts).toHaveLength(1);
  });

  it('asks each question for facts of the bank only, with unique ids and choices for choice answers', () => {
    for (const [, ctx] of samples) {
      const bank = generateBank(ctx, cat);
      const ids = bank.questions.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      const factIds = new Set(bank.facts.map((f) => f.id));
      for (const x of bank.questions) {
        for (const f of x.factIds) expect(factIds.has(f)).toBe(true);
        if (x.answerType === 'choice') expect(x.choices?.length).toBeGreaterThan(0);
        expect(x.weight).toBeGreaterThan(0);
        expect(x.reason['zh-CN'].length).toBeGreaterThan(0);
      }
    }
  });
});

describe('generateBank: doubts carried to the figures the case works out from a doubted one', () => {
  const transport = SAMPLE_CASES.transport;
  const trips: CaseContext['doubts'][number] = {
    factId: 'transport.trips_monthly',
    severity: 'warn',
    reason: 'fuel cost implies 19 trips, survey 24',
    origin: 'cross_check',
  };
  const reasons = (ctx: CaseContext, f: string) =>
    (buildBank(ctx, cat).trace.doubtContributions[f] ?? []).map((c) => c.reason);

  it('doubts the haulage sales as much as the trips they are freight × trips of, and says why', () => {
    const { bank, trace } = buildBank(transport, cat);
    // noisy-or of the baseline and the trips' warn: 1 − 0.9 × 0.4
    expect(bank.priorDoubt['sales.monthly']).toBeCloseTo(1 - 0.9 * 0.4, 4);
    const carried = (trace.doubtContributions['sales.monthly'] ?? []).filter((c) => c.origin !== 'baseline');
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({ origin: 'cross_check', severity: 'warn' });
    expect(carried[0]?.reason).toContain('transport.trips_monthly');
    expect(carried[0]?.reason).toContain('sales.monthly.transport_fare');
    expect(carried[0]?.reason).toContain(trips.reason);
    expect(q(bank, 'sales.monthly.stated').reason['en-US']).toContain('transport.trips_monthly');
  });

  it('carries nothing without a doubt on the figure worked through', () => {
    const ctx = { ...transport, doubts: transport.doubts.filter((d) => d.factId !== trips.factId) };
    expect(generateBank(ctx, cat).priorDoubt['sales.monthly']).toBe(cat.params.doubt.baselineKnown);
  });

  it('carries nothing when the case’s own figures do not reproduce the fact through that route', () => {
    // Freight 2,500 × 24 trips = 60,000 against sales of 84,000: the sales do not rest on the trips.
    const survey = { ...transport.survey, 'transport.freight_per_trip': 2500 };
    expect(generateBank({ ...transport, survey }, cat).priorDoubt['sales.monthly']).toBe(
      cat.params.doubt.baselineKnown,
    );
  });

  it('carries nothing through a catalogue default standing in for a missing case figure', () => {
    // Without the case's trips the route converts by the catalogue's 20 trips: 4,200 × 20 = 84,000 would agree
    // with the sales, but 20 is no figure of the case, so the sales do not rest on the doubted trips.
    const survey: CaseContext['survey'] = { ...transport.survey, 'transport.freight_per_trip': 4200 };
    delete survey['transport.trips_month'];
    const ctx = { ...transport, survey, doubts: [trips] };
    expect(reasons(ctx, 'sales.monthly').filter((r) => r.startsWith('carried'))).toEqual([]);
  });

  it('carries the case’s evidence only, not the catalogue’s baseline or a fraud signal, and one step only', () => {
    const ctx: CaseContext = {
      ...transport,
      doubts: [],
      fraudSignals: [{ code: 'invented_figures', severity: 'fail' }],
    };
    const bank = generateBank(ctx, cat);
    expect(bank.priorDoubt['sales.monthly']).toBeCloseTo(1 - 0.9 * 0.1, 4);
    expect(bank.priorDoubt['transport.trips_monthly']).toBe(cat.params.doubt.baselineKnown);
    // The processing sample's receivables carry the doubt on its sales, not the sales' own carried doubts.
    const processing =
      buildBank(SAMPLE_CASES.processing, cat).trace.doubtContributions['receivables.total'] ?? [];
    expect(processing.filter((c) => c.origin !== 'baseline').map((c) => c.reason)).toEqual([
      expect.stringContaining('carried from sales.monthly'),
    ]);
  });

  it('never lowers a fact’s prior doubt when the case adds a doubt (any sample, any fact, either severity)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SECTORS),
        fc.nat(),
        fc.constantFrom('warn' as const, 'fail' as const),
        (sector, k, severity) => {
          const ctx = SAMPLE_CASES[sector];
          const facts = cat.facts.filter((f) => f.sectors === 'all' || f.sectors.includes(sector));
          const factId = facts[k % facts.length]!.id;
          const more: CaseContext = {
            ...ctx,
            doubts: [...ctx.doubts, { factId, severity, reason: 'added' }],
          };
          const before = generateBank(ctx, cat).priorDoubt;
          const after = generateBank(more, cat).priorDoubt;
          for (const [f, d] of Object.entries(before)) expect(after[f]).toBeGreaterThanOrEqual(d);
          expect(after[factId]).toBeGreaterThan(before[factId]!);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('parseCaseContext', () => {
  it('accepts the sample cases', () => {
    for (const [, ctx] of samples) expect(parseCaseContext(structuredClone(ctx))).toEqual(ctx);
  });

  it('refuses a case without an interview date with VALIDATION_FAILED naming the field', () => {
    const bad: Record<string, unknown> = structuredClone(SAMPLE_CASES.grocery);
    delete bad['asOf'];
    try {
      parseCaseContext(bad);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(isAppError(e) && e.details)).toContain('asOf');
    }
  });

  it('refuses an ID number as a display field it does not know', () => {
    const bad = { ...structuredClone(SAMPLE_CASES.grocery), display: { id_number: '110105198001011234' } };
    expect(() => parseCaseContext(bad)).toThrow();
  });
});

describe('generateBank: the second indirect routes of 2026.1.2', () => {
  const MONEY = { warn: 0.15, fail: 0.3 };
  const bankOf = (s: Sector) => generateBank(SAMPLE_CASES[s], cat);

  it('expects a year of household spending as twelve months of the officer’s figure', () => {
    for (const s of SECTORS) {
      const x = q(bankOf(s), 'household.spending.annual');
      const monthly = SAMPLE_CASES[s].financials['cf.household_spending.monthly'] as number;
      expect(x).toMatchObject({ kind: 'indirect', route: 'annual', unit: '元/年', answerType: 'money' });
      expect(x.expected).toEqual({
        kind: 'number',
        value: monthly * 12,
        tolerance: { warn: 0.2, fail: 0.4 },
      });
      expect(x.toFact!.scale * 12).toBeCloseTo(1, 9);
    }
  });

  it('expects the loans’ payoff, the monthly debit and the private payoff as the officer’s debts', () => {
    const bank = bankOf('grocery');
    expect(q(bank, 'loans.existing.payoff')).toMatchObject({
      kind: 'indirect',
      route: 'payoff',
      unit: '元',
      expected: { kind: 'number', value: 60000, tolerance: MONEY },
    });
    expect(q(bank, 'loans.repayment.debit')).toMatchObject({
      kind: 'indirect',
      route: 'debit',
      unit: '元/月',
      expected: { kind: 'number', value: 3100, tolerance: MONEY },
    });
    expect(q(bank, 'loans.private.payoff')).toMatchObject({
      kind: 'indirect',
      route: 'payoff',
      expected: { kind: 'number', value: 20000, tolerance: { warn: 0.2, fail: 0.4 } },
    });
    for (const id of ['loans.existing.payoff', 'loans.repayment.debit', 'loans.private.payoff'])
      expect(q(bank, id).toFact).toBeUndefined();
    // No private borrowing on record: the exact range 0–0, as the direct question.
    expect(q(bankOf('transport'), 'loans.private.payoff').expected).toEqual({
      kind: 'range',
      low: 0,
      high: 0,
    });
  });

  it('expects a frozen account or an enforced judgment exactly when the court records are there', () => {
    expect(q(bankOf('restaurant'), 'legal.disputes.enforcement')).toMatchObject({
      kind: 'indirect',
      answerType: 'yes_no',
      expected: { kind: 'boolean', value: true },
    });
    expect(q(bankOf('grocery'), 'legal.disputes.enforcement').expected).toEqual({
      kind: 'boolean',
      value: false,
    });
  });

  it('expects what the buyers paid in twelve months from the survey, else the annual sales', () => {
    for (const s of ['crops', 'livestock'] as const) {
      const x = q(bankOf(s), 'sales.annual.buyer_paid');
      const annual = SAMPLE_CASES[s].financials['pl.revenue.annual'] as number;
      expect(x).toMatchObject({ kind: 'indirect', route: 'buyer_paid', unit: '元/年' });
      expect(x.expected).toEqual({ kind: 'number', value: annual, tolerance: MONEY });
      expect(x.toFact).toBeUndefined();
      const ctx: CaseContext = {
        ...SAMPLE_CASES[s],
        survey: { ...SAMPLE_CASES[s].survey, 'farm.buyer_paid_annual': 141000 },
      };
      expect(q(generateBank(ctx, cat), 'sales.annual.buyer_paid').expected).toEqual({
        kind: 'number',
        value: 141000,
        tolerance: MONEY,
      });
    }
    for (const s of ['grocery', 'restaurant', 'transport', 'processing'] as const)
      expect(bankOf(s).questions.some((x) => x.id === 'sales.annual.buyer_paid')).toBe(false);
  });

  it('expects the customers’ monthly transfers of haulage and workshops as their monthly sales', () => {
    for (const s of ['transport', 'processing'] as const) {
      const x = q(bankOf(s), 'sales.monthly.receipts');
      const monthly = SAMPLE_CASES[s].financials['pl.revenue.monthly'] as number;
      expect(x).toMatchObject({ kind: 'indirect', route: 'receipts', unit: '元/月' });
      expect(x.expected).toEqual({ kind: 'number', value: monthly, tolerance: MONEY });
    }
    for (const s of ['grocery', 'restaurant'] as const)
      expect(bankOf(s).questions.some((x) => x.id === 'sales.monthly.receipts')).toBe(false);
  });

  it('gives every fact a misstating applicant bends two indirect routes in every sector', () => {
    const bent = [
      'sales.monthly',
      'sales.annual',
      'household.spending_monthly',
      'loans.existing_total',
      'loans.monthly_repayment',
      'loans.private_borrowing',
      'legal.disputes',
    ];
    for (const s of SECTORS) {
      const bank = bankOf(s);
      for (const f of bent) {
        if (!bank.facts.some((x) => x.id === f)) continue;
        const routes = new Set(
          bank.questions.filter((x) => x.factIds[0] === f && x.kind === 'indirect').map((x) => x.route),
        );
        expect(routes.size, `${s} ${f}`).toBeGreaterThanOrEqual(2);
      }
    }
  });
});
