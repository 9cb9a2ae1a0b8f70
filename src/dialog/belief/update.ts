/**
 * Bayesian belief update per fact from verified answers. Pure: (belief, verification, model) → new belief.
 */
import type { FactDef, QuestionBank } from '../../questions/types.js';
import type { AnswerModel } from './answer-model.js';
import { outcomeLikelihoods, reliabilityMean } from './answer-model.js';
import type { BeliefState, FactBelief, FactStatus, Outcome, Reliability, Verification } from './types.js';
import { canBeEvidence } from './verify.js';

export interface BeliefConfig {
  /** p at or above which a fact with evidence is called consistent. */
  consistentAt: number;
  /** p below which a contradiction that survived its follow-up stands even if the follow-up was not a clash. */
  contradictedBelow: number;
  /** A doubtful answer that leaves p below this (the fact now likelier wrong than right) is followed up too. */
  followUpBelow: number;
  /** p is kept in [pFloor, 1 − pFloor] so that no single answer settles a fact for good. */
  pFloor: number;
  /**
   * The lowest p a fact starts at, however much the bank doubts it. The bank's prior doubt is a reason to ask, not a
   * finding: a fact is recorded contradicted only on the applicant's own answers. Read as p = 1 − doubt all the way,
   * a fact the catalogue doubts at 0.96 (sales that the purchases and margin do not bear out) started at p 0.04,
   * where no single answer lifts it past ½ and so, under the doubt measure (doubt.ts), no answer has any value:
   * neither the search nor the one-step chooser ever asked about the very facts the bank doubted most.
   */
  startAtLeast: number;
  /**
   * The doubt a screening record adds to a fact it makes positive (a catalogue fact's `flagWhenPositive`), by
   * severity: the catalogue's `params.doubt.warn` / `fail` (src/questions/catalogue/default.ts). The bank's prior
   * doubt counts the record as doubt about the applicant, but the same record is where the expectation "yes" comes
   * from: as doubt that the fact is as expected it is counted against the very value it supports, so it is taken
   * out of the fact's starting belief (`startingDoubt`).
   */
  screeningFlagDoubt: Record<'warn' | 'fail', number>;
  /**
   * A figure's contradiction is judged on the applicant's answers alone: after its follow-up it is recorded when the
   * answers would leave the fact below `contradictedBelow` had it started at `startAtLeast` (a Bayes factor of 3
   * against it with the defaults), not only when they outweigh the bank's confidence in it as well. The mirror of
   * `startAtLeast`: the bank's doubt is a reason to ask, not a finding, and its lack of doubt (an officer's figure
   * nothing contradicted, p 0.9) is no reason to leave a clash of the applicant's own figures unrecorded. Figures
   * only (answers judged pooled, with their own Bayes factor, pooled.ts): one slip on a yes/no or a choice, which
   * an honest applicant makes in 3% of answers, is not such evidence, and recording it flagged a tenth of the
   * honest applicants on the production catalogue's banks.
   */
  figuresOnAnswersAlone: boolean;
  /**
   * A figure its follow-up left disputed — it clashed, was followed up from another angle, and stands neither
   * recorded nor cleared (p below `consistentAt`) — is put to the applicant in its own terms: its direct question, if
   * it was not asked yet, comes before any free choice and before a stop for low doubt (src/dialog/policy/decide.ts,
   * `claimOwed`). The claim said once more against the applicant's own worked-out figures is the third reading the
   * pooled judgement weighs (pooled.ts): it records the contradiction when the answers together bear it out, and
   * otherwise leaves the fact where they put it. The search and the one-step chooser value a direct question by the outcome table,
   * which cannot see that, and so left such a fact disputed at p ½–¾ while the budget went to others. Figures only;
   * absent (an interview opened before this rule): no such question is owed.
   */
  claimAfterFollowUp?: boolean;
}

export const DEFAULT_BELIEF_CONFIG: BeliefConfig = {
  consistentAt: 0.8,
  contradictedBelow: 0.25,
  followUpBelow: 0.5,
  pFloor: 1e-4,
  startAtLeast: 0.5,
  screeningFlagDoubt: { warn: 0.6, fail: 0.9 },
  figuresOnAnswersAlone: true,
  claimAfterFollowUp: true,
};

/**
 * p as the answers alone leave it: the belief `p` of a fact that started at `pStart`, moved to start at
 * `startAtLeast` instead when it started above it (the same Bayes factor of the answers from a neutral start).
 */
export function onAnswersAlone(
  p: number,
  pStart: number,
  config: BeliefConfig = DEFAULT_BELIEF_CONFIG,
): number {
  const from = Math.min(pStart, config.startAtLeast);
  if (!(pStart > from) || !(p > 0) || !(p < 1)) return p;
  const odds = (p / (1 - p)) * ((from / (1 - from)) * ((1 - pStart) / pStart));
  return odds / (1 + odds);
}

const emptyEvidence = (): Record<Outcome, number> => ({
  consistent: 0,
  doubtful: 0,
  contradicted: 0,
  none: 0,
});

