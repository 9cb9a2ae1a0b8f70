import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_TEMPLATES,
  computeFields,
  createTemplateRegistry,
  evalExpr,
  getTemplate,
  listTemplates,
  validateAnswers,
  validateTemplate,
  visibleQuestions,
} from '../../../src/cases/templates/index.js';
import type { Answers, Expr, SurveyTemplate } from '../../../src/cases/templates/index.js';
import { isAppError } from '../../../src/platform/errors.js';
import { SECTORS } from '../../../src/questions/types.js';
import {
  cropsAnswers,
  groceryAnswers,
  livestockAnswers,
  processingAnswers,
  restaurantAnswers,
  transportAnswers,
} from '../../scoring/ipc/cases.js';

const grocery = getTemplate('ipc_grocery');
const codes = (t: SurveyTemplate, a: Answers) => validateAnswers(t, a).map((i) => [i.questionId, i.code]);

describe('registry', () => {
  it('ships one valid template per sector', () => {
    expect(
      listTemplates()
        .map((t) => t.sector)
        .sort(),
    ).toEqual([...SECTORS].sort());
    for (const t of BUILT_IN_TEMPLATES) expect(validateTemplate(t)).toEqual([]);
  });

  it('serves the newest version unless a version is asked for', () => {
    const v2 = { ...grocery, version: 2, title: { 'zh-CN': '新版', 'en-US': 'new' } };
    const reg = createTemplateRegistry([grocery, v2]);
    expect(reg.getTemplate('ipc_grocery').version).toBe(2);
    expect(reg.getTemplate('ipc_grocery', 1).version).toBe(1);
    expect(reg.listTemplates()).toHaveLength(1);
    expect(reg.listTemplates({ allVersions: true })).toHaveLength(2);
  });

  it('answers TEMPLATE_NOT_FOUND for an unknown id or version', () => {
    for (const call of [() => getTemplate('nope'), () => getTemplate('ipc_grocery', 9)]) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('TEMPLATE_NOT_FOUND');
      }
    }
  });

  it('refuses an invalid template or a repeated id@version with TEMPLATE_INVALID', () => {
    const broken = {
      ...grocery,
      computed: [{ ...grocery.computed[0], expr: { ref: 'ghost' } }],
    } as SurveyTemplate;
    expect(() => createTemplateRegistry([broken])).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_INVALID' }),
    );
    expect(() => createTemplateRegistry([grocery, grocery])).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_INVALID' }),
    );
  });
});

describe('validateTemplate', () => {
  it('reports a ref to an unknown question with its position', () => {
    const t = structuredClone(grocery);
    t.sections[1]!.questions[0]!.showIf = { op: 'equals', ref: 'no_such_question', value: true };
    expect(validateTemplate(t)).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_REF', path: 'sections[1].questions[0].showIf.ref' }),
    ]);
  });

  it('reports a cycle among computed fields with the chain', () => {
    const t = structuredClone(grocery);
    t.computed.push(
      {
        id: 'loop_a',
        label: { 'zh-CN': 'a', 'en-US': 'a' },
        type: 'number',
        expr: { op: 'add', args: [{ ref: 'loop_b' }] },
      },
      {
        id: 'loop_b',
        label: { 'zh-CN': 'b', 'en-US': 'b' },
        type: 'number',
        expr: { op: 'mul', args: [{ ref: 'loop_a' }, { const: 2 }] },
      },
    );
    const issues = validateTemplate(t).filter((i) => i.code === 'COMPUTED_CYCLE');
    expect(issues.map((i) => i.path)).toEqual([
      `computed[${t.computed.length - 2}]`,
      `computed[${t.computed.length - 1}]`,
    ]);
    expect(issues[0]?.message).toContain('loop_a → loop_b → loop_a');
  });

  it('reports a cycle among show conditions', () => {
    const t = structuredClone(grocery);
    const qs = t.sections[1]!.questions;
    qs[0]!.showIf = { op: 'answered', ref: qs[1]!.id };
    qs[1]!.showIf = { op: 'answered', ref: qs[0]!.id };
    expect(validateTemplate(t).map((i) => i.code)).toEqual(['SHOWIF_CYCLE', 'SHOWIF_CYCLE']);
  });

  it('reports duplicate ids, a choice without choices, min above max and an unconvertible unit', () => {
    const t = structuredClone(grocery);
    const qs = t.sections[1]!.questions;
    qs.push({ ...qs[0]! });
    qs.push({ id: 'kind', label: { 'zh-CN': 'x', 'en-US': 'x' }, type: 'choice' });
    qs.push({
      id: 'weight',
      label: { 'zh-CN': 'x', 'en-US': 'x' },
      type: 'number',
      unit: 'kg',
      validation: { min: 5, max: 1, allowedUnits: ['亩'] },
    });
    expect(
      validateTemplate(t)
        .map((i) => i.code)
        .sort(),
    ).toEqual(['CHOICES_MISSING', 'DUPLICATE_ID', 'MIN_ABOVE_MAX', 'UNIT_NOT_CONVERTIBLE']);
  });

  it('reports a financial mapping to a non-number and a missing primary route', () => {
    const t = structuredClone(grocery);
    t.financials.operatingCosts[0]!.ref = 'reputation_notes';
    t.financials.primaryRoute = 'nowhere';
    expect(validateTemplate(t)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'REF_NOT_NUMERIC', path: 'financials.operatingCosts[0].ref' }),
        expect.objectContaining({ code: 'UNKNOWN_PRIMARY_ROUTE', path: 'financials.primaryRoute' }),
      ]),
    );
  });

  it('refuses executable-looking expressions at the schema', () => {
    const t = structuredClone(grocery) as unknown as { computed: { expr: unknown }[] };
    t.computed[0]!.expr = { op: 'eval', args: ['process.exit(1)'] };
    expect(validateTemplate(t)[0]).toMatchObject({ code: 'SCHEMA_INVALID', path: '.computed[0].expr' });
  });
});

