import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allQuestions, getTemplate } from '../../src/cases/templates/index.js';
import type { Answers } from '../../src/cases/templates/index.js';
import { isAppError } from '../../src/platform/errors.js';
import {
  DOUBT_RULES,
  LOAN_PURPOSE_CHOICES,
  REPAYMENT_SOURCE_BY_SECTOR,
  SURVEY_FIELD_RULES,
  buildCaseContext,
  buildCaseContextWithTrace,
  doubtTargets,
  knownSourcesAll,
  knownSourcesFor,
  unfilledSources,
} from '../../src/questions/case-context.js';
import type { CaseContextInput } from '../../src/questions/case-context.js';
import { DEFAULT_CATALOGUE } from '../../src/questions/catalogue/default.js';
import { buildBank, parseCaseContext } from '../../src/questions/generate.js';
import { bankCoverage } from '../../src/questions/report.js';
import type { CaseContext } from '../../src/questions/schemas.js';
import { DEFAULT_KNOWN_SOURCES } from '../../src/questions/sources.js';
import { containsFigure } from '../../src/questions/text.js';
import type { Localized, QuestionBank, Sector } from '../../src/questions/types.js';
import { validateCatalogue } from '../../src/questions/validate.js';
import { fenToYuan, reconstructFinancials, runCrossChecks } from '../../src/scoring/ipc/index.js';
import type { CheckResult } from '../../src/scoring/ipc/index.js';
import {
  cropsAnswers,
  groceryAnswers,
  livestockAnswers,
  processingAnswers,
  restaurantAnswers,
  transportAnswers,
} from '../scoring/ipc/cases.js';

const cat = DEFAULT_CATALOGUE;

/** The six worked IPC cases with the instalment the IPC tests propose for each. */
const WORKED: readonly { sector: Sector; templateId: string; answers: Answers; instalmentFen: number }[] = [
  { sector: 'grocery', templateId: 'ipc_grocery', answers: groceryAnswers, instalmentFen: 860_000 },
  { sector: 'restaurant', templateId: 'ipc_restaurant', answers: restaurantAnswers, instalmentFen: 700_000 },
  { sector: 'crops', templateId: 'ipc_crops', answers: cropsAnswers, instalmentFen: 90_000 },
  { sector: 'livestock', templateId: 'ipc_livestock', answers: livestockAnswers, instalmentFen: 100_000 },
  { sector: 'transport', templateId: 'ipc_transport', answers: transportAnswers, instalmentFen: 1_300_000 },
  { sector: 'processing', templateId: 'ipc_processing', answers: processingAnswers, instalmentFen: 860_000 },
];

const SCREENING = {
  'registration.established_date': { value: '2017-05-01', status: 'ok' },
  'tax.invoiced_sales.monthly': { value: 3_100_000, status: 'ok' },
  'court.dishonest_records': { value: 0, status: 'ok' },
  'credit.overdue_accounts': { value: 1, status: 'ok' },
};

function inputFor(
  w: (typeof WORKED)[number],
  answers: Answers = w.answers,
  instalmentFen = w.instalmentFen,
): CaseContextInput {
  const financials = reconstructFinancials(getTemplate(w.templateId), answers);
  return {
    caseId: `case-${w.sector}`,
    sector: w.sector,
    asOf: '2026-03-20',
    display: { village: '李家村', township: '城关镇' },
    templateId: w.templateId,
    answers,
    financials,
    checks: runCrossChecks(financials, undefined, { proposedInstalmentFen: instalmentFen }),
    screening: SCREENING,
  };
}

const byId = (sector: Sector) => WORKED.find((w) => w.sector === sector) as (typeof WORKED)[number];

/**
 * Catalogue facts with a survey or financials source that a worked case leaves without a value, and why.
 * Everything else must have one.
 */