/**
 * The belief before the interview: p = 1 − the bank's prior doubt of each fact (½ when the bank gives none), but not
 * below `startAtLeast`. A fact no question of the bank can give evidence about (the applicant's willingness to repay,
 * asked in their own words with nothing to compare them with, `canBeEvidence`) weighs nothing in the doubt: its
 * answers are for the expert, and no answer can move it. With its catalogue importance (0.45) the outcome table,
 * which knows only the question's kind, promised the search as much from it as from any indirect question, and
 * it was put in nearly every interview on production-catalogue banks, a twelfth of the budget, for nothing.
 */
export function initBelief(
  bank: QuestionBank,
  model: AnswerModel,
  config: BeliefConfig = DEFAULT_BELIEF_CONFIG,
): BeliefState {
  const facts: Record<string, FactBelief> = {};
  const checkable = new Set<string>();
  for (const q of bank.questions) if (canBeEvidence(q)) for (const f of q.factIds) checkable.add(f);
  for (const def of bank.facts) {
    const prior = startingDoubt(bank, def, config);
    const p = clamp(Math.max(1 - (prior ?? 0.5), config.startAtLeast), config.pFloor);
    facts[def.id] = {
      factId: def.id,
      importance: checkable.has(def.id) ? def.importance : 0,
      p,
      status: 'unknown',
      confidence: Math.max(p, 1 - p),
      evidence: emptyEvidence(),
      observations: [],
      followUp: 'none',
      contradictionRecorded: false,
      history: [],
    };
  }
  return { facts, reliability: { ...model.reliabilityPrior } };
}

/**
 * The bank's prior doubt of a fact as doubt that the fact is as expected. A yes/no fact whose expectation "yes" comes
 * from a screening record that also flags it (arrears elsewhere, a court record: `flagWhenPositive`) has the record's
 * doubt taken out of the noisy-or the bank combined its reasons with, 1 − (1 − doubt) / (1 − flag): the record is
 * evidence FOR the expected "yes", and its doubt is about the applicant, which the answers about other facts settle.
 * Counted against the fact, it started such a fact at p ½, where one slip of an honest applicant ("no arrears",
 * 3% of answers) followed by a truthful "yes" left p near 0.1 and was recorded as a contradiction: 15 of the 23 honest
 * applicants flagged on the tuning interviews of the production catalogue. Other facts keep the bank's doubt.
 */
export function startingDoubt(
  bank: QuestionBank,
  def: FactDef,
  config: BeliefConfig = DEFAULT_BELIEF_CONFIG,
): number | undefined {
  const prior = bank.priorDoubt[def.id];
  if (prior === undefined || !def.flagWhenPositive || def.answerType !== 'yes_no') return prior;
  if (expectedOf(bank, def.id) !== true) return prior;
  const flag = config.screeningFlagDoubt[def.flagWhenPositive];
  if (!(flag < 1)) return prior;
  return Math.min(prior, Math.max(0, 1 - (1 - prior) / (1 - flag)));
}

/**
 * The bank's expectation of a yes/no fact: that of the question asking for the fact itself (its 'stated' route),
 * else of its first direct question; a question may ask the opposite ("all paid on time?"), so not any question.
 */
function expectedOf(bank: QuestionBank, factId: string): boolean | undefined {
  const own = bank.questions.filter((q) => q.factIds[0] === factId && q.expected.kind === 'boolean');
  const q = own.find((x) => x.route === 'stated') ?? own.find((x) => x.kind === 'direct');
  return q?.expected.kind === 'boolean' ? q.expected.value : undefined;
}

const clamp = (p: number, floor: number) => Math.min(1 - floor, Math.max(floor, p));

/**
 * Bayes' rule on the odds: odds' = odds × LR^strength, LR = P(o | true) / P(o | false). Tempering by the answer's
 * strength (0..1) discounts rough answers. The direction of an outcome is fixed by its meaning — a consistent
 * answer is never evidence against the fact, a contradiction never evidence for it — so a fitted model that says
 * otherwise (noise in small counts) is clamped to no evidence.
 */
export function posterior(
  p: number,
  outcome: Outcome,
  lik: { ifTrue: number; ifFalse: number },
  strength: number,
  floor = DEFAULT_BELIEF_CONFIG.pFloor,
): number {
  return posteriorOf(p, outcome, lik.ifTrue, lik.ifFalse, strength, floor);
}

/** `posterior` without the likelihood object, for the search's inner loop. */
export function posteriorOf(
  p: number,
  outcome: Outcome,
  ifTrue: number,
  ifFalse: number,
  strength: number,
  floor: number,
): number {
  let lr = ifTrue / ifFalse;
  if (outcome === 'consistent') lr = Math.max(1, lr);
  if (outcome === 'contradicted') lr = Math.min(1, lr);
  const s = Math.min(1, Math.max(0, strength));
  const odds = (p / (1 - p)) * (s === 1 ? lr : Math.pow(lr, s));
  return clamp(odds / (1 + odds), floor);
}

