import { describe, expect, it } from 'vitest';
import type { BankQuestion, FactDef } from '../../../src/questions/types.js';
import { DEFAULT_ANSWER_MODEL, verifyAnswer } from '../../../src/dialog/belief/index.js';
import { syntheticBank } from '../../../src/dialog/sim/index.js';

const bank = syntheticBank('grocery');
const q = (id: string): BankQuestion => bank.questions.find((x) => x.id === id)!;
const fact = (id: string): FactDef => bank.facts.find((x) => x.id === id)!;
const sales = fact('sales.monthly');
const direct = q('sales.monthly.direct.0'); // expects 60000 ±15% / 30%
const daily = q('sales.monthly.indirect.1'); // expects 2000 a day, scale 30

describe('verifyAnswer against the expectation', () => {
  it('calls an answer within the warn band consistent', () => {
    const v = verifyAnswer(direct, sales, { kind: 'number', value: 55000, approx: false }, []);
    expect(v).toMatchObject({
      outcome: 'consistent',
      code: 'WITHIN_TOLERANCE',
      factValue: 55000,
      strength: 1,
    });
    expect(v.deviation).toBeCloseTo(5000 / 60000, 10);
  });

  it('calls an answer between warn and fail doubtful and one beyond fail contradicted', () => {
    expect(verifyAnswer(direct, sales, { kind: 'number', value: 45000, approx: false }, []).outcome).toBe(
      'doubtful',
    );
    expect(verifyAnswer(direct, sales, { kind: 'number', value: 30000, approx: false }, [])).toMatchObject({
      outcome: 'contradicted',
      code: 'BEYOND_FAIL',
    });
  });

  it('widens the bands for a rough figure and gives it less strength', () => {
    // 0.19 off: doubtful when firm, consistent as 大概 (warn 0.15 + 0.05 slack).
    expect(verifyAnswer(direct, sales, { kind: 'number', value: 48600, approx: false }, []).outcome).toBe(
      'doubtful',
    );
    const rough = verifyAnswer(direct, sales, { kind: 'number', value: 48600, approx: true }, []);
    expect(rough.outcome).toBe('consistent');
    expect(rough.strength).toBeLessThan(1);
  });

  it('treats a range containing the expectation as consistent with weaker evidence the wider it is', () => {
    const narrow = verifyAnswer(direct, sales, { kind: 'number', low: 55000, high: 65000, approx: true }, []);
    const wide = verifyAnswer(direct, sales, { kind: 'number', low: 20000, high: 100000, approx: true }, []);
    expect(narrow.outcome).toBe('consistent');
    expect(wide.outcome).toBe('consistent');
    expect(wide.strength).toBeLessThan(narrow.strength);
  });

  it('converts an indirect answer into the fact unit with toFact.scale', () => {
    const v = verifyAnswer(daily, sales, { kind: 'number', value: 2100, approx: false }, []);
    expect(v.outcome).toBe('consistent');
    expect(v.factValue).toBe(63000);
  });

  it('compares yes/no and choices exactly', () => {
    const lenders = fact('debt.other_lenders');
    const qd = q('debt.other_lenders.direct.0');
    expect(verifyAnswer(qd, lenders, { kind: 'boolean', value: false }, []).outcome).toBe('consistent');
    expect(verifyAnswer(qd, lenders, { kind: 'boolean', value: true }, []).code).toBe('DIFFERS');
    const purpose = fact('loan.purpose');
    const qp = q('loan.purpose.direct.0');
    expect(verifyAnswer(qp, purpose, { kind: 'choice', value: 'stock' }, []).outcome).toBe('consistent');
    expect(verifyAnswer(qp, purpose, { kind: 'choice', value: 'other' }, []).outcome).toBe('contradicted');
  });

  it('gives no evidence for an unreadable answer or a departure, and a none outcome for 不知道', () => {
    expect(verifyAnswer(direct, sales, { kind: 'none', intent: 'unparseable' }, []).outcome).toBe(
      'unverifiable',
    );
    expect(verifyAnswer(direct, sales, { kind: 'none', intent: 'leave' }, []).outcome).toBe('unverifiable');
    expect(verifyAnswer(direct, sales, { kind: 'none', intent: 'dont_know' }, []).outcome).toBe('none');
  });

  it('reports an answer of the wrong kind as WRONG_ANSWER_KIND', () => {
    expect(verifyAnswer(direct, sales, { kind: 'boolean', value: true }, []).code).toBe('WRONG_ANSWER_KIND');
  });
});