const EXCEPTIONS: Record<Sector, Record<string, string>> = {
  grocery: {
    'identity.married': 'no survey asks the marital status',
    'business.main_product': 'the grocery survey records product-line shares, not a main product',
    'staff.count': 'the grocery survey asks family labour and a wage bill, not a head count of staff',
  },
  restaurant: {
    'identity.married': 'no survey asks the marital status',
    'business.main_product': 'the restaurant survey records main dishes vs sides, not a cuisine',
    'premises.area': 'the restaurant survey asks seats, not floor area',
    'receivables.total': 'the worked restaurant has no receivables answer',
  },
  crops: {
    'identity.married': 'no survey asks the marital status',
    'business.main_product':
      'the crop is shown as display.crop; the generator drops a display field equal to an answer',
    'staff.count': 'the crops survey asks hired labour in money, not in people',
    'loans.private_borrowing': 'the worked farmer has no private or non-bank borrowing answer',
  },
  livestock: {
    'identity.married': 'no survey asks the marital status',
    'business.main_product': 'the species is shown as display.livestock (as for crops)',
    'staff.count': 'the livestock survey asks wages, not a head count',
  },
  transport: {
    'identity.married': 'no survey asks the marital status',
    'business.main_product': 'the transport survey does not record what is carried',
    'staff.count': 'the transport survey asks drivers’ wages, not their number',
    'loans.private_borrowing': 'the worked haulier has no private or non-bank borrowing answer',
  },
  processing: {
    'identity.married': 'no survey asks the marital status',
    'premises.area': 'the processing survey asks capacity, not floor area',
    'loans.private_borrowing': 'the worked workshop has no private or non-bank borrowing answer',
  },
};

const sectorFacts = (sector: Sector) =>
  cat.facts.filter((f) => f.sectors === 'all' || f.sectors.includes(sector));

const valueOf = (ctx: CaseContext, source: { kind: string; field?: string; line?: string }) =>
  source.kind === 'survey'
    ? ctx.survey[source.field ?? '']
    : source.kind === 'financials'
      ? ctx.financials[source.line ?? '']
      : undefined;

const texts = (bank: QuestionBank): string[] =>
  bank.questions.flatMap((q) =>
    [q.text, q.rephrase, q.followUp, q.followUpCross]
      .filter((t): t is Localized => t !== undefined)
      .flatMap((t) => [t['zh-CN'], t['en-US']]),
  );

/** Every number and every string of the case that a question must not say. */
function caseFigures(ctx: CaseContext): string[] {
  const values = [
    ...Object.values(ctx.survey),
    ...Object.values(ctx.financials),
    ...Object.values(ctx.screening),
  ];
  const out = new Set<string>();
  for (const v of values) {
    if (typeof v === 'number' && Math.abs(v) >= 10) {
      out.add(String(v));
      out.add(String(Math.round(v)));
    }
    if (typeof v === 'string' && v.length >= 2 && !/^[a-z_]+$/.test(v)) out.add(v);
  }
  return [...out];
}