/** Control questions test what an insider knows: their outcome moves the respondent's reliability. */
export function updateReliability(r: Reliability, outcome: Outcome, strength: number): Reliability {
  switch (outcome) {
    case 'consistent':
      return { alpha: r.alpha + strength, beta: r.beta };
    case 'doubtful':
      return { alpha: r.alpha, beta: r.beta + 0.5 * strength };
    case 'contradicted':
      return { alpha: r.alpha, beta: r.beta + strength };
    case 'none':
      return r;
  }
}

export function statusOf(f: FactBelief, config: BeliefConfig = DEFAULT_BELIEF_CONFIG): FactStatus {
  if (f.contradictionRecorded) return 'contradicted';
  const answered =
    f.evidence.consistent + f.evidence.doubtful + f.evidence.contradicted + f.observations.length;
  if (answered === 0) return 'unknown';
  if (f.followUp === 'pending') return 'doubtful';
  return f.p >= config.consistentAt ? 'consistent' : 'doubtful';
}

export interface ApplyOptions {
  /** This answer is the follow-up of the fact's pending contradiction: it settles it one way or the other. */
  settlesFollowUp?: boolean;
  config?: BeliefConfig;
}

/**
 * Applies one verification to the belief. A first contradiction — a clashing answer, or a doubtful one that
 * leaves p below `followUpBelow` — puts the fact's follow-up in 'pending' (the policy asks once more from
 * another angle); the contradiction is recorded only if the follow-up clashes too or leaves p below
 * `contradictedBelow`, or if a contradiction comes after the follow-up was had.
 */
export function applyVerification(
  belief: BeliefState,
  v: Verification,
  model: AnswerModel,
  options: ApplyOptions = {},
): BeliefState {
  const config = options.config ?? DEFAULT_BELIEF_CONFIG;
  const prev = belief.facts[v.factId];
  if (!prev) return belief;
  const f: FactBelief = {
    ...prev,
    evidence: { ...prev.evidence },
    observations: prev.observations,
    history: [...prev.history],
  };
  const pBefore = f.p;
  if (v.outcome !== 'unverifiable') {
    if (v.logLikelihoodRatio !== undefined && v.outcome !== 'none') {
      // Pooled judgement: the answer's own Bayes factor, which already counts its roughness and the reliability.
      const lr = Math.exp(Math.max(-50, Math.min(50, v.logLikelihoodRatio)));
      f.p = posteriorOf(f.p, v.outcome, lr, 1, 1, config.pFloor);
    } else {
      const lik = outcomeLikelihoods(model, v.questionKind, v.outcome, reliabilityMean(belief.reliability));
      f.p = posterior(f.p, v.outcome, lik, v.strength, config.pFloor);
    }
    f.evidence[v.outcome] += 1;
  }
  if (v.factValue !== undefined || v.factLow !== undefined) {
    f.observations = [
      ...prev.observations,
      {
        questionId: v.questionId,
        questionKind: v.questionKind,
        value: v.factValue,
        low: v.factLow,
        high: v.factHigh,
        approx: v.strength < 1,
        ...(v.factExpected !== undefined ? { expected: v.factExpected } : {}),
      },
    ];
  }
  // A contradiction is a clashing answer, or a doubtful one that leaves the fact likelier wrong than right. The
  // first is followed up; after the follow-up it stands if p stays below `contradictedBelow`.
  const doubtfulClash = v.outcome === 'doubtful' && f.p < config.followUpBelow;
  // The first answer's pBefore is where the fact started (`initBelief`): no other step moves p.
  const alone =
    config.figuresOnAnswersAlone && v.logLikelihoodRatio !== undefined
      ? onAnswersAlone(f.p, prev.history[0]?.pBefore ?? pBefore, config)
      : f.p;
  const below = f.p < config.contradictedBelow || alone < config.contradictedBelow;
  const wasRecorded = f.contradictionRecorded;
  if (options.settlesFollowUp && f.followUp === 'pending') {
    f.followUp = 'done';
    if (v.outcome === 'contradicted' || below) f.contradictionRecorded = true;
  } else if (v.outcome === 'contradicted' || doubtfulClash) {
    if (f.followUp === 'none') f.followUp = 'pending';
    else if (f.followUp === 'done' && (v.outcome === 'contradicted' || below)) {
      f.contradictionRecorded = true;
    }
  }
  // A finding recorded on the answers alone while p is still above the threshold says so, for compliance.
  const why =
    f.contradictionRecorded && !wasRecorded && f.p >= config.contradictedBelow
      ? `${v.why}; contradiction recorded on the answers alone (p ${alone.toFixed(2)} from an even start)`
      : v.why;
  f.history.push({
    questionId: v.questionId,
    outcome: v.outcome,
    pBefore,
    pAfter: f.p,
    code: v.code,
    why,
  });
  f.status = statusOf(f, config);
  f.confidence = Math.max(f.p, 1 - f.p);
  const reliability =
    v.questionKind === 'control' && v.outcome !== 'unverifiable'
      ? updateReliability(belief.reliability, v.outcome, v.strength)
      : belief.reliability;
  return { facts: { ...belief.facts, [v.factId]: f }, reliability };
}
