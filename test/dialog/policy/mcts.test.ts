import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../src/platform/deps.js';
import { DEFAULT_ANSWER_MODEL } from '../../../src/dialog/belief/index.js';
import { DEFAULT_BELIEF_CONFIG } from '../../../src/dialog/belief/update.js';
import type { Chooser, InterviewState } from '../../../src/dialog/policy/index.js';
import {
  applyAnswer,
  DEFAULT_SEARCH,
  candidatesOf,
  claimOwed,
  decideNext,
  fixedOrderChooser,
  followUpFor,
  greedyChooser,
  randomChooser,
  startInterview,
} from '../../../src/dialog/policy/index.js';
import {
  RESPONDENT_TYPES,
  createRespondent,
  drawProfile,
  simulateInterview,
  syntheticBank,
} from '../../../src/dialog/sim/index.js';
import { SECTORS } from '../../../src/questions/types.js';

const model = DEFAULT_ANSWER_MODEL;
const bank = syntheticBank('grocery');
const fresh = () => startInterview(bank, model);
const opts = (seed: number) => ({ rng: seededRng(seed), model, budget: 12, iterations: 150 });

/** Answers every question with the bank's own expectation, so every answer is consistent. */
function answerAsExpected(state: InterviewState, questionId: string): InterviewState {
  const q = bank.questions.find((x) => x.id === questionId)!;
  const e = q.expected;
  const answer =
    e.kind === 'number'
      ? { kind: 'number' as const, value: e.value, approx: false }
      : e.kind === 'boolean'
        ? { kind: 'boolean' as const, value: e.value }
        : { kind: 'choice' as const, value: e.kind === 'choice' ? e.value : '' };
  return applyAnswer(state, { questionId, mode: 'new' }, answer, model);
}

describe('decideNext with MCTS', () => {
  it('gives the same choice, scores and reasons for the same seed', () => {
    const a = decideNext(fresh(), opts(42));
    const b = decideNext(fresh(), opts(42));
    expect(a).toEqual(b);
    expect(a.chosen?.mode).toBe('new');
  });

  it('records the top alternatives with visit counts and values', () => {
    const d = decideNext(fresh(), opts(7));
    expect(d.reasons.rule).toBe('search');
    expect(d.reasons.alternatives.length).toBe(3);
    // The chosen move first, then the others by visits.
    const visits = d.reasons.alternatives.slice(1).map((a) => a.visits);
    expect(visits).toEqual([...visits].sort((x, y) => y - x));
    expect(d.reasons.alternatives.reduce((s, a) => s + a.visits, 0)).toBeLessThanOrEqual(150);
    expect(d.reasons.alternatives[0]!.questionId).toBe(d.chosen!.questionId);
    expect(Object.keys(d.scores).length).toBe(candidatesOf(fresh()).length);
  });

  it('stays deterministic over a whole interview', () => {
    const run = (seed: number) => {
      let s = fresh();
      const chosen: string[] = [];
      for (let i = 0; i < 5; i++) {
        const d = decideNext(s, opts(seed + i));
        chosen.push(d.chosen!.questionId);
        s = answerAsExpected(s, d.chosen!.questionId);
      }
      return chosen;
    };
    expect(run(3)).toEqual(run(3));
  });

  it('never proposes a question already asked', () => {
    let s = fresh();
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const d = decideNext(s, opts(i));
      expect(seen.has(d.chosen!.questionId)).toBe(false);
      seen.add(d.chosen!.questionId);
      s = answerAsExpected(s, d.chosen!.questionId);
    }
  });

  it('starts with a question about an important, doubtful fact rather than a control', () => {
    const d = decideNext(fresh(), opts(1));
    const q = bank.questions.find((x) => x.id === d.chosen!.questionId)!;
    expect(q.kind).not.toBe('control');
    expect(bank.facts.find((f) => f.id === q.factIds[0])!.importance).toBeGreaterThanOrEqual(0.6);
  });
});

