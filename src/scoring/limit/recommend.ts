/**
 * The limit and term recommendation: from the rebuilt monthly disposable income (IPC: net profit + other
 * household income − household spending − existing debt service, DOMAIN.md) the largest affordable instalment
 * (a configurable share of it, default 70 %), the product's amount and term limits and the equity cap, the
 * (amount, term, repayment method) combination nearest to what the applicant asked, with the binding
 * constraint named. Pure: no I/O, no clock.
 *
 * "Nearest" is lexicographic, so that asking for less never yields more: first the largest amount up to the
 * one asked for; among the combinations that allow it, the asked-for method, then the term closest to the one
 * asked for, then the shorter term. Each combination allows min(affordable amount rounded down to the
 * product's amount step, product maximum, equity cap); the offer is min(asked, that).
 *
 * The monthly burden compared with the affordable instalment is the largest scheduled payment for 等额本息 and
 * 等额本金; for 先息后本 and 到期一次还本付息 it is the total due spread over the term (rounded up), since
 * such loans are repaid from income accumulated over the term.
 */
import type { Localized } from '../../questions/types.js';
import { badRequest } from '../../platform/errors.js';
import { REPAYMENT_METHOD_LABELS, buildSchedule } from '../pricing/index.js';
import { checkRateBp } from '../pricing/schedule.js';
import type { RepaymentMethod } from '../pricing/index.js';
import type { LimitConfig } from './config.js';
import { defaultLimitConfig } from './config.js';

export interface LoanRequest {
  amountFen: number;
  termMonths: number;
  method: RepaymentMethod;
}

export interface LimitInput {
  /** Monthly disposable income in fen, after existing debt service (IPC reconstruction). */
  disposableMonthlyFen: number;
  /** Equity (net worth) of the business and household in fen; used for the equity cap. */
  equityFen: number;
  /** Annual contract rate in basis points, from pricing. */
  annualRateBp: number;
  requested: LoanRequest;
}

export const BINDING_CONSTRAINTS = [
  'none',
  'affordability',
  'product_max_amount',
  'product_min_amount',
  'equity_cap',
  'product_term',
  'method_not_offered',
  'method_max_term',
] as const;
export type BindingConstraint = (typeof BINDING_CONSTRAINTS)[number];

export interface Offer extends LoanRequest {
  annualRateBp: number;
  /** The largest scheduled monthly payment. */
  maxPaymentFen: number;
  /** The monthly burden compared with the affordable instalment (see the module comment). */
  burdenFen: number;
  firstPaymentFen: number;
  totalInterestFen: number;
}

export interface LimitRecommendation {
  requested: LoanRequest;
  disposableMonthlyFen: number;
  instalmentShare: number;
  affordableInstalmentFen: number;
  /** Null when no combination reaches the product's minimum amount. */
  offer: Offer | null;
  changed: { amount: boolean; term: boolean; method: boolean };
  binding: BindingConstraint;
  /** The caps of the offered combination (or of the requested one when there is no offer). */
  caps: { affordabilityFen: number; productMaxFen: number; equityCapFen: number | null };
  reason: Localized;
}

function checkInput(input: LimitInput): void {
  const bad = (field: string, value: unknown) =>
    badRequest('LIMIT_INPUT_INVALID', `${field} must be a whole number of fen`, {
      field,
      value: String(value),
    });
  if (!Number.isSafeInteger(input.disposableMonthlyFen))
    throw bad('disposableMonthlyFen', input.disposableMonthlyFen);
  if (!Number.isSafeInteger(input.equityFen)) throw bad('equityFen', input.equityFen);
  if (!Number.isSafeInteger(input.requested.amountFen) || input.requested.amountFen <= 0)
    throw bad('requested.amountFen', input.requested.amountFen);
  const t = input.requested.termMonths;
  if (!Number.isInteger(t) || t < 1 || t > 360)
    throw badRequest('LIMIT_INPUT_INVALID', 'requested.termMonths must be 1–360 months', {
      value: String(t),
    });
  checkRateBp(input.annualRateBp);
}

/** Largest monthly payment and the burden of a loan (see the module comment). */
export function loanBurden(
  amountFen: number,
  termMonths: number,
  method: RepaymentMethod,
  annualRateBp: number,
) {
  const s = buildSchedule({ principalFen: amountFen, termMonths, annualRateBp, method });
  const maxPaymentFen = Math.max(...s.instalments.map((i) => i.paymentFen));
  const burdenFen =
    method === 'equal_instalment' || method === 'equal_principal'
      ? maxPaymentFen
      : Math.ceil(s.totalPaymentFen / termMonths);
  return {
    maxPaymentFen,
    burdenFen,
    firstPaymentFen: s.instalments[0]!.paymentFen,
    totalInterestFen: s.totalInterestFen,
  };
}

