import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../src/platform/deps.js';
import { SECTORS } from '../../../src/questions/types.js';
import { DEFAULT_ANSWER_MODEL, verifyAnswer } from '../../../src/dialog/belief/index.js';
import { greedyChooser } from '../../../src/dialog/policy/index.js';
import {
  createRespondent,
  drawProfile,
  expectedFactValues,
  simulateInterview,
  syntheticBank,
  truthLabels,
} from '../../../src/dialog/sim/index.js';

describe('syntheticBank', () => {
  it.each(SECTORS)('builds a consistent %s bank with direct, indirect and control questions', (sector) => {
    const bank = syntheticBank(sector, { rng: seededRng(1) });
    const factIds = new Set(bank.facts.map((f) => f.id));
    expect(new Set(bank.questions.map((q) => q.id)).size).toBe(bank.questions.length);
    for (const q of bank.questions) {
      expect(q.factIds.every((f) => factIds.has(f))).toBe(true);
      if (q.expected.kind === 'number') expect(q.text['zh-CN']).not.toContain(String(q.expected.value));
    }
    for (const kind of ['direct', 'indirect', 'control'] as const) {
      expect(bank.questions.some((q) => q.kind === kind)).toBe(true);
    }
    for (const f of bank.facts) {
      expect(f.importance).toBeGreaterThanOrEqual(0);
      expect(f.importance).toBeLessThanOrEqual(1);
      expect(bank.priorDoubt[f.id]).toBeGreaterThan(0);
    }
  });

  it('gives every indirect question an expectation that converts back to the fact’s expectation', () => {
    const bank = syntheticBank('restaurant');
    const e = expectedFactValues(bank);
    for (const q of bank.questions) {
      if (q.expected.kind !== 'number') continue;
      const inFact = q.expected.value * (q.toFact?.scale ?? 1);
      expect(Math.abs(inFact - (e[q.factIds[0]!] as number)) / inFact).toBeLessThan(0.01);
    }
  });
});

describe('respondents', () => {
  const bank = syntheticBank('grocery');
  const direct = bank.questions.find((q) => q.id === 'sales.monthly.direct.0')!;
  const daily = bank.questions.find((q) => q.id === 'sales.monthly.indirect.1')!;
  const sales = bank.facts.find((f) => f.id === 'sales.monthly')!;

  it('answers the same way for the same seeds', () => {
    const a = createRespondent(drawProfile(bank, 'imprecise', seededRng(5)), seededRng(6));
    const b = createRespondent(drawProfile(bank, 'imprecise', seededRng(5)), seededRng(6));
    for (const q of bank.questions) expect(a.answer(q)).toEqual(b.answer(q));
  });

  it('mostly answers honestly within the bank’s tolerance', () => {
    let consistent = 0;
    for (let i = 0; i < 200; i++) {
      const r = createRespondent(drawProfile(bank, 'honest', seededRng(i)), seededRng(1000 + i));
      const v = verifyAnswer(direct, sales, r.answer(direct), []);
      if (v.outcome === 'consistent') consistent++;
    }
    expect(consistent).toBeGreaterThan(160);
  });

  it('has the evasive applicant decline far more often than the honest one', () => {
    const declines = (type: 'honest' | 'evasive') => {
      let n = 0;
      for (let i = 0; i < 200; i++) {
        const a = createRespondent(drawProfile(bank, type, seededRng(i)), seededRng(500 + i)).answer(direct);
        if (a.kind === 'none' && (a.intent === 'dont_know' || a.intent === 'refuse')) n++;
      }
      return n;
    };
    expect(declines('evasive')).toBeGreaterThan(3 * declines('honest'));
  });

  it('has a fabricator repeat the claim when asked directly and let the truth show through indirect questions', () => {
    let directOk = 0;
    let indirectOff = 0;
    let cases = 0;
    for (let i = 0; i < 300 && cases < 40; i++) {
      const profile = drawProfile(bank, 'fabricating', seededRng(i));
      if (!profile.fabricated.includes('sales.monthly')) continue;
      cases++;
      expect(profile.truth['sales.monthly']).toBeLessThan(profile.claims['sales.monthly'] as number);
      const r = createRespondent(profile, seededRng(900 + i));
      const d = r.answer(direct);
      const x = r.answer(daily);
      if (d.kind === 'number' && verifyAnswer(direct, sales, d, []).outcome === 'consistent') directOk++;
      if (x.kind === 'number' && verifyAnswer(daily, sales, x, []).outcome !== 'consistent') indirectOff++;
    }
    expect(cases).toBeGreaterThan(10);
    expect(directOk / cases).toBeGreaterThan(0.7);
    expect(indirectOff / cases).toBeGreaterThan(0.5);
    expect(truthLabels(bank, drawProfile(bank, 'honest', seededRng(3)))).toBeTypeOf('object');
  });

  it('sees only the question: the interview loop hands it nothing else', () => {
    const seen: unknown[][] = [];
    const inner = createRespondent(drawProfile(bank, 'honest', seededRng(1)), seededRng(2));
    const spy = { answer: (...args: unknown[]) => (seen.push(args), inner.answer(args[0] as typeof direct)) };
    const result = simulateInterview(bank, spy, {
      model: DEFAULT_ANSWER_MODEL,
      chooser: greedyChooser,
      budget: 6,
      rng: seededRng(3),
    });
    expect(seen.length).toBe(result.questions);
    for (const args of seen) {
      expect(args).toHaveLength(1);
      expect(Object.keys(args[0] as object).sort()).toEqual(Object.keys(direct).sort());
    }
  });
});

describe('simulateInterview', () => {
  it('runs an interview to a stop within the budget', () => {
    const bank = syntheticBank('livestock', { rng: seededRng(4) });
    const r = simulateInterview(
      bank,
      createRespondent(drawProfile(bank, 'honest', seededRng(5)), seededRng(6)),
      {
        model: DEFAULT_ANSWER_MODEL,
        budget: 8,
        iterations: 60,
        rng: seededRng(7),
      },
    );
    expect(r.questions).toBeLessThanOrEqual(8);
    expect(r.stop).toBeDefined();
    expect(r.shareTrace).toHaveLength(r.questions + 1);
    for (const d of r.decisions.slice(0, -1)) expect(d.chosen).not.toBeNull();
  });
});
