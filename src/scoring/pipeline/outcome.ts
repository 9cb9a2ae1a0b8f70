/**
 * The recommendation and its reasons, in words a loan officer and an expert can read (zh-CN and en-US). Pure.
 *
 * Order of precedence: a failed hard rule, a grade the policy declines, or no affordable offer declines; else
 * anything the pipeline could not establish (a rule without data, no model, no completed interview, a recorded
 * contradiction, an important fact left in doubt, a grade the policy refers, a price held down by a cap, an offer
 * far below the request) refers the
 * case to an expert; only a case with none of these is recommended for approval.
 */
import type { Localized } from '../../questions/types.js';
import type { Grade, LoanPrice } from '../pricing/index.js';
import type { LimitRecommendation } from '../limit/index.js';
import type { OutcomePolicy } from './rules.js';
import type { InterviewInput, MissingItem, ModelScore, Outcome, Reason, RuleResult } from './types.js';
import type { ScorecardResult } from '../scorecard/index.js';

export interface DecisionInput {
  admission: readonly RuleResult[];
  grade: Grade;
  scorecardGrade: Grade;
  model: ModelScore | null;
  interview: InterviewInput | null;
  /** Null when the limit could not be computed (no rebuilt disposable income). */
  limit: LimitRecommendation | null;
  price: LoanPrice | null;
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, 'en-US': en });
const GRADE_ORDER = ['A', 'B', 'C', 'D', 'E'] as const;

/** The worse of two grades (E is worst). */
export function worseGrade(a: Grade, b: Grade): Grade {
  return GRADE_ORDER.indexOf(a) >= GRADE_ORDER.indexOf(b) ? a : b;
}