/** The largest multiple of `step`, at most `upperSteps` steps, whose burden fits `affordable`; 0 if none. */
function maxAffordable(
  affordable: number,
  termMonths: number,
  method: RepaymentMethod,
  rateBp: number,
  step: number,
  upperSteps: number,
): number {
  if (affordable <= 0 || upperSteps <= 0) return 0;
  const fits = (steps: number) =>
    loanBurden(steps * step, termMonths, method, rateBp).burdenFen <= affordable;
  if (fits(upperSteps)) return upperSteps * step;
  // The burden rises with the amount, so bisection over whole steps finds the largest that fits.
  let lo = 0;
  let hi = upperSteps;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo * step;
}

const yuan = (fen: number) => {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100).toLocaleString('en-US')}.${String(a % 100).padStart(2, '0')}`;
};

function reasonFor(
  binding: BindingConstraint,
  ctx: {
    share: number;
    affordable: number;
    productMax: number;
    productMin: number;
    equityCap: number | null;
    multiple: number | null;
    terms: readonly number[];
    method: RepaymentMethod;
    methodMax: number | undefined;
  },
): Localized {
  const pct = `${Math.round(ctx.share * 100)}%`;
  const m = REPAYMENT_METHOD_LABELS[ctx.method];
  switch (binding) {
    case 'none':
      return { 'zh-CN': '按申请方案给出', 'en-US': 'Offered as requested' };
    case 'affordability':
      return {
        'zh-CN': `受还款能力约束：月供不得超过月可支配收入的 ${pct}（${yuan(ctx.affordable)} 元）`,
        'en-US': `Limited by repayment capacity: the instalment may not exceed ${pct} of monthly disposable income (${yuan(ctx.affordable)} CNY)`,
      };
    case 'product_max_amount':
      return {
        'zh-CN': `受产品最高额度约束（${yuan(ctx.productMax)} 元）`,
        'en-US': `Limited by the product's maximum amount (${yuan(ctx.productMax)} CNY)`,
      };
    case 'product_min_amount':
      return {
        'zh-CN': `可贷金额低于产品最低额度（${yuan(ctx.productMin)} 元），无法给出方案`,
        'en-US': `The affordable amount is below the product's minimum (${yuan(ctx.productMin)} CNY): no offer`,
      };
    case 'equity_cap':
      return {
        'zh-CN': `受净资产约束：贷款不得超过净资产的 ${String(ctx.multiple)} 倍（${yuan(ctx.equityCap ?? 0)} 元）`,
        'en-US': `Limited by equity: the loan may not exceed ${String(ctx.multiple)}× net worth (${yuan(ctx.equityCap ?? 0)} CNY)`,
      };
    case 'product_term':
      return {
        'zh-CN': `申请期限不在产品期限内（可选 ${ctx.terms.join('、')} 个月）`,
        'en-US': `The requested term is not offered (terms: ${ctx.terms.join(', ')} months)`,
      };
    case 'method_not_offered':
      return {
        'zh-CN': `本产品不提供${m.zh}`,
        'en-US': `The product does not offer ${m.en.toLowerCase()}`,
      };
    case 'method_max_term':
      return {
        'zh-CN': `${m.zh}期限不得超过 ${String(ctx.methodMax)} 个月`,
        'en-US': `${m.en} allows terms up to ${String(ctx.methodMax)} months`,
      };
  }
}

interface Combination {
  termMonths: number;
  method: RepaymentMethod;
  /** Largest amount the combination allows, and which cap set it. */
  maxAmountFen: number;
  cap: 'affordability' | 'product_max_amount' | 'equity_cap';
  affordabilityFen: number;
}