describe('visibleQuestions', () => {
  const ids = (a: Answers) => visibleQuestions(grocery, a).map((q) => q.id);

  it('shows bank loans by use only when the owner has bank loans', () => {
    expect(ids({ has_bank_loans: false })).not.toContain('loan_short_business');
    expect(ids({ has_bank_loans: true })).toContain('loan_long_consumption');
    expect(ids({})).not.toContain('loan_short_business');
  });

  it('asks when the peak season starts only when there is one', () => {
    expect(ids({ peak_season_months: 0 })).not.toContain('peak_season_start_month');
    expect(ids({ peak_season_months: 2 })).toContain('peak_season_start_month');
  });

  it('does not require a hidden question', () => {
    const a = { ...groceryAnswers, has_guarantees: false, guarantees_given: undefined };
    expect(codes(grocery, a)).toEqual([]);
    expect(codes(grocery, { ...a, has_guarantees: true })).toEqual([['guarantees_given', 'REQUIRED']]);
  });
});

describe('computeFields', () => {
  it('computes takings, the season factor and inflows from the answers', () => {
    const c = computeFields(grocery, groceryAnswers);
    // 4,000 × 24 + 6,000 × 6 = 132,000; (12 + 1 − 0.4) / 12 = 1.05
    expect(c.base_month_takings).toBe(132_000);
    expect(c.season_factor).toBe(1.05);
    expect(c.sales_monthly_by_takings).toBe(138_600);
    expect(c.sales_monthly_by_inflows).toBe(133_333.33);
  });

  it('ignores answers to hidden questions', () => {
    const c = computeFields(getTemplate('ipc_crops'), {
      ...cropsAnswers,
      has_second_crop: false,
      second_crop_mu: 40,
    });
    expect(c.second_crop_revenue_annual).toBeUndefined();
  });

  it('converts jin to kg and hectares to mu', () => {
    const crops = getTemplate('ipc_crops');
    const c = computeFields(crops, { ...cropsAnswers, main_crop_mu: { value: 4, unit: '公顷' } });
    // 4 ha = 60 mu; 1,160 斤 = 580 kg
    expect(c.main_crop_revenue_annual).toBe(60 * 580 * 2.6);
  });

  it('leaves a division by zero uncomputed instead of infinite', () => {
    expect(evalExpr({ op: 'div', args: [{ const: 1 }, { ref: 'x' }] }, new Map([['x', 0]]))).toBeUndefined();
    expect(
      computeFields(grocery, { ...groceryAnswers, cash_sales_share_pct: 100 }).sales_monthly_by_inflows,
    ).toBeUndefined();
  });

  it('adds, subtracts and multiplies like arithmetic', () => {
    const e = (op: 'add' | 'sub' | 'mul', a: number): Expr => ({
      op,
      args: [{ const: a }, { ref: 'b' }],
    });
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        const v = new Map([['b', b]]);
        expect(evalExpr(e('add', a), v)).toBe(a + b);
        expect(evalExpr(e('sub', a), v)).toBe(a - b);
        expect(evalExpr(e('mul', a), v)).toBe(a * b);
      }),
    );
  });
});

