/**
 * The pure core of the pipeline, in two halves around the model (whose ONNX call is the one asynchronous step):
 * `prepareScoring` builds the feature row; `completePipeline` takes the model's score and runs the scorecard, the
 * admission rules, the limit and term, the price and the decision. Same inputs, same configuration and the same
 * model score give the same body, which is what a replay checks.
 *
 * Scoring needs the instalment (cash-flow cover) and the instalment needs the price, which needs the score. The
 * circle is cut by scoring the instalment of the loan asked for at the product's highest rate: a stressed cover
 * that does not depend on the price it determines. The limit and the price then settle together: the limit at
 * the priced rate, the offer re-priced (a smaller loan carries more fixed cost per yuan), until the rate stops
 * rising (at most MAX_ROUNDS rounds).
 */
import type { PipelineInputs } from '../features.js';
import { buildFeatureRow } from '../features.js';
import type { LimitConfig, LimitRecommendation } from '../limit/index.js';
import { loanBurden, recommendLimit } from '../limit/index.js';
import type { FeatureRow } from '../model/index.js';
import type { LoanPrice, PricingParams } from '../pricing/index.js';
import { priceLoan } from '../pricing/index.js';
import type { Scorecard } from '../scorecard/index.js';
import { scoreScorecard } from '../scorecard/index.js';
import { decideOutcome, missingOfScorecard, worseGrade } from './outcome.js';
import type { DecisionRules } from './rules.js';
import { evaluateAdmission } from './rules.js';
import type { CaseInputs, InterviewFactInput, MissingItem, ModelScore, PipelineBody } from './types.js';

/** The configuration a run uses; recorded whole with the result so a replay needs nothing else. */
export interface PipelineConfig {
  rules: DecisionRules;
  scorecard: Scorecard;
  /** The pricing parameter set in force on the run's date. */
  pricing: PricingParams;
  limit: LimitConfig;
}

const MAX_ROUNDS = 5;

/** The monthly burden of the requested loan at the product's highest rate (src/scoring/limit: loanBurden). */
export function scoringInstalmentFen(inputs: CaseInputs, pricing: PricingParams): number {
  const { amountFen, termMonths, method } = inputs.loan;
  const rateBp = Math.min(pricing.product.capRateBp, pricing.legalCeilingBp);
  return loanBurden(amountFen, termMonths, method, rateBp).burdenFen;
}

/** The features' view of the inputs (src/scoring/features.ts): only consistent facts count as verified. */
export function featureInputsOf(inputs: CaseInputs, instalmentFen: number | null): PipelineInputs {
  const f = inputs.financials;
  const iv = inputs.interview;
  const overdue = inputs.screening?.facts['credit.overdue_accounts'];
  return {
    survey: {
      sector: inputs.applicant.sector,
      yearsInBusiness: inputs.survey.yearsInBusiness,
      softInformation: inputs.survey.softInformation,
    },
    financials: {
      disposableMonthlyFen: f?.disposableMonthlyFen ?? null,
      instalmentFen,
      totalLiabilitiesFen: f?.totalLiabilitiesFen ?? null,
      totalAssetsFen: f?.totalAssetsFen ?? null,
      marginStability: f?.marginStability ?? null,
    },
    screening: {
      creditOverdueCount:
        overdue?.status === 'ok' && typeof overdue.value === 'number' ? overdue.value : null,
    },
    interview: iv
      ? {
          reliability: iv.reliability.mean,
          contradictions: iv.facts.filter((x) => x.contradictionRecorded).length,
          facts: Object.fromEntries(
            iv.facts.map((x) => [x.factId, { status: x.status, observations: x.observations }]),
          ),
        }
      : null,
  };
}

export interface Prepared {
  instalmentFen: number;
  row: FeatureRow;
}

export function prepareScoring(inputs: CaseInputs, config: PipelineConfig): Prepared {
  const instalmentFen = scoringInstalmentFen(inputs, config.pricing);
  return { instalmentFen, row: buildFeatureRow(featureInputsOf(inputs, instalmentFen)) };
}

