import { describe, expect, it } from 'vitest';
import en from '../../src/locales/case.en-US.json';
import zh from '../../src/locales/case.zh-CN.json';
import {
  APPLICANT_KINDS,
  CASE_STATUSES,
  OPINION_KINDS,
  OUTCOMES,
  REPAYMENT_METHODS,
  REVIEW_STATES,
  SECTORS,
  VERDICTS,
  bpToPercent,
  byVerdict,
  checkFigure,
  checkKey,
  chinaDateTime,
  fenToYuan,
  money,
  pct,
  percent,
  statusColor,
  statusKey,
  timeLeft,
  todoView,
  verdictColor,
  verdictCounts,
} from '../../src/pages/staff/caseFormat.js';

const ZH: Record<string, string> = zh;
const EN: Record<string, string> = en;

describe('money in fen', () => {
  it('shows_fen_as_yuan_with_separators_by_integer_arithmetic', () => {
    expect(fenToYuan(15_000_000)).toBe('150,000.00');
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(123_456_789)).toBe('1,234,567.89');
    expect(fenToYuan(-250)).toBe('-2.50');
    // 0.29 * 100 is 28.999… in binary floats; fen never pass through a float division here.
    expect(fenToYuan(29)).toBe('0.29');
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
  });

  it('refuses_what_is_not_a_whole_number_of_fen', () => {
    expect(fenToYuan(1.5)).toBe('');
    expect(fenToYuan(Number.NaN)).toBe('');
  });

  it('puts_the_yuan_sign_after_the_minus_and_a_dash_for_nothing', () => {
    expect(money(15_000_000)).toBe('¥150,000.00');
    expect(money(-1_000)).toBe('-¥10.00');
    expect(money(null)).toBe('—');
    expect(money(undefined)).toBe('—');
  });
});

describe('percents and rates', () => {
  it('formats_ratios_percent_values_and_basis_points', () => {
    expect(percent(0.2346)).toBe('23.5%');
    expect(percent(0.012345, 2)).toBe('1.23%');
    expect(percent(null)).toBe('—');
    expect(percent(Number.POSITIVE_INFINITY)).toBe('—');
    expect(pct(-6.934)).toBe('-6.9%');
    expect(pct(null)).toBe('—');
    expect(bpToPercent(485)).toBe('4.85%');
    expect(bpToPercent(1200)).toBe('12.00%');
    expect(bpToPercent(5)).toBe('0.05%');
    expect(bpToPercent(null)).toBe('—');
  });
});