describe('validateAnswers', () => {
  it('accepts each of the six worked cases as answered', () => {
    const all: [string, Answers][] = [
      ['ipc_grocery', groceryAnswers],
      ['ipc_restaurant', restaurantAnswers],
      ['ipc_crops', cropsAnswers],
      ['ipc_livestock', livestockAnswers],
      ['ipc_transport', transportAnswers],
      ['ipc_processing', processingAnswers],
    ];
    for (const [id, a] of all) expect(codes(getTemplate(id), a)).toEqual([]);
  });

  it('names missing required answers with REQUIRED', () => {
    expect(codes(grocery, {})).toEqual(
      expect.arrayContaining([
        ['visit_date', 'REQUIRED'],
        ['takings_normal_day', 'REQUIRED'],
        ['household_size', 'REQUIRED'],
        ['has_bank_loans', 'REQUIRED'],
      ]),
    );
  });

  it('rejects a margin over 100 % with MARGIN_OVER_100', () => {
    expect(codes(grocery, { ...groceryAnswers, gross_margin_claimed_pct: 120 })).toEqual([
      ['gross_margin_claimed_pct', 'MARGIN_OVER_100'],
    ]);
  });

  it('rejects a unit that does not measure the same thing with UNIT_MISMATCH', () => {
    const crops = getTemplate('ipc_crops');
    expect(codes(crops, { ...cropsAnswers, main_crop_yield_per_mu: { value: 580, unit: '亩' } })).toEqual([
      ['main_crop_yield_per_mu', 'UNIT_MISMATCH'],
    ]);
    expect(codes(grocery, { ...groceryAnswers, rent_monthly: { value: 300, unit: '美元' } })).toEqual([
      ['rent_monthly', 'UNIT_MISMATCH'],
    ]);
    // 万元 is allowed for money: 0.2 万元 = 2,000
    expect(codes(grocery, { ...groceryAnswers, rent_monthly: { value: 0.2, unit: '万元' } })).toEqual([]);
  });

  it('flags impossible quantities with IMPOSSIBLE_QUANTITY', () => {
    expect(codes(grocery, { ...groceryAnswers, peak_days_per_month: 35 })).toEqual([
      ['peak_days_per_month', 'VALUE_OUT_OF_RANGE'],
      ['peak_days_per_month', 'IMPOSSIBLE_QUANTITY'],
    ]);
    expect(codes(grocery, { ...groceryAnswers, takings_normal_day: -100 })).toEqual([
      ['takings_normal_day', 'IMPOSSIBLE_QUANTITY'],
    ]);
    const pigs = getTemplate('ipc_livestock');
    expect(codes(pigs, { ...livestockAnswers, stock_on_hand: 300.5 })).toEqual([
      ['stock_on_hand', 'IMPOSSIBLE_QUANTITY'],
    ]);
    expect(codes(pigs, { ...livestockAnswers, heads_sold_per_cycle: 500 })).toEqual([
      ['heads_sold_per_cycle', 'IMPOSSIBLE_QUANTITY'],
    ]);
    const crops = getTemplate('ipc_crops');
    expect(codes(crops, { ...cropsAnswers, main_crop_mu: 90 })).toEqual([
      ['main_crop_mu', 'IMPOSSIBLE_QUANTITY'],
    ]);
    const trucks = getTemplate('ipc_transport');
    expect(codes(trucks, { ...transportAnswers, vehicles_on_loan: 3 })).toEqual([
      ['vehicles_on_loan', 'IMPOSSIBLE_QUANTITY'],
    ]);
  });

  it('flags out-of-range values, shares not adding up and cost above price', () => {
    expect(codes(grocery, { ...groceryAnswers, household_size: 0 })).toEqual([
      ['household_size', 'VALUE_OUT_OF_RANGE'],
    ]);
    expect(codes(grocery, { ...groceryAnswers, general_share_pct: 30 })).toEqual([
      ['tobacco_share_pct', 'SHARES_NOT_100'],
    ]);
    expect(codes(grocery, { ...groceryAnswers, drinks_unit_cost: 5 })).toEqual([
      ['drinks_unit_cost', 'COST_ABOVE_PRICE'],
    ]);
  });

  it('flags malformed dates, choices, text and types', () => {
    expect(
      codes(grocery, {
        ...groceryAnswers,
        visit_date: '2026-02-29',
        premises_tenure: 'squatted',
        reputation_notes: '好'.repeat(501),
        takings_peak_day: 'a lot',
      }),
    ).toEqual([
      ['visit_date', 'INVALID_DATE'],
      ['premises_tenure', 'UNKNOWN_CHOICE'],
      ['reputation_notes', 'TOO_LONG'],
      ['takings_peak_day', 'WRONG_TYPE'],
    ]);
    expect(codes(grocery, { ...groceryAnswers, visit_date: '2028-02-29' })).toEqual([]);
  });
});