describe('verifyAnswer against earlier answers about the same fact', () => {
  const earlierDaily = [
    { questionId: daily.id, questionKind: 'indirect' as const, value: 36000, approx: false },
  ];

  it('contradicts an answer off the expectation that also clashes with an earlier one', () => {
    const v = verifyAnswer(direct, sales, { kind: 'number', value: 90000, approx: false }, earlierDaily);
    expect(v.outcome).toBe('contradicted');
    expect(v.crossCheck).toMatchObject({ againstQuestionId: daily.id, outcome: 'contradicted' });
  });

  it('keeps an answer that matches the expectation consistent but at reduced strength when it clashes with an earlier one', () => {
    const v = verifyAnswer(direct, sales, { kind: 'number', value: 60000, approx: false }, earlierDaily);
    expect(v).toMatchObject({ outcome: 'consistent', code: 'INCONSISTENT_WITH_EARLIER' });
    expect(v.strength).toBeLessThan(1);
  });

  it('uses the earlier answers alone when the bank has no expectation', () => {
    const open = { ...direct, expected: { kind: 'unknown' as const } };
    expect(verifyAnswer(open, sales, { kind: 'number', value: 60000, approx: false }, []).outcome).toBe(
      'unverifiable',
    );
    expect(
      verifyAnswer(open, sales, { kind: 'number', value: 60000, approx: false }, earlierDaily).outcome,
    ).toBe('contradicted');
  });
});

describe('verifyAnswer with pooled judgement', () => {
  const pooling = { model: DEFAULT_ANSWER_MODEL.deviation!, reliability: 0.8 };
  const count: FactDef = {
    ...fact('household.size'),
    id: 'transport.vehicles',
    tolerance: { warn: 0, fail: 0 },
  };
  const byInsurance: BankQuestion = {
    ...q('household.size.direct.0'),
    id: 'vehicles.insurance',
    kind: 'indirect',
    answerType: 'money',
    toFact: { scale: 1 / 11000 },
    expected: { kind: 'number', value: 22000, tolerance: { warn: 0, fail: 0 } },
  };

  it('reads a count expected exactly as known to the nearest whole: an insurance bill worth 2.2 vehicles is two', () => {
    const v = verifyAnswer(
      byInsurance,
      count,
      { kind: 'number', value: 24000, approx: false },
      [],
      undefined,
      pooling,
    );
    expect(v.logLikelihoodRatio).toBeGreaterThan(0);
    expect(v.outcome).toBe('consistent');
    const far = verifyAnswer(
      byInsurance,
      count,
      { kind: 'number', value: 44000, approx: false },
      [],
      undefined,
      pooling,
    );
    expect(far.outcome).toBe('contradicted');
  });

  it('judges a calendar year and a figure about a fact that is not a number against their own range, not pooled', () => {
    const startYear: BankQuestion = {
      ...direct,
      id: 'years.start_year',
      kind: 'indirect',
      answerType: 'date',
      expected: { kind: 'range', low: 2013, high: 2021 },
    };
    delete startYear.toFact;
    const year = verifyAnswer(
      startYear,
      sales,
      { kind: 'number', value: 2016, approx: false },
      [],
      undefined,
      pooling,
    );
    expect(year.logLikelihoodRatio).toBeUndefined();
    expect(year.outcome).toBe('consistent');
    const price: BankQuestion = {
      ...startYear,
      id: 'insider.price',
      answerType: 'money',
      expected: { kind: 'range', low: 15, high: 35 },
    };
    const product: FactDef = {
      ...sales,
      id: 'business.main_product',
      answerType: 'text',
      tolerance: { warn: 0, fail: 0 },
    };
    const inside = verifyAnswer(
      price,
      product,
      { kind: 'number', value: 24, approx: false },
      [],
      undefined,
      pooling,
    );
    expect(inside.logLikelihoodRatio).toBeUndefined();
    expect(inside.outcome).toBe('consistent');
    expect(
      verifyAnswer(price, product, { kind: 'number', value: 60, approx: false }, [], undefined, pooling)
        .outcome,
    ).toBe('contradicted');
  });
});

describe('verifyAnswer of free text', () => {
  const words = (id: string, expected: BankQuestion['expected']): BankQuestion => ({
    ...q('loan.purpose.direct.0'),
    id,
    answerType: 'text',
    expected,
  });
  const willingness: FactDef = { ...fact('loan.purpose'), id: 'loan.willingness', answerType: 'text' };

  it('never reads two answers in the applicant’s own words as a clash', () => {
    const first = verifyAnswer(
      words('w.stated', { kind: 'unknown' }),
      willingness,
      {
        kind: 'choice',
        value: '借了钱肯定按时还',
      },
      [],
    );
    const earlier = [
      { questionId: 'w.stated', questionKind: 'direct' as const, value: '借了钱肯定按时还', approx: false },
    ];
    const second = verifyAnswer(
      words('w.past', { kind: 'unknown' }),
      willingness,
      { kind: 'choice', value: '以前贷过两次，都按时还清了' },
      earlier,
    );
    expect(first.outcome).toBe('unverifiable');
    expect(second.outcome).toBe('unverifiable');
    expect(second.code).toBe('FREE_TEXT');
  });

  it('agrees when the words name the expected place, and leaves other words to the expert', () => {
    const place = words('where', { kind: 'choice', value: '李家村' });
    expect(verifyAnswer(place, willingness, { kind: 'choice', value: '李家村，村口那家' }, []).outcome).toBe(
      'consistent',
    );
    expect(verifyAnswer(place, willingness, { kind: 'choice', value: '镇上' }, []).outcome).toBe(
      'unverifiable',
    );
  });
});