const fenText = (fen: number) => {
  const y = Math.floor(Math.abs(fen) / 100);
  const f = String(Math.abs(fen) % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${y.toLocaleString('en-US')}.${f}`;
};

/** The facts an interview left in doubt that weigh at least `importance`. */
export function importantDoubts(interview: InterviewInput | null, importance: number) {
  if (!interview) return [];
  return interview.facts.filter(
    (f) =>
      f.importance >= importance &&
      (f.status === 'doubtful' || (f.status === 'unknown' && f.observations > 0)),
  );
}

/** The recommendation and the reasons that decide it (decline and refer first, then information). */
export function decideOutcome(
  policy: OutcomePolicy,
  d: DecisionInput,
): { outcome: Outcome; reasons: Reason[] } {
  const decline: Reason[] = [];
  const refer: Reason[] = [];
  for (const r of d.admission) {
    if (r.status === 'fail')
      decline.push({ code: `RULE_FAILED:${r.ruleId}`, effect: 'decline', text: r.reason });
    if (r.status === 'missing')
      refer.push({ code: `RULE_MISSING:${r.ruleId}`, effect: 'refer', text: r.reason });
  }
  if (policy.declineGrades.includes(d.grade))
    decline.push({
      code: 'GRADE_DECLINED',
      effect: 'decline',
      text: L(`综合评级 ${d.grade}，按政策不予准入`, `Overall grade ${d.grade}, which the policy declines`),
    });
  else if (policy.referGrades.includes(d.grade))
    refer.push({
      code: 'GRADE_REFERRED',
      effect: 'refer',
      text: L(
        `综合评级 ${d.grade}，需专家审查`,
        `Overall grade ${d.grade}, which the policy refers to an expert`,
      ),
    });
  if (d.limit && !d.limit.offer)
    decline.push({
      code: 'NO_AFFORDABLE_OFFER',
      effect: 'decline',
      text: L(
        `无可负担的贷款方案：${d.limit.reason['zh-CN']}`,
        `No affordable offer: ${d.limit.reason['en-US']}`,
      ),
    });
  const offer = d.limit?.offer;
  if (offer && offer.amountFen < policy.referWhenOfferBelowShare * d.limit!.requested.amountFen)
    refer.push({
      code: 'OFFER_FAR_BELOW_REQUEST',
      effect: 'refer',
      text: L(
        `可贷金额 ${fenText(offer.amountFen)} 元，不足申请金额 ${fenText(d.limit!.requested.amountFen)} 元的 ${Math.round(policy.referWhenOfferBelowShare * 100)}%`,
        `The offer of CNY ${fenText(offer.amountFen)} is under ${Math.round(policy.referWhenOfferBelowShare * 100)}% of the CNY ${fenText(d.limit!.requested.amountFen)} asked for`,
      ),
    });
  if (!d.limit)
    refer.push({
      code: 'LIMIT_NOT_COMPUTED',
      effect: 'refer',
      text: L(
        '调查报表不完整，无法测算可支配收入与额度',
        'The rebuilt accounts are incomplete: disposable income and the limit cannot be computed',
      ),
    });
  if (!d.model)
    refer.push({
      code: 'MODEL_UNAVAILABLE',
      effect: 'refer',
      text: L(
        '专家模型不可用，仅依据评分卡',
        'The expert model was not available; the scorecard alone was used',
      ),
    });
  const completed = d.interview?.status === 'completed';
  if (policy.requireCompletedInterview && !completed)
    refer.push({
      code: 'INTERVIEW_NOT_COMPLETED',
      effect: 'refer',
      text: d.interview
        ? L(
            `远程访谈未完成（${d.interview.status}）`,
            `The remote interview did not complete (${d.interview.status})`,
          )
        : L('尚无远程访谈结果', 'No remote interview result is known'),
    });
  const contradicted = d.interview?.facts.filter((f) => f.contradictionRecorded) ?? [];
  if (contradicted.length >= policy.referOnContradictions)
    refer.push({
      code: 'INTERVIEW_CONTRADICTIONS',
      effect: 'refer',
      text: L(
        `访谈中记录了矛盾：${contradicted.map((f) => f.label['zh-CN']).join('、')}`,
        `Contradictions recorded in the interview: ${contradicted.map((f) => f.label['en-US']).join(', ')}`,
      ),
    });
  const doubts = importantDoubts(d.interview, policy.referOnDoubtImportance);
  if (doubts.length > 0)
    refer.push({
      code: 'IMPORTANT_FACTS_IN_DOUBT',
      effect: 'refer',
      text: L(
        `重要事实访谈后仍存疑：${doubts.map((f) => f.label['zh-CN']).join('、')}`,
        `Important facts left in doubt by the interview: ${doubts.map((f) => f.label['en-US']).join(', ')}`,
      ),
    });
  if (
    policy.referWhenUnderpriced &&
    d.price &&
    (d.price.clamp === 'cap' || d.price.clamp === 'legal_ceiling')
  )
    refer.push({
      code: 'UNDERPRICED',
      effect: 'refer',
      text: L(
        `定价受${d.price.clamp === 'cap' ? '产品利率上限' : '法定利率上限'}限制，风险未被完全覆盖（少 ${d.price.underpricedBp} bp）`,
        `The price was held down by the ${d.price.clamp === 'cap' ? 'product cap' : 'legal ceiling'}; the risk is not fully priced (${d.price.underpricedBp} bp short)`,
      ),
    });
  const outcome: Outcome = decline.length > 0 ? 'decline' : refer.length > 0 ? 'refer' : 'approve';
  return { outcome, reasons: [...decline, ...refer, ...infoReasons(d)] };
}

/** What informs but does not decide: the grades, the model's main factors, the offer and the price. */
export function infoReasons(d: DecisionInput): Reason[] {
  const out: Reason[] = [];
  const info = (code: string, text: Localized) => out.push({ code, effect: 'info', text });
  info(
    'GRADE',
    L(
      `评分卡 ${d.scorecardGrade} 级${d.model ? `，模型 ${d.model.grade} 级（违约概率 ${(d.model.probability * 100).toFixed(2)}%）` : ''}，综合 ${d.grade} 级`,
      `Scorecard grade ${d.scorecardGrade}${d.model ? `, model grade ${d.model.grade} (probability of default ${(d.model.probability * 100).toFixed(2)}%)` : ''}, overall ${d.grade}`,
    ),
  );
  for (const f of d.model?.topFactors.slice(0, 3) ?? []) info(`MODEL_FACTOR:${f.input}`, f.text);
  const offer = d.limit?.offer;
  if (d.limit && offer) {
    info(
      'OFFER',
      L(
        `建议方案：${fenText(offer.amountFen)} 元，${offer.termMonths} 个月；${d.limit.reason['zh-CN']}`,
        `Offer: CNY ${fenText(offer.amountFen)} over ${offer.termMonths} months; ${d.limit.reason['en-US']}`,
      ),
    );
  }
  if (d.price)
    info(
      'PRICE',
      L(
        `利率 ${d.price.annualRatePercent}（${d.price.quoteZh}），年化 APR ${d.price.apr.effectiveAnnualPercent}`,
        `Rate ${d.price.annualRatePercent} (${d.price.quoteEn}), APR ${d.price.apr.effectiveAnnualPercent}`,
      ),
    );
  return out;
}

/** The scorecard factors that scored nothing for lack of data, as missing items. */
export function missingOfScorecard(s: ScorecardResult): MissingItem[] {
  return s.factors
    .filter((f) => f.value === null)
    .map((f) => ({ key: `feature:${f.input}`, label: f.bin, why: f.reason['en-US'] }));
}