describe('MCTS falls back to the one-step best move when its look-ahead is within noise', () => {
  /** A state midway, where the search has a real choice: the first two sales answers came in. */
  const midway = () => {
    let s = fresh();
    s = answerAsExpected(s, 'sales.monthly.direct.0');
    return answerAsExpected(s, 'debt.total.direct.0');
  };

  it('takes the greedy move when any margin must exceed a huge number of standard errors', () => {
    for (const seed of [1, 2, 3, 4]) {
      const g = decideNext(midway(), { ...opts(seed), chooser: greedyChooser });
      const m = decideNext(midway(), { ...opts(seed), fallbackZ: 1e9 });
      expect(m.chosen!.questionId).toBe(g.chosen!.questionId);
      expect(m.reasons.alternatives[0]!.questionId).toBe(m.chosen!.questionId);
    }
  });

  it('keeps the most visited move when no margin is asked for', () => {
    for (const seed of [1, 2, 3, 4]) {
      const m = decideNext(midway(), { ...opts(seed), fallbackZ: -1e9 });
      const visits = m.reasons.alternatives.map((a) => a.visits);
      expect(m.reasons.alternatives[0]!.visits).toBe(Math.max(...visits));
      expect(m.reasons.why).toMatch(/most visited/);
    }
  });

  it('takes the one-step move whenever the look-ahead reaches the end of the budget, however sure the search', () => {
    // Midway is two answers in: a budget of 2 + k leaves k questions, the look-ahead 3.
    let heldBack = 0;
    for (const left of [1, 2, 3, 4]) {
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const budget = 2 + left;
        const g = decideNext(midway(), { ...opts(seed), budget, chooser: greedyChooser });
        const m = decideNext(midway(), { ...opts(seed), budget, fallbackZ: -1e9 });
        if (left > DEFAULT_SEARCH.horizon) {
          expect(m.reasons.why).toMatch(/most visited/);
          continue;
        }
        expect(m.chosen!.questionId).toBe(g.chosen!.questionId);
        // The search's favourite (more visits than the move taken) was held back for the one-step move.
        if (m.reasons.alternatives.some((a) => a.visits > m.reasons.alternatives[0]!.visits)) {
          heldBack++;
          expect(m.reasons.why).toMatch(/end of the budget \(\d+ questions left\)/);
        }
      }
    }
    expect(heldBack).toBeGreaterThan(0);
  });

  it('overrides at the end of the budget as before for an interview opened without the rule', () => {
    let overridden = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const m = decideNext(midway(), { ...opts(seed), budget: 4, fallbackZ: -1e9, greedyAtBudgetEnd: false });
      const visits = m.reasons.alternatives.map((a) => a.visits);
      expect(m.reasons.alternatives[0]!.visits).toBe(Math.max(...visits));
      const g = decideNext(midway(), { ...opts(seed), budget: 4, chooser: greedyChooser });
      if (m.chosen!.questionId !== g.chosen!.questionId) overridden++;
    }
    // The search's favourite is not always the one-step best, so the rule changes choices (and is tested above).
    expect(overridden).toBeGreaterThan(0);
  });
});

/** A first answer a third of the expectation: sales go on follow-up. */
const salesClash = () =>
  applyAnswer(
    fresh(),
    { questionId: 'sales.monthly.direct.0', mode: 'new' },
    { kind: 'number', value: 20000, approx: false },
    model,
  );