describe('buildCaseContext: the six worked IPC cases', () => {
  it.each(WORKED.map((w) => [w.sector, w] as const))(
    'fills every survey and financials fact of the %s case except the listed gaps',
    (sector, w) => {
      const ctx = buildCaseContext(inputFor(w));
      expect(parseCaseContext(ctx)).toEqual(ctx);
      const missing: string[] = [];
      for (const f of sectorFacts(sector)) {
        if (f.source.kind !== 'survey' && f.source.kind !== 'financials') continue;
        const v = valueOf(ctx, f.source);
        if (EXCEPTIONS[sector][f.id] !== undefined) expect(v, `${f.id} is listed as a gap`).toBeUndefined();
        else if (v === undefined) missing.push(f.id);
      }
      expect(missing).toEqual([]);
    },
  );

  it('converts the grocery figures into the catalogue’s units', () => {
    const ctx = buildCaseContext(inputFor(byId('grocery')));
    // 14,000 × 8 per month × 12 / 52 weeks
    expect(ctx.survey['grocery.weekly_purchases']).toBe(25_846.15);
    expect(ctx.survey['loan.purpose']).toBe('stock');
    // 13,860,000 fen of monthly revenue; margin Σ (1 − cost/price) × share = 0.2065
    expect(ctx.financials['pl.revenue.monthly']).toBe(138_600);
    expect(ctx.financials['pl.cogs.monthly']).toBe(109_979.1);
    expect(ctx.financials['pl.gross_margin']).toBeCloseTo(0.2065, 10);
    expect(ctx.financials['bs.loans.total']).toBe(50_000);
    expect(ctx.financials['bs.private_borrowing']).toBe(20_000);
    expect(ctx.financials['cf.debt_service.monthly']).toBe(2_500);
    // a real zero (no hired staff) stays a zero
    expect(ctx.financials['pl.opex.wages.monthly']).toBe(0);
    // screening money arrives in fen
    expect(ctx.screening['tax.invoiced_sales.monthly']).toBe(31_000);
  });

  it('converts crops to 斤 and livestock to per-head and per-day figures', () => {
    const crops = buildCaseContext(inputFor(byId('crops')));
    // 1,160 斤/mu typed as 斤, stored as 580 kg, asked in 斤; 2.6 CNY/kg = 1.3 CNY/斤
    expect(crops.survey['crops.yield_per_mu']).toBe(1_160);
    expect(crops.survey['crops.harvest_total_jin']).toBe(69_600);
    expect(crops.survey['crops.price_per_jin']).toBe(1.3);
    expect(crops.survey['crops.area_mu_total']).toBe(60);
    expect(crops.survey['crops.rent_total']).toBe(15_000);
    expect(crops.display.crop).toBe('玉米');
    const pigs = buildCaseContext(inputFor(byId('livestock')));
    // 290 a batch × 365 / 146 days; 110 kg × 16 CNY/kg; 4 % as a fraction
    expect(pigs.survey['livestock.sold_per_year']).toBe(725);
    expect(pigs.survey['livestock.price_per_head']).toBe(1_760);
    expect(pigs.survey['livestock.mortality']).toBe(0.04);
    expect(pigs.display.livestock).toBe('生猪');
    // feed bought (55,000 ÷ 3.2 × 2 ÷ 30.42 days) over feed per head (275 × 2 ÷ 146): the herd of 300
    const herd =
      (pigs.survey['livestock.feed_daily_jin'] as number) /
      (pigs.survey['livestock.feed_per_head_day'] as number);
    expect(herd).toBeCloseTo(300, 0);
    const trucks = buildCaseContext(inputFor(byId('transport')));
    expect(trucks.survey['transport.trips_month']).toBe(16);
    expect(trucks.survey['transport.insurance_per_vehicle']).toBe(15_000);
    // 1,000 km ÷ 100 × 35 l × 7.2 CNY
    expect(trucks.survey['transport.fuel_per_trip']).toBe(2_520);
  });

  it.each(WORKED.map((w) => [w.sector, w] as const))(
    'maps every IPC doubt of the %s case to a doubtful fact asked by two independent routes',
    (sector, w) => {
      // The worked instalment, and one ten times the disposable income so that every sector has a doubt.
      for (const instalment of [w.instalmentFen, w.instalmentFen * 10]) {
        const { context, trace } = buildCaseContextWithTrace(inputFor(w, w.answers, instalment));
        expect(trace.unmappedDoubts).toEqual([]);
        const bank = buildBank(context, cat).bank;
        const rows = bankCoverage(bank, cat.params.coverage);
        const doubted = new Set(context.doubts.map((d) => d.factId));
        if (instalment > w.instalmentFen) expect(doubted.size, sector).toBeGreaterThan(0);
        for (const factId of doubted) {
          const row = rows.find((r) => r.factId === factId);
          expect(row, factId).toBeDefined();
          expect(row?.doubtful, factId).toBe(true);
          expect(row?.satisfied, factId).toBe(true);
          expect(row?.independentWays, factId).toBeGreaterThanOrEqual(2);
        }
      }
    },
  );

  it.each(WORKED.map((w) => [w.sector, w] as const))(
    'generates a %s bank whose questions carry no figure or value of the case',
    (_sector, w) => {
      const ctx = buildCaseContext(inputFor(w, w.answers, w.instalmentFen * 10));
      const all = texts(buildBank(ctx, cat).bank);
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter(containsFigure)).toEqual([]);
      const figures = caseFigures(ctx);
      expect(figures.length).toBeGreaterThan(5);
      for (const t of all) for (const fig of figures) expect(t.includes(fig), `${fig} in ${t}`).toBe(false);
    },
  );
});