function missingItems(
  inputs: CaseInputs,
  body: Omit<PipelineBody, 'missing' | 'outcome' | 'reasons'>,
  modelWhy: string | null,
) {
  const out: MissingItem[] = [];
  const add = (m: MissingItem) => {
    if (!out.some((x) => x.key === m.key)) out.push(m);
  };
  if (!inputs.screening)
    add({
      key: 'screening',
      label: { 'zh-CN': '外部数据筛查', 'en-US': 'Outside-data screening' },
      why: 'the case was never screened',
    });
  if (!inputs.interview)
    add({
      key: 'interview',
      label: { 'zh-CN': '远程访谈', 'en-US': 'Remote interview' },
      why: 'no interview is known for the case',
    });
  if (!inputs.financials)
    add({
      key: 'financials',
      label: { 'zh-CN': 'IPC 报表', 'en-US': 'IPC accounts' },
      why: 'the survey does not yet rebuild the accounts',
    });
  for (const r of body.admission)
    if (r.status === 'missing') {
      for (const key of r.sources) {
        const fact = key.startsWith('screening:') ? inputs.screening?.facts[key.slice(10)] : undefined;
        add({
          key,
          label: r.label,
          why: fact ? `screening ${fact.status}${fact.reason ? ` (${fact.reason})` : ''}` : 'not known',
        });
      }
    }
  for (const m of missingOfScorecard(body.scorecard)) add(m);
  if (!body.model)
    add({
      key: 'model',
      label: { 'zh-CN': '专家模型', 'en-US': 'Expert model' },
      why: modelWhy ?? 'not available',
    });
  return out;
}

function groupFacts(inputs: CaseInputs): PipelineBody['facts'] {
  const facts = inputs.interview?.facts ?? [];
  const by = (s: InterviewFactInput['status']) => facts.filter((f) => f.status === s);
  return {
    verified: by('consistent'),
    doubtful: by('doubtful'),
    contradicted: by('contradicted'),
    unverified: by('unknown'),
  };
}

/** Limit and price settled together (see the module comment). */
function limitAndPrice(
  inputs: CaseInputs,
  config: PipelineConfig,
  risk: { grade: 'A' | 'B' | 'C' | 'D' | 'E' } | { modelPd: number },
) {
  const base = {
    pricingDate: inputs.asOf,
    risk,
    security: { kind: 'credit' as const },
    ...(inputs.financials?.annualSalesFen != null
      ? { annualSalesFen: inputs.financials.annualSalesFen }
      : {}),
  };
  const { amountFen, termMonths, method } = inputs.loan;
  const requested = priceLoan(
    { ...base, principalFen: amountFen, termMonths, repayment: method },
    config.pricing,
  );
  const f = inputs.financials;
  if (!f || f.disposableMonthlyFen === null || f.equityFen === null) {
    return { limit: null, price: requested, priceOf: 'request' as const };
  }
  let rate = requested.annualRateBp;
  let limit: LimitRecommendation | null = null;
  let price: LoanPrice = requested;
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    rounds++;
    limit = recommendLimit(
      {
        disposableMonthlyFen: f.disposableMonthlyFen,
        equityFen: f.equityFen,
        annualRateBp: rate,
        requested: { amountFen, termMonths, method },
      },
      config.limit,
    );
    const offer = limit.offer;
    if (!offer) return { limit, price: requested, priceOf: 'request' as const };
    const asked = offer.amountFen === amountFen && offer.termMonths === termMonths && offer.method === method;
    price = asked
      ? requested
      : priceLoan(
          { ...base, principalFen: offer.amountFen, termMonths: offer.termMonths, repayment: offer.method },
          config.pricing,
        );
    // A rate no higher than the one the limit was computed at keeps the offer affordable.
    if (price.annualRateBp <= rate) break;
    rate = price.annualRateBp;
  }
  return { limit, price, priceOf: 'offer' as const };
}

/** Everything after the model: scorecard, admission, limit, price, outcome and reasons. Pure. */
export function completePipeline(
  inputs: CaseInputs,
  config: PipelineConfig,
  prepared: Prepared,
  model: ModelScore | null,
  modelWhy: string | null = null,
): PipelineBody {
  const scorecard = scoreScorecard(config.scorecard, prepared.row);
  const grade = model ? worseGrade(scorecard.grade, model.grade) : scorecard.grade;
  const admission = evaluateAdmission(config.rules, inputs);
  const risk = model ? { modelPd: model.probability } : { grade };
  const { limit, price, priceOf } = limitAndPrice(inputs, config, risk);
  const partial = {
    admission,
    facts: groupFacts(inputs),
    features: prepared.row,
    scorecard,
    model,
    grade,
    pd: { value: price.risk.pd, basis: model ? ('model' as const) : ('grade' as const) },
    scoringInstalmentFen: prepared.instalmentFen,
    limit,
    price,
    priceOf,
  };
  const { outcome, reasons } = decideOutcome(config.rules.outcome, {
    admission,
    grade,
    scorecardGrade: scorecard.grade,
    model,
    interview: inputs.interview,
    limit,
    price,
  });
  return { outcome, reasons, missing: missingItems(inputs, partial, modelWhy), ...partial };
}