describe('follow-ups and rephrasing', () => {
  it('follows a contradiction up once, from another question of the same fact, before recording it', () => {
    let s = salesClash();
    expect(s.pendingFollowUps).toEqual([{ factId: 'sales.monthly', questionId: 'sales.monthly.direct.0' }]);
    expect(s.belief.facts['sales.monthly']!.status).toBe('doubtful');

    const d = decideNext(s, opts(1));
    expect(d.reasons.rule).toBe('follow_up');
    expect(d.chosen).toMatchObject({
      mode: 'follow_up',
      followUpOf: 'sales.monthly.direct.0',
      settles: 'sales.monthly',
    });
    const fq = bank.questions.find((x) => x.id === d.chosen!.questionId)!;
    expect(fq.factIds).toContain('sales.monthly');
    expect(fq.id).not.toBe('sales.monthly.direct.0');
    expect(fq.kind).toBe('indirect');

    // The follow-up clashes too (700 a day ≈ 21000 a month): now it is recorded, and not followed up again.
    s = applyAnswer(s, d.chosen!, { kind: 'number', value: 700, approx: false }, model);
    expect(s.belief.facts['sales.monthly']!.status).toBe('contradicted');
    expect(s.pendingFollowUps).toEqual([]);
    expect(decideNext(s, opts(2)).chosen?.mode).toBe('new');
  });

  it('clears a contradiction that the follow-up does not confirm', () => {
    let s = salesClash();
    const d = decideNext(s, opts(1));
    s = applyAnswer(s, d.chosen!, { kind: 'number', value: 2000, approx: false }, model);
    expect(s.belief.facts['sales.monthly']!.status).not.toBe('contradicted');
    expect(s.belief.facts['sales.monthly']!.followUp).toBe('done');
  });

  it('puts a follow-up met with 不知道 once more from the next angle, and settles it after a second silence', () => {
    let s = salesClash();
    const first = decideNext(s, opts(1));
    expect(first.reasons.rule).toBe('follow_up');
    s = applyAnswer(s, first.chosen!, { kind: 'none', intent: 'dont_know' }, model);
    expect(s.belief.facts['sales.monthly']!.followUp).toBe('pending');

    const second = decideNext(s, opts(2));
    expect(second.reasons.rule).toBe('follow_up');
    expect(second.chosen!.settles).toBe('sales.monthly');
    expect(second.chosen!.questionId).not.toBe(first.chosen!.questionId);
    s = applyAnswer(s, second.chosen!, { kind: 'none', intent: 'refuse' }, model);
    expect(s.belief.facts['sales.monthly']!.followUp).toBe('done');
    expect(s.belief.facts['sales.monthly']!.contradictionRecorded).toBe(false);
    expect(decideNext(s, opts(3)).chosen?.mode).toBe('new');
  });

  it('re-asks the clashing question with its follow-up wording when no other question of the fact is left', () => {
    let s = fresh();
    s = applyAnswer(
      s,
      { questionId: 'household.size.direct.0', mode: 'new' },
      { kind: 'number', value: 9, approx: false },
      model,
    );
    const d = decideNext(s, opts(1));
    expect(d.chosen).toMatchObject({ questionId: 'household.size.direct.0', mode: 'follow_up' });
  });

  it('may put a question met with 不知道 or a refusal once more, after every question not yet asked', () => {
    let s = fresh();
    const silent = (id: string, intent: 'dont_know' | 'refuse') =>
      (s = applyAnswer(s, { questionId: id, mode: 'new' }, { kind: 'none', intent }, model));
    silent('debt.other_lenders.indirect.1', 'dont_know');
    silent('household.spending.indirect.1', 'refuse');
    s = answerAsExpected(s, 'sales.monthly.indirect.1');
    const c = candidatesOf(s);
    expect(c.slice(-2)).toEqual(['debt.other_lenders.indirect.1', 'household.spending.indirect.1']);
    expect(c).not.toContain('sales.monthly.indirect.1');
    expect(
      fixedOrderChooser.choose({ state: s, candidates: c, remaining: 9 }, { ...opts(1), ...DEFAULT_SEARCH }),
    ).toMatchObject({ questionId: c[0] });
    // Put again, it is a rephrase; a second silence is an answer, and it is not put a third time.
    const last: Chooser = {
      name: 'last',
      choose: (ctx) => ({ questionId: ctx.candidates.at(-1)!, scores: {}, alternatives: [], why: 'test' }),
    };
    const d = decideNext(s, { ...opts(1), chooser: last });
    expect(d.chosen).toEqual({
      questionId: 'household.spending.indirect.1',
      mode: 'rephrase',
      followUpOf: 'household.spending.indirect.1',
    });
    s = applyAnswer(s, d.chosen!, { kind: 'none', intent: 'dont_know' }, model);
    expect(s.pendingRephrase).toBeUndefined();
    expect(candidatesOf(s)).not.toContain('household.spending.indirect.1');
    expect(candidatesOf(s).at(-1)).toBe('debt.other_lenders.indirect.1');
  });

  it('follows a clash up on a question of the fact that met silence rather than the clashing one again', () => {
    let s = applyAnswer(
      fresh(),
      { questionId: 'debt.other_lenders.indirect.1', mode: 'new' },
      { kind: 'none', intent: 'dont_know' },
      model,
    );
    const q = bank.questions.find((x) => x.id === 'debt.other_lenders.direct.0')!;
    const expected = q.expected.kind === 'boolean' && q.expected.value;
    s = applyAnswer(s, { questionId: q.id, mode: 'new' }, { kind: 'boolean', value: !expected }, model);
    expect(s.pendingFollowUps[0]).toMatchObject({ factId: 'debt.other_lenders' });
    expect(followUpFor(s, s.pendingFollowUps[0]!).id).toBe('debt.other_lenders.indirect.1');
  });

  it('puts a follow-up met with silence once more from another angle, not the same question again', () => {
    const q = bank.questions.find((x) => x.id === 'debt.other_lenders.direct.0')!;
    const expected = q.expected.kind === 'boolean' && q.expected.value;
    let s = applyAnswer(
      fresh(),
      { questionId: q.id, mode: 'new' },
      { kind: 'boolean', value: !expected },
      model,
    );
    const first = decideNext(s, opts(1));
    expect(first.chosen).toMatchObject({ questionId: 'debt.other_lenders.indirect.1', mode: 'follow_up' });
    s = applyAnswer(s, first.chosen!, { kind: 'none', intent: 'dont_know' }, model);
    // The fact has no other question: the clashing one is put again with its follow-up wording.
    expect(decideNext(s, opts(2)).chosen).toMatchObject({ questionId: q.id, mode: 'follow_up' });
  });

  it('never offers a question asked twice, nor one twice, nor one answered with a value', () => {
    const ids = bank.questions.map((q) => q.id);
    const answers = [
      { kind: 'none' as const, intent: 'dont_know' as const },
      { kind: 'none' as const, intent: 'refuse' as const },
      { kind: 'none' as const, intent: 'unparseable' as const },
      { kind: 'number' as const, value: 1, approx: false },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...answers)), { maxLength: 12 }),
        (turns) => {
          let s = fresh();
          for (const [id, a] of turns) s = applyAnswer(s, { questionId: id, mode: 'new' }, a, model);
          const c = candidatesOf(s);
          expect(new Set(c).size).toBe(c.length);
          for (const id of c) {
            const asked = s.turns.filter((t) => t.questionId === id);
            expect(asked.length).toBeLessThanOrEqual(1);
            if (asked.length === 1)
              expect(['dont_know', 'refuse']).toContain((asked[0]!.answer as { intent?: string }).intent);
          }
        },
      ),
    );
  });

  it('rephrases once after an answer it could not read', () => {
    let s = fresh();
    s = applyAnswer(
      s,
      { questionId: 'sales.monthly.direct.0', mode: 'new' },
      { kind: 'none', intent: 'unparseable' },
      model,
    );
    const d = decideNext(s, opts(1));
    expect(d.chosen).toMatchObject({ questionId: 'sales.monthly.direct.0', mode: 'rephrase' });
    s = applyAnswer(s, d.chosen!, { kind: 'none', intent: 'unparseable' }, model);
    expect(decideNext(s, opts(2)).chosen?.mode).toBe('new');
  });
});