describe('buildCaseContext: a fabricated grocery', () => {
  // IPC test: inflows 40 % below the reported takings, no cash sales
  const fabricated = {
    ...groceryAnswers,
    inflow_bank: 23_160,
    inflow_wechat: 45_000,
    inflow_alipay: 15_000,
    cash_sales_share_pct: 0,
  };

  it('fails sales.monthly once, with the check’s zh explanation, and asks it by two independent routes', () => {
    const ctx = buildCaseContext(inputFor(byId('grocery'), fabricated));
    const onSales = ctx.doubts.filter((d) => d.factId === 'sales.monthly');
    // sales.inflows names sales.monthly and account.inflows: one piece of evidence, one doubt
    expect(onSales).toHaveLength(1);
    expect(onSales[0]).toMatchObject({ severity: 'fail', origin: 'cross_check' });
    expect(onSales[0]?.reason).toContain('sales.inflows');
    expect(onSales[0]?.reason).toContain('40.0%');
    const bank = buildBank(ctx, cat).bank;
    expect(bank.priorDoubt['sales.monthly']).toBeGreaterThanOrEqual(cat.params.coverage.doubtfulFrom);
    const qs = bank.questions.filter((q) => q.factIds.includes('sales.monthly') && q.purpose === 'verify');
    expect(new Set(qs.map((q) => q.route)).size).toBeGreaterThanOrEqual(2);
    expect(qs.some((q) => q.kind === 'direct')).toBe(true);
    expect(qs.some((q) => q.kind === 'indirect')).toBe(true);
    // the reason is for staff: it never reaches the applicant's text
    expect(texts(bank).some((t) => t.includes('40.0%'))).toBe(false);
  });
});