describe('cross-check figures', () => {
  it('shows_each_unit_in_its_own_way', () => {
    expect(checkFigure(12_345_600, 'fen')).toBe('¥123,456.00');
    expect(checkFigure(80_000, 'fen_per_person')).toBe('¥800.00');
    expect(checkFigure(0.215, 'ratio')).toBe('21.5%');
    expect(checkFigure(29.6, 'days', '天')).toBe('30 天');
    expect(checkFigure({ low: 0.1, high: 0.25 }, 'ratio')).toBe('10.0% – 25.0%');
    expect(checkFigure(null, 'fen')).toBe('—');
  });

  it('puts_failures_first_and_keeps_the_server_order_within_a_verdict', () => {
    const checks = [
      { name: 'a', verdict: 'pass' },
      { name: 'b', verdict: 'fail' },
      { name: 'c', verdict: 'not_applicable' },
      { name: 'd', verdict: 'warn' },
      { name: 'e', verdict: 'fail' },
    ];
    expect(byVerdict(checks).map((c) => c.name)).toEqual(['b', 'e', 'd', 'a', 'c']);
    expect(checks.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e']); // not sorted in place
    expect(verdictCounts(checks)).toEqual({ fail: 2, warn: 1, pass: 1, not_applicable: 1 });
  });

  it('names_sales_route_checks_after_their_route_and_the_others_from_the_dictionary', () => {
    expect(checkKey('sales.purchases')).toBeNull();
    expect(checkKey('equity_reconciliation')).toBe('console.case.check.equity_reconciliation');
    for (const name of [
      'gross_margin.sector_range',
      'equity_reconciliation',
      'inventory_days',
      'receivable_days',
      'household.spending_per_person',
      'repayment.instalment_share',
      'repayment.non_bank_share',
      'repayment.new_debt_to_cash_flow',
      'repayment.guarantees_to_net_worth',
    ])
      expect(ZH[checkKey(name)!]).toBeTruthy();
  });
});

describe('statuses and colours', () => {
  it('has_a_colour_for_every_case_status_verdict_and_outcome', () => {
    expect(CASE_STATUSES.map(statusColor)).toEqual([
      'default',
      'processing',
      'cyan',
      'gold',
      'purple',
      'green',
    ]);
    expect(statusColor('something_new')).toBe('default');
    expect(verdictColor('fail')).toBe('error');
    expect(verdictColor('warn')).toBe('warning');
  });
});

describe('the case dictionaries', () => {
  it('label_every_value_the_server_sends_for_statuses_sectors_kinds_methods_and_opinions', () => {
    const keys = [
      ...CASE_STATUSES.map(statusKey),
      ...SECTORS.map((s) => `console.case.sector.${s}`),
      ...APPLICANT_KINDS.map((s) => `console.case.kind.${s}`),
      ...REPAYMENT_METHODS.map((s) => `console.case.method.${s}`),
      ...VERDICTS.map((s) => `console.case.verdict.${s}`),
      ...OUTCOMES.map((s) => `console.case.outcome.${s}`),
      ...OPINION_KINDS.map((s) => `console.case.opinion.${s}`),
      ...REVIEW_STATES.map((s) => `console.case.review.${s}`),
    ];
    for (const k of keys) {
      expect(ZH[k], k).toBeTruthy();
      expect(EN[k], k).toBeTruthy();
    }
    expect(ZH[statusKey('invited')]).toBe('已邀请面谈');
    expect(EN[statusKey('invited')]).toBe('Invited');
  });
});

describe('dates', () => {
  it('shows_instants_in_china_time', () => {
    expect(chinaDateTime('2026-03-12T02:00:00Z')).toBe('2026-03-12 10:00');
    expect(chinaDateTime('2026-03-12T18:30:00.000Z')).toBe('2026-03-13 02:30');
    expect(chinaDateTime('not a date')).toBe('');
    expect(chinaDateTime(null)).toBe('');
  });

  it('counts_the_time_left_until_an_expiry_and_nothing_once_past', () => {
    const now = Date.parse('2026-03-12T00:00:00Z');
    expect(timeLeft('2026-03-15T00:00:00Z', now)).toEqual({ hours: 72, minutes: 0 });
    expect(timeLeft('2026-03-12T01:30:59Z', now)).toEqual({ hours: 1, minutes: 30 });
    expect(timeLeft('2026-03-11T23:59:00Z', now)).toBeNull();
  });
});

describe("the expert's to-do for the officer", () => {
  it('reads_a_send_back_as_the_check_in_words_with_its_note_and_reasons', () => {
    expect(
      todoView({
        check: 'bank_statements',
        what: '调取近 6 个月银行、微信、支付宝流水，核对销售额',
        note: '  ',
        reasons: ['销售额偏高', ''],
      }),
    ).toEqual({
      kind: 'send_back',
      what: '调取近 6 个月银行、微信、支付宝流水，核对销售额',
      note: null,
      facts: [],
      reasons: ['销售额偏高'],
    });
    expect(todoView({ check: 'other', what: '', note: '看仓库', reasons: [] })).toMatchObject({
      what: 'other',
      note: '看仓库',
    });
  });

  it('reads_a_second_interview_as_the_facts_to_ask_again', () => {
    expect(todoView({ secondInterviewFacts: ['sales.monthly', 'debts.private'], reasons: ['r'] })).toEqual({
      kind: 'second_interview',
      what: null,
      note: null,
      facts: ['sales.monthly', 'debts.private'],
      reasons: ['r'],
    });
    expect(todoView({ secondInterviewFacts: null, reasons: [] }).facts).toEqual([]);
  });
});
