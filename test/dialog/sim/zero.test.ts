import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../src/platform/deps.js';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import type { QuestionBank } from '../../../src/questions/types.js';
import { createNlu } from '../../../src/dialog/nlu/index.js';
import {
  RESPONDENT_TYPES,
  createRespondent,
  drawProfile,
  expectedFactValues,
  truthLabels,
} from '../../../src/dialog/sim/index.js';
import { say } from '../../support/say.js';

// The transport case owes nothing privately (bs.private_borrowing 0) and the crops case has no staff: the bank
// expects exactly 0, the range 0–0, of every question about them.
const transport = generateBank(SAMPLE_CASES.transport, DEFAULT_CATALOGUE, { seed: 1 });
const crops = generateBank(SAMPLE_CASES.crops, DEFAULT_CATALOGUE, { seed: 1 });
const nlu = createNlu();

const questionsOf = (bank: QuestionBank, factId: string) => {
  const qs = bank.questions.filter((q) => q.factIds[0] === factId);
  for (const q of qs) expect(q.expected).toEqual({ kind: 'range', low: 0, high: 0 });
  return qs;
};

describe('a fact the bank expects at exactly 0', () => {
  const cases = [
    [transport, 'loans.private_borrowing'],
    [crops, 'staff.count'],
  ] as const;

  it.each(cases)('is truly 0 for every applicant, fabricators included (%#)', (bank, factId) => {
    expect(questionsOf(bank, factId).length).toBeGreaterThan(0);
    expect(expectedFactValues(bank)[factId]).toBe(0);
    for (const type of RESPONDENT_TYPES) {
      for (let i = 0; i < 100; i++) {
        const profile = drawProfile(bank, type, seededRng(i));
        expect(profile.truth[factId]).toBe(0);
        expect(profile.fabricated).not.toContain(factId);
        expect(truthLabels(bank, profile)[factId]).toBe(true);
      }
    }
  });

  it.each(cases)('is answered 0, which the NLU reads as 0, not 不知道 (%#)', (bank, factId) => {
    for (const q of questionsOf(bank, factId)) {
      let zeros = 0;
      for (let i = 0; i < 100; i++) {
        const a = createRespondent(drawProfile(bank, 'honest', seededRng(i)), seededRng(700 + i)).answer(q);
        if (a.kind === 'none') continue; // the honest applicant's rare 不清楚 / refusal / departure
        expect(a).toEqual({ kind: 'number', value: 0, approx: false });
        const { text } = say(a, q);
        const u = nlu.understand(text!, {
          answerType: q.answerType,
          ...(q.unit ? { unit: q.unit } : {}),
          lang: 'zh-CN',
        });
        expect(u.intent, `${q.id}: ${text}`).toBe('answer');
        expect(u.parsed).toMatchObject({ kind: 'number', value: 0 });
        zeros++;
      }
      expect(zeros).toBeGreaterThan(85);
    }
  });

  it('is answered 0 outright by an imprecise applicant too, not as a range 0 to 0 or 大概0', () => {
    for (const q of questionsOf(transport, 'loans.private_borrowing')) {
      let answered = 0;
      for (let i = 0; i < 50; i++) {
        const a = createRespondent(drawProfile(transport, 'imprecise', seededRng(i)), seededRng(i)).answer(q);
        if (a.kind === 'none') continue;
        expect(a).toEqual({ kind: 'number', value: 0, approx: false });
        answered++;
      }
      expect(answered).toBeGreaterThan(35);
    }
  });
});