describe('buildCaseContext: missing values', () => {
  const w = byId('grocery');

  it('leaves a value out, never zero, when its answer is missing', () => {
    const a: Record<string, unknown> = { ...groceryAnswers };
    for (const id of ['takings_peak_day', 'purchase_times_per_month', 'rent_monthly', 'private_borrowing'])
      delete a[id];
    const ctx = buildCaseContext(inputFor(w, a as Answers));
    expect(ctx.survey).not.toHaveProperty('grocery.daily_takings_peak');
    expect(ctx.survey).not.toHaveProperty('grocery.weekly_purchases');
    expect(ctx.survey).not.toHaveProperty('purchases.times_per_month');
    expect(ctx.financials).not.toHaveProperty('pl.opex.rent.monthly');
    expect(ctx.financials).not.toHaveProperty('bs.private_borrowing');
    expect(ctx.survey['purchases.amount_per_time']).toBe(14_000);
  });

  it('keeps a zero of bank loans when the officer answered that there are none', () => {
    const a: Record<string, unknown> = { ...groceryAnswers, has_bank_loans: false };
    delete a.loan_short_business;
    expect(buildCaseContext(inputFor(w, a as Answers)).financials['bs.loans.total']).toBe(0);
    delete a.has_bank_loans;
    expect(buildCaseContext(inputFor(w, a as Answers)).financials).not.toHaveProperty('bs.loans.total');
  });

  it('fills the survey without financials and names no repayment source', () => {
    const ctx = buildCaseContext({ ...inputFor(w), financials: undefined, checks: undefined });
    expect(ctx.financials).toEqual({});
    expect(ctx.doubts).toEqual([]);
    expect(ctx.survey['grocery.daily_takings_normal']).toBe(4_000);
    expect(ctx.survey).not.toHaveProperty('loan.repayment_source');
  });

  it('never invents a survey value whose answers are all missing, and always parses', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WORKED), fc.func(fc.boolean()), (wc, drop) => {
        const answers = Object.fromEntries(Object.entries(wc.answers).filter(([k]) => !drop(k)));
        let financials;
        try {
          financials = reconstructFinancials(getTemplate(wc.templateId), answers);
        } catch (e) {
          expect(isAppError(e) && e.code).toBe('FINANCIALS_INCOMPLETE');
        }
        const checks = financials ? runCrossChecks(financials) : undefined;
        const ctx = buildCaseContext({ ...inputFor(wc), answers, financials, checks });
        expect(parseCaseContext(ctx)).toEqual(ctx);
        for (const v of [...Object.values(ctx.survey), ...Object.values(ctx.financials)])
          if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        for (const rule of SURVEY_FIELD_RULES[wc.sector]) {
          if (rule.from.length === 0) continue;
          if (rule.from.every((id) => answers[id] === undefined))
            expect(ctx.survey, rule.field).not.toHaveProperty([rule.field]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('buildCaseContext: inputs', () => {
  const w = byId('crops');

  it('takes only ok screening facts it knows, converting fen to yuan', () => {
    const { context, trace } = buildCaseContextWithTrace({
      ...inputFor(w),
      screening: {
        'tax.invoiced_sales.monthly': { value: 1_234_567, status: 'ok' },
        'credit.overdue_accounts': { value: null, status: 'missing' },
        'court.dishonest_records': { value: 2, status: 'failed' },
        'registration.established_date': { value: '2019/05/01', status: 'ok' },
        'identity.id_name_match': { value: true, status: 'ok' },
        'multilender.applications_30d': { value: 3, status: 'ok' },
      },
    });
    expect(context.screening).toEqual({
      'tax.invoiced_sales.monthly': 12_345.67,
      'multilender.applications_30d': 3,
    });
    expect(trace.screeningDropped).toEqual(
      expect.arrayContaining([
        { fact: 'credit.overdue_accounts', reason: 'not_ok' },
        { fact: 'court.dishonest_records', reason: 'not_ok' },
        { fact: 'registration.established_date', reason: 'bad_value' },
        { fact: 'identity.id_name_match', reason: 'unknown_fact' },
      ]),
    );
  });

  it('keeps the caller’s display fields over the survey’s and drops blank ones', () => {
    const ctx = buildCaseContext({
      ...inputFor(w),
      display: { crop: '鲜食玉米', shop_name: '  ', village: '张庄' },
    });
    expect(ctx.display).toEqual({ crop: '鲜食玉米', village: '张庄' });
    expect(ctx.survey['premises.village']).toBe('张庄');
  });

  it('passes fraud signals through', () => {
    const ctx = buildCaseContext({
      ...inputFor(w),
      fraudSignals: [{ code: 'invented_figures', severity: 'warn' }],
    });
    expect(ctx.fraudSignals).toEqual([{ code: 'invented_figures', severity: 'warn' }]);
  });

  it('refuses a template of another sector with CASE_CONTEXT_SECTOR_MISMATCH', () => {
    try {
      buildCaseContext({ ...inputFor(w), sector: 'grocery' });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('CASE_CONTEXT_SECTOR_MISMATCH');
    }
  });

  it('refuses financials rebuilt from another template with CASE_CONTEXT_TEMPLATE_MISMATCH', () => {
    const other = inputFor(byId('grocery'));
    try {
      buildCaseContext({ ...inputFor(w), financials: other.financials });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('CASE_CONTEXT_TEMPLATE_MISMATCH');
    }
  });

  it('turns integer fen into yuan that maps back to the same fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => {
        const y = fenToYuan(fen);
        expect(Math.round(y * 100)).toBe(fen);
        expect(y).toBe(Number((fen / 100).toFixed(2)));
      }),
    );
  });
});

describe('mapping tables', () => {
  const loanPurpose = cat.facts.find((f) => f.id === 'loan.purpose');
  const repayment = cat.facts.find((f) => f.id === 'loan.repayment_source');

  it('maps every loan purpose of every survey to a catalogue choice', () => {
    for (const w of WORKED) {
      const q = allQuestions(getTemplate(w.templateId)).find((x) => x.id === 'loan_purpose');
      for (const c of q?.choices ?? [])
        expect(loanPurpose?.choices, c.id).toContain(LOAN_PURPOSE_CHOICES[c.id]);
    }
    for (const v of Object.values(REPAYMENT_SOURCE_BY_SECTOR)) expect(repayment?.choices).toContain(v);
  });

  it('points every doubt rule at catalogue facts of the sectors it names', () => {
    for (const rule of DOUBT_RULES)
      for (const t of rule.targets) {
        const fact = cat.facts.find((f) => f.id === t.factId);
        expect(fact, t.factId).toBeDefined();
        const sectors = fact?.sectors === 'all' ? undefined : fact?.sectors;
        if (sectors)
          for (const s of t.sectors ?? []) expect(sectors, `${rule.ipcFactId} → ${t.factId}`).toContain(s);
        if (sectors) expect(t.sectors, `${t.factId} needs sectors`).toBeDefined();
      }
  });

  /** IPC fact ids that have no catalogue fact in a sector, and why that is acceptable. */
  const UNMAPPED: Record<string, string> = {
    'inventory.value/transport':
      'fuel and spare parts: no catalogue fact, and the IPC configuration has no inventory-days range for transport',
  };

  it('maps every IPC fact id a check can name, in every sector', () => {
    const names = new Set<string>();
    for (const w of WORKED) {
      const checks: CheckResult[] = inputFor(w).checks as CheckResult[];
      for (const c of checks) for (const id of c.factIds) names.add(id);
    }
    expect(names.size).toBeGreaterThan(10);
    const gaps: string[] = [];
    for (const id of names)
      for (const w of WORKED) if (doubtTargets(id, w.sector).length === 0) gaps.push(`${id}/${w.sector}`);
    expect(gaps.sort()).toEqual(Object.keys(UNMAPPED).sort());
  });

  it('names only sources the default catalogue knows', () => {
    for (const w of WORKED) {
      const known = knownSourcesFor(w.sector);
      for (const s of known.survey) expect(DEFAULT_KNOWN_SOURCES.survey, s).toContain(s);
      for (const s of known.financials) expect(DEFAULT_KNOWN_SOURCES.financials, s).toContain(s);
    }
    for (const s of DEFAULT_KNOWN_SOURCES.screening) expect(knownSourcesAll().screening).toContain(s);
  });

  it('leaves exactly the known gaps when the catalogue is validated against what the surveys fill', () => {
    const r = validateCatalogue(cat, { knownSources: knownSourcesAll() });
    expect(r.ok).toBe(false);
    const unknown = r.ok ? [] : r.errors.map((e) => `${e.code} ${e.message.match(/survey:[a-z_.]+/)?.[0]}`);
    expect([...new Set(unknown)].sort()).toEqual(
      [
        'survey:applicant.married',
        'survey:loans.original_principal',
        'survey:premises.neighbour',
        'survey:processing.order_backlog_days',
        'survey:receivables.credit_share',
        'survey:receivables.days',
        'survey:restaurant.tables',
      ].map((s) => `UNKNOWN_SOURCE ${s}`),
    );
    expect(unfilledSources(cat, 'processing')).toContain('survey:processing.order_backlog_days');
    expect(unfilledSources(cat, 'grocery')).not.toContain('survey:processing.order_backlog_days');
  });
});

describe('buildCaseContext: what the buyers paid (catalogue 2026.1.2)', () => {
  it('copies the buyers’ payments of the last twelve months, the farms’ second route to annual sales', () => {
    expect(buildCaseContext(inputFor(byId('crops'))).survey['farm.buyer_paid_annual']).toBe(85_000);
    expect(buildCaseContext(inputFor(byId('livestock'))).survey['farm.buyer_paid_annual']).toBe(1_200_000);
    expect(buildCaseContext(inputFor(byId('grocery'))).survey).not.toHaveProperty('farm.buyer_paid_annual');
    const { sold_to_buyer_last_12m: _dropped, ...rest } = byId('crops').answers as Record<string, unknown>;
    const ctx = buildCaseContext(inputFor(byId('crops'), rest as Answers));
    expect(ctx.survey).not.toHaveProperty('farm.buyer_paid_annual');
  });
});