describe('the claim of a figure its follow-up left disputed', () => {
  /** Daily takings of 1,300 (39,000 a month against 60,000) clash; the follow-up, 40,000 of stock a month, neither
   *  bears the clash out nor clears it: sales stand disputed, and the direct question has not been asked. */
  const disputed = () => {
    let s = applyAnswer(
      fresh(),
      { questionId: 'sales.monthly.indirect.1', mode: 'new' },
      { kind: 'number', value: 1300, approx: false },
      model,
    );
    const d = decideNext(s, opts(1));
    expect(d.chosen).toMatchObject({ questionId: 'sales.monthly.indirect.2', mode: 'follow_up' });
    s = applyAnswer(s, d.chosen!, { kind: 'number', value: 40000, approx: false }, model);
    const f = s.belief.facts['sales.monthly']!;
    expect(f).toMatchObject({ followUp: 'done', contradictionRecorded: false });
    expect(f.p).toBeLessThan(DEFAULT_BELIEF_CONFIG.consistentAt);
    return s;
  };

  it('puts the direct question next, before any free choice, and records or clears on its answer', () => {
    const s = disputed();
    const d = decideNext(s, opts(2));
    expect(d.chosen).toEqual({ questionId: 'sales.monthly.direct.0', mode: 'new' });
    expect(d.reasons.rule).toBe('follow_up');
    expect(d.reasons.why).toContain('sales.monthly');
    // The claim said again against the worked-out figures bears the clash out; a figure between them does not.
    const claim = applyAnswer(s, d.chosen!, { kind: 'number', value: 60000, approx: false }, model);
    expect(claim.belief.facts['sales.monthly']!.status).toBe('contradicted');
    const between = applyAnswer(s, d.chosen!, { kind: 'number', value: 50000, approx: false }, model);
    expect(between.belief.facts['sales.monthly']!.contradictionRecorded).toBe(false);
    // Owed once: with its answer in, the chooser decides again.
    expect(decideNext(between, opts(3)).reasons.rule).toBe('search');
  });

  it('owes nothing under rules kept before it existed, nor when switched off', () => {
    const s = disputed();
    const { claimAfterFollowUp: _absent, ...before } = DEFAULT_BELIEF_CONFIG;
    expect(claimOwed(s, before)).toBeUndefined();
    expect(claimOwed(s, { ...DEFAULT_BELIEF_CONFIG, claimAfterFollowUp: false })).toBeUndefined();
    expect(decideNext(s, { ...opts(2), beliefConfig: before }).reasons.rule).toBe('search');
  });

  it('owes nothing once the direct question was asked, nor for a clash the follow-up settled', () => {
    let s = answerAsExpected(fresh(), 'sales.monthly.direct.0');
    s = applyAnswer(
      s,
      { questionId: 'sales.monthly.indirect.1', mode: 'new' },
      { kind: 'number', value: 1300, approx: false },
      model,
    );
    const d = decideNext(s, opts(1));
    s = applyAnswer(s, d.chosen!, { kind: 'number', value: 40000, approx: false }, model);
    expect(claimOwed(s, DEFAULT_BELIEF_CONFIG)).toBeUndefined();
    // Borne out (recorded) or cleared (p back at the consistent level): nothing is disputed.
    let r = applyAnswer(
      fresh(),
      { questionId: 'sales.monthly.indirect.1', mode: 'new' },
      { kind: 'number', value: 1300, approx: false },
      model,
    );
    r = applyAnswer(
      r,
      decideNext(r, opts(1)).chosen!,
      { kind: 'number', value: 30000, approx: false },
      model,
    );
    expect(r.belief.facts['sales.monthly']!.contradictionRecorded).toBe(true);
    expect(claimOwed(r, DEFAULT_BELIEF_CONFIG)).toBeUndefined();
  });

  it('owes nothing for a yes/no fact, whose direct answer a misstating applicant only repeats', () => {
    const s = fresh();
    const disputedFact = (id: string) => ({
      ...s,
      belief: {
        ...s.belief,
        facts: { ...s.belief.facts, [id]: { ...s.belief.facts[id]!, followUp: 'done' as const, p: 0.3 } },
      },
    });
    expect(claimOwed(disputedFact('debt.other_lenders'), DEFAULT_BELIEF_CONFIG)).toBeUndefined();
    expect(claimOwed(disputedFact('sales.monthly'), DEFAULT_BELIEF_CONFIG)?.id).toBe(
      'sales.monthly.direct.0',
    );
  });

  /** Runs one simulated interview and checks every claim the rule put in it; returns how many there were. */
  function claimsChecked(
    sector: (typeof SECTORS)[number],
    type: (typeof RESPONDENT_TYPES)[number],
    seed: number,
  ) {
    let claims = 0;
    const b = syntheticBank(sector, { caseId: `p-${seed}`, rng: seededRng(seed) });
    const profile = drawProfile(b, type, seededRng(seed + 1));
    const r = simulateInterview(b, createRespondent(profile, seededRng(seed + 2)), {
      model,
      budget: 12,
      iterations: 20,
      rng: seededRng(seed + 3),
    });
    expect(r.state.turns.length).toBeLessThanOrEqual(12);
    r.decisions.forEach((d, i) => {
      if (!d.reasons.why.includes('still disputed after its follow-up')) return;
      claims++;
      const q = b.questions.find((x) => x.id === d.chosen!.questionId)!;
      expect(['direct', 'control']).toContain(q.kind);
      expect(r.state.turns.slice(0, i).some((t) => t.questionId === q.id)).toBe(false);
      const history = r.state.belief.facts[q.factIds[0]!]!.history;
      const before = history.filter((h) =>
        r.state.turns.slice(0, i).some((t) => t.questionId === h.questionId),
      );
      expect(before.at(-1)!.pAfter).toBeLessThan(DEFAULT_BELIEF_CONFIG.consistentAt);
    });
    return claims;
  }

  it('in simulated interviews puts each claim once, unasked before, for a disputed figure, within the budget', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SECTORS),
        fc.constantFrom(...RESPONDENT_TYPES),
        fc.integer({ min: 1, max: 1_000_000 }),
        (sector, type, seed) => {
          claimsChecked(sector, type, seed);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('puts such a claim at all: among fabricators of fixed seeds (forty random interviews may have none)', () => {
    let claims = 0;
    for (let seed = 1; seed <= 400 && claims === 0; seed++)
      claims += claimsChecked(SECTORS[seed % SECTORS.length]!, 'fabricating', seed);
    expect(claims).toBeGreaterThan(0);
  });
});

describe('stop conditions', () => {
  it('stops when the applicant leaves', () => {
    const s = applyAnswer(
      fresh(),
      { questionId: 'sales.monthly.direct.0', mode: 'new' },
      { kind: 'none', intent: 'leave' },
      model,
    );
    expect(decideNext(s, opts(1))).toMatchObject({ chosen: null, stop: { reason: 'applicant_left' } });
  });

  it('stops when the budget is spent, even with a follow-up owed', () => {
    let s = fresh();
    s = applyAnswer(
      s,
      { questionId: 'sales.monthly.direct.0', mode: 'new' },
      { kind: 'number', value: 1, approx: false },
      model,
    );
    expect(decideNext(s, { ...opts(1), budget: 1 })).toMatchObject({
      chosen: null,
      stop: { reason: 'budget_spent' },
    });
  });

  it('stops when the weighted doubt is at or below the target', () => {
    expect(decideNext(fresh(), { ...opts(1), doubtTarget: 1 }).stop).toEqual({ reason: 'doubt_low' });
  });

  it('stops when every question was asked', () => {
    let s = fresh();
    for (const q of bank.questions) s = answerAsExpected(s, q.id);
    expect(decideNext(s, { ...opts(1), budget: 100, doubtTarget: 0 }).stop).toEqual({
      reason: 'no_questions',
    });
  });

  it('lowers the weighted doubt as consistent answers come in', () => {
    let s = fresh();
    const before = decideNext(s, opts(1)).reasons.doubt;
    for (let i = 0; i < 4; i++) s = answerAsExpected(s, decideNext(s, opts(i)).chosen!.questionId);
    expect(decideNext(s, opts(9)).reasons.doubt).toBeLessThan(before);
  });
});

describe('baselines', () => {
  it('fixed order takes the first unasked question of the bank', () => {
    const d = decideNext(fresh(), { ...opts(1), chooser: fixedOrderChooser });
    expect(d.chosen!.questionId).toBe(bank.questions[0]!.id);
  });

  it('greedy takes the largest exact one-step gain and random depends only on its seed', () => {
    const g = decideNext(fresh(), { ...opts(1), chooser: greedyChooser });
    const best = Math.max(...Object.values(g.scores));
    expect(g.scores[g.chosen!.questionId]).toBe(best);
    const r1 = decideNext(fresh(), { ...opts(5), chooser: randomChooser });
    const r2 = decideNext(fresh(), { ...opts(5), chooser: randomChooser });
    expect(r1.chosen).toEqual(r2.chosen);
  });
});