/** Recommends the (amount, term, method) nearest to the request; see the module comment for "nearest". */
export function recommendLimit(
  input: LimitInput,
  config: LimitConfig = defaultLimitConfig,
): LimitRecommendation {
  checkInput(input);
  const { product } = config;
  const req = input.requested;
  const share = config.instalmentShare;
  const affordable = input.disposableMonthlyFen > 0 ? Math.floor(share * input.disposableMonthlyFen) : 0;
  const equityCap =
    config.equityCapMultiple === null
      ? null
      : Math.max(0, Math.floor(config.equityCapMultiple * input.equityFen));
  const hardMax = Math.min(product.maxAmountFen, equityCap ?? Number.MAX_SAFE_INTEGER);
  const terms = [...product.termsMonths].sort((a, b) => a - b);
  const ctx = {
    share,
    affordable,
    productMax: product.maxAmountFen,
    productMin: product.minAmountFen,
    equityCap,
    multiple: config.equityCapMultiple,
    terms,
    method: req.method,
    methodMax: product.methodMaxTermMonths[req.method],
  };

  const combos: Combination[] = [];
  for (const method of product.methods) {
    const methodMax = product.methodMaxTermMonths[method];
    for (const termMonths of terms) {
      if (methodMax !== undefined && termMonths > methodMax) continue;
      const affordabilityFen = maxAffordable(
        affordable,
        termMonths,
        method,
        input.annualRateBp,
        product.amountStepFen,
        Math.ceil(hardMax / product.amountStepFen),
      );
      const maxAmountFen = Math.min(affordabilityFen, hardMax);
      const cap =
        affordabilityFen < hardMax
          ? 'affordability'
          : equityCap !== null && equityCap < product.maxAmountFen
            ? 'equity_cap'
            : 'product_max_amount';
      combos.push({ termMonths, method, maxAmountFen, cap, affordabilityFen });
    }
  }
  const amountFor = (c: Combination) => Math.min(req.amountFen, c.maxAmountFen);
  const ranked = combos
    .map((c) => ({ c, amount: amountFor(c) }))
    .filter((x) => x.amount >= product.minAmountFen && x.amount > 0)
    .sort(
      (a, b) =>
        b.amount - a.amount ||
        Number(a.c.method !== req.method) - Number(b.c.method !== req.method) ||
        Math.abs(a.c.termMonths - req.termMonths) - Math.abs(b.c.termMonths - req.termMonths) ||
        a.c.termMonths - b.c.termMonths,
    );

  const requestedCombo = combos.find((c) => c.method === req.method && c.termMonths === req.termMonths);
  // Why the request itself cannot be met as asked, when it cannot.
  const requestBinding = (): BindingConstraint => {
    if (!product.methods.includes(req.method)) return 'method_not_offered';
    const methodMax = product.methodMaxTermMonths[req.method];
    if (methodMax !== undefined && req.termMonths > methodMax) return 'method_max_term';
    if (!terms.includes(req.termMonths)) return 'product_term';
    return requestedCombo ? requestedCombo.cap : 'affordability';
  };

  const best = ranked[0];
  if (!best) {
    const c = requestedCombo ?? combos[0];
    const binding: BindingConstraint = 'product_min_amount';
    return {
      requested: req,
      disposableMonthlyFen: input.disposableMonthlyFen,
      instalmentShare: share,
      affordableInstalmentFen: affordable,
      offer: null,
      changed: { amount: true, term: false, method: false },
      binding,
      caps: {
        affordabilityFen: c?.affordabilityFen ?? 0,
        productMaxFen: product.maxAmountFen,
        equityCapFen: equityCap,
      },
      reason: reasonFor(binding, ctx),
    };
  }
  const { c, amount } = best;
  const changed = {
    amount: amount !== req.amountFen,
    term: c.termMonths !== req.termMonths,
    method: c.method !== req.method,
  };
  const binding: BindingConstraint = changed.amount
    ? c.cap
    : changed.term || changed.method
      ? requestBinding()
      : 'none';
  const burden = loanBurden(amount, c.termMonths, c.method, input.annualRateBp);
  return {
    requested: req,
    disposableMonthlyFen: input.disposableMonthlyFen,
    instalmentShare: share,
    affordableInstalmentFen: affordable,
    offer: {
      amountFen: amount,
      termMonths: c.termMonths,
      method: c.method,
      annualRateBp: input.annualRateBp,
      ...burden,
    },
    changed,
    binding,
    caps: {
      affordabilityFen: c.affordabilityFen,
      productMaxFen: product.maxAmountFen,
      equityCapFen: equityCap,
    },
    reason: reasonFor(binding, ctx),
  };
}

/** The limit inputs the IPC reconstruction provides: disposable income after existing debt service, equity. */
export function limitInputFromFinancials(
  f: {
    household: { disposableMonthly: { amountFen: number } };
    balanceSheet: { equity: { amountFen: number } };
  },
  requested: LoanRequest,
  annualRateBp: number,
): LimitInput {
  return {
    disposableMonthlyFen: f.household.disposableMonthly.amountFen,
    equityFen: f.balanceSheet.equity.amountFen,
    annualRateBp,
    requested,
  };
}
