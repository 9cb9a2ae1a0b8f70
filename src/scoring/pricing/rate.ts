/**
 * Risk-based loan pricing: the rate is built up from its costs and rounded to the product's step.
 *
 *   rate = funding (LPR for the term + FTP spread)
 *        + operating cost (share of balance + fixed cost per loan ÷ balance-years of the loan)
 *        + expected loss (PD × LGD)
 *        + capital charge (K × hurdle rate, K from the Basel II IRB formula, see irb.ts)
 *        + target margin
 *
 * then rounded up to the rounding step and clamped to the product floor, product cap and legal ceiling (in that
 * order; the one that bit is reported). Per-EAD items are scaled by EAD / principal so that undrawn commitments
 * are charged on the drawn balance. The fixed cost is spread over the balance-years of the repayment plan, so a
 * small or short loan carries its true cost instead of being under-priced. RAROC = (interest and fee income −
 * funding − operating cost − expected loss) / (K × EAD over the same balance-years), i.e. annualised.
 *
 * Components are carried in hundredths of a basis point (integers) so sums and strings carry no float noise.
 * LPR tenor: the 1-year LPR for terms up to five years, the 5-year LPR beyond (PBoC LPR reform, 2019).
 */
import { badRequest, unprocessable } from '../../platform/errors.js';
import { effectiveMaturity, exposureAtDefault } from './ead.js';
import { irbCapital } from './irb.js';
import type { AssetClass } from './irb.js';
import { lgdFor, pdFromGrade, pdFromModel } from './lgd.js';
import type { Security } from './lgd.js';
import {
  checkFen,
  divRoundHalfUp,
  scaledToDecimal,
  toScaledUnits,
  yuanToFen,
  bpToPercentString,
  bpToRateString,
} from './money.js';
import { lprOn, parsePricingParams } from './params.js';
import type { Grade, PricingParams } from './params.js';
import { buildSchedule, scheduleApr } from './schedule.js';
import type { Apr, Fees, RepaymentMethod, Schedule } from './schedule.js';

export interface PriceLoanInput {
  /** The date the price is made (YYYY-MM-DD); picks the LPR in force. */
  pricingDate: string;
  principalFen: number;
  /** Committed but undrawn amount (a credit line), converted with the CCF. */
  undrawnFen?: number;
  termMonths: number;
  repayment: RepaymentMethod;
  /** The internal grade (master scale) or a calibrated model probability. */
  risk: { grade: Grade } | { modelPd: number };
  security: Security;
  /** Default: the parameter set's defaultAssetClass. */
  assetClass?: AssetClass;
  /** Annual sales in fen, for the SME firm-size adjustment of corporate exposures. */
  annualSalesFen?: number;
  fees?: Fees;
}

export type ComponentKey = 'funding' | 'operating' | 'expected_loss' | 'capital' | 'margin';
export type Clamp = 'none' | 'floor' | 'cap' | 'legal_ceiling';

export interface PriceComponent {
  key: ComponentKey;
  labelZh: string;
  labelEn: string;
  /** Hundredths of a basis point per annum. */
  centiBp: number;
  /** The same in basis points with two decimals, e.g. "123.45". */
  bp: string;
  /** How the figure was reached, in each language. */
  explainZh: string;
  explainEn: string;
}

export interface LoanPrice {
  paramsVersion: string;
  pricingDate: string;
  lpr: { tenor: '1Y' | '5Y'; effectiveFrom: string; bp: number };
  components: PriceComponent[];
  /** Sum of the components, bp with two decimals. */
  buildUpBp: string;
  /** The sum rounded up to the product step. */
  roundedRateBp: number;
  clamp: Clamp;
  /** By how much the clamp lowered the rate below the build-up (0 unless cap or legal ceiling). */
  underpricedBp: number;
  annualRateBp: number;
  /** "0.0485" */
  annualRate: string;
  /** "4.85%" */
  annualRatePercent: string;
  spreadOverLprBp: number;
  /** "LPR + 185 bp" and "1年期LPR + 185个基点" */
  quoteEn: string;
  quoteZh: string;
  risk: {
    assetClass: AssetClass;
    pd: number;
    lgd: number;
    lgdBeforeFloor: number;
    coveredShare: number;
    eadFen: number;
    maturityYears: number;
    salesEurMillions: number | null;
    correlation: number | null;
    /** K including the 1.06 scaling when the parameter set turns it on. */
    k: number;
    riskWeight: number;
    rwaFen: number;
  };
  schedule: Schedule;
  apr: Apr;
  raroc: { value: number | null; percent: string | null; hurdlePercent: string };
  /** Every adjustment after the build-up, in words. */
  notesZh: string[];
  notesEn: string[];
}

const centiToBp = (c: number) => scaledToDecimal(c, 2);

/** A float per-annum fraction (e.g. PD × LGD) in hundredths of a bp, rounded half away from zero. */
const fractionToCentiBp = (x: number) => toScaledUnits(x, 6);

/** Prices one loan. Deterministic; throws AppError on bad input and never returns NaN. */
export function priceLoan(input: PriceLoanInput, rawParams: PricingParams): LoanPrice {
  const params = parsePricingParams(rawParams);
  const { pricingDate, principalFen, termMonths, repayment } = input;
  if (typeof pricingDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(pricingDate)) {
    throw badRequest('DATE_INVALID', 'Expected the pricing date as YYYY-MM-DD', {
      value: String(pricingDate),
    });
  }
  if (params.effectiveFrom > pricingDate) {
    throw unprocessable(
      'PRICING_PARAMS_NOT_IN_FORCE',
      `Parameter set ${params.version} is not in force on ${pricingDate}`,
      {
        version: params.version,
        effectiveFrom: params.effectiveFrom,
        pricingDate,
      },
    );
  }
  checkFen(principalFen, 'principal');
  if (principalFen === 0)
    throw badRequest('AMOUNT_INVALID', 'The principal must be at least one fen', { value: '0' });

  // Funding.
  const lprEntry = lprOn(params, pricingDate);
  const tenor: '1Y' | '5Y' = termMonths > 60 ? '5Y' : '1Y';
  const lprBp = tenor === '1Y' ? lprEntry.oneYearBp : lprEntry.fiveYearBp;
  const fundingBp = lprBp + params.ftpSpreadBp;
  // The profile at the funding rate gives the balance-years for the fixed cost (validates term and method too).
  const costProfile = buildSchedule({ principalFen, termMonths, annualRateBp: fundingBp, method: repayment });

  // Risk parameters.
  const pd =
    'grade' in input.risk ? pdFromGrade(input.risk.grade, params) : pdFromModel(input.risk.modelPd, params);
  if (pd >= 1) {
    throw unprocessable('BORROWER_IN_DEFAULT', 'A borrower in default (PD = 1) is not priced for a new loan');
  }
  const eadFen = exposureAtDefault({
    drawnFen: principalFen,
    undrawnFen: input.undrawnFen ?? 0,
    ccf: params.ccfUndrawn,
  });
  const lgd = lgdFor(input.security, eadFen, params);
  const maturityYears = effectiveMaturity(termMonths);
  const assetClass = input.assetClass ?? params.defaultAssetClass;
  let salesEurMillions: number | null = null;
  if (input.annualSalesFen !== undefined) {
    checkFen(input.annualSalesFen, 'annual sales');
    salesEurMillions = input.annualSalesFen / 100 / params.cnyPerEur / 1e6;
  }
  const irb = irbCapital({
    pd,
    lgd: lgd.lgd,
    assetClass,
    maturityYears,
    salesEurMillions: assetClass === 'corporate' && salesEurMillions !== null ? salesEurMillions : undefined,
    scaling: params.scaling106,
    pdFloor: params.pdFloor,
  });
  const kScaled = irb.k * irb.scalingFactor;
  const eadRatio = eadFen / principalFen;

  // Components in hundredths of a bp.
  const fixedFen = yuanToFen(params.operatingCost.fixedCostPerLoanYuan);
  // fixed / balance-years × 10^6 centi-bp, balance-years = balance-months / 12.
  const fixedCenti = Number(
    divRoundHalfUp(BigInt(fixedFen) * 12_000_000n, BigInt(costProfile.balanceMonthsFen)),
  );
  const fundingCenti = fundingBp * 100;
  const opexCenti = params.operatingCost.shareBp * 100 + fixedCenti;
  const elCenti = fractionToCentiBp(pd * lgd.lgd * eadRatio);
  const capitalCenti = fractionToCentiBp((kScaled * eadRatio * params.hurdleRateBp) / 10_000);
  const marginCenti = params.targetMarginBp * 100;

  const pct = (x: number, d = 2) => `${scaledToDecimal(toScaledUnits(x * 100, d), d)}%`;
  const balanceYearsYuan = scaledToDecimal(
    Number(divRoundHalfUp(BigInt(costProfile.balanceMonthsFen), 12n)),
    2,
  );
  const components: PriceComponent[] = [
    {
      key: 'funding',
      labelZh: '资金成本',
      labelEn: 'Funding cost',
      centiBp: fundingCenti,
      bp: centiToBp(fundingCenti),
      explainZh: `${tenor === '1Y' ? '1年期' : '5年期以上'}LPR ${lprBp} bp（${lprEntry.effectiveFrom}起）+ 内部资金转移加点 ${params.ftpSpreadBp} bp`,
      explainEn: `${tenor} LPR ${lprBp} bp (from ${lprEntry.effectiveFrom}) + funds-transfer spread ${params.ftpSpreadBp} bp`,
    },
    {
      key: 'operating',
      labelZh: '运营成本',
      labelEn: 'Operating cost',
      centiBp: opexCenti,
      bp: centiToBp(opexCenti),
      explainZh: `按余额 ${params.operatingCost.shareBp} bp + 单笔固定成本 ${params.operatingCost.fixedCostPerLoanYuan} 元 ÷ 余额年数 ${balanceYearsYuan} 元·年 = ${centiToBp(fixedCenti)} bp`,
      explainEn: `${params.operatingCost.shareBp} bp of balance + fixed cost ${params.operatingCost.fixedCostPerLoanYuan} yuan ÷ ${balanceYearsYuan} yuan-years of balance = ${centiToBp(fixedCenti)} bp`,
    },
    {
      key: 'expected_loss',
      labelZh: '预期损失',
      labelEn: 'Expected loss',
      centiBp: elCenti,
      bp: centiToBp(elCenti),
      explainZh: `违约概率 PD ${pct(pd, 3)} × 违约损失率 LGD ${pct(lgd.lgd)}${eadRatio !== 1 ? ` × EAD/本金 ${eadRatio.toFixed(4)}` : ''}`,
      explainEn: `PD ${pct(pd, 3)} × LGD ${pct(lgd.lgd)}${eadRatio !== 1 ? ` × EAD/principal ${eadRatio.toFixed(4)}` : ''}`,
    },
    {
      key: 'capital',
      labelZh: '资本成本',
      labelEn: 'Capital charge',
      centiBp: capitalCenti,
      bp: centiToBp(capitalCenti),
      explainZh: `内部评级法资本要求 K ${pct(kScaled, 3)}（风险权重 ${pct(irb.riskWeight)}）× 资本回报要求 ${bpToPercentString(params.hurdleRateBp)}`,
      explainEn: `IRB capital K ${pct(kScaled, 3)} (risk weight ${pct(irb.riskWeight)}) × hurdle rate ${bpToPercentString(params.hurdleRateBp)}`,
    },
    {
      key: 'margin',
      labelZh: '目标利润',
      labelEn: 'Target margin',
      centiBp: marginCenti,
      bp: centiToBp(marginCenti),
      explainZh: `目标利润 ${params.targetMarginBp} bp`,
      explainEn: `target margin ${params.targetMarginBp} bp`,
    },
  ];

  const sumCenti = components.reduce((s, c) => s + c.centiBp, 0);
  const stepCenti = params.roundingStepBp * 100;
  const roundedRateBp = Math.ceil(sumCenti / stepCenti) * params.roundingStepBp;

  const notesZh: string[] = [];
  const notesEn: string[] = [];
  if (roundedRateBp * 100 !== sumCenti) {
    notesZh.push(`按 ${params.roundingStepBp} bp 步长向上取整：${centiToBp(sumCenti)} → ${roundedRateBp} bp`);
    notesEn.push(
      `rounded up to the ${params.roundingStepBp} bp step: ${centiToBp(sumCenti)} → ${roundedRateBp} bp`,
    );
  }
  let annualRateBp = roundedRateBp;
  let clamp: Clamp = 'none';
  if (annualRateBp < params.product.floorRateBp) {
    annualRateBp = params.product.floorRateBp;
    clamp = 'floor';
    notesZh.push(`低于产品利率下限，取下限 ${annualRateBp} bp`);
    notesEn.push(`below the product floor; raised to ${annualRateBp} bp`);
  }
  if (annualRateBp > params.product.capRateBp) {
    annualRateBp = params.product.capRateBp;
    clamp = 'cap';
    notesZh.push(`高于产品利率上限，取上限 ${annualRateBp} bp；风险未被完全覆盖`);
    notesEn.push(`above the product cap; lowered to ${annualRateBp} bp; the risk is not fully priced`);
  }
  if (annualRateBp > params.legalCeilingBp) {
    annualRateBp = params.legalCeilingBp;
    clamp = 'legal_ceiling';
    notesZh.push(`高于法定利率上限，取 ${annualRateBp} bp；风险未被完全覆盖`);
    notesEn.push(`above the legal ceiling; lowered to ${annualRateBp} bp; the risk is not fully priced`);
  }

  const schedule = buildSchedule({ principalFen, termMonths, annualRateBp, method: repayment });
  const apr = scheduleApr(schedule, input.fees);

  // RAROC over the life of the plan, annualised by balance-years.
  const balanceYears = schedule.balanceMonthsFen / 12;
  const feeIncome = (input.fees?.upfrontFen ?? 0) + (input.fees?.monthlyFen ?? 0) * termMonths;
  const income = schedule.totalInterestFen + feeIncome;
  const funding = (fundingBp / 10_000) * balanceYears;
  const opex = (params.operatingCost.shareBp / 10_000) * balanceYears + fixedFen;
  const expectedLoss = pd * lgd.lgd * eadRatio * balanceYears;
  const capitalYears = kScaled * eadRatio * balanceYears;
  const rarocValue = capitalYears > 0 ? (income - funding - opex - expectedLoss) / capitalYears : null;

  const spreadOverLprBp = annualRateBp - lprBp;
  const sign = spreadOverLprBp < 0 ? '−' : '+';
  const absSpread = Math.abs(spreadOverLprBp);

  return {
    paramsVersion: params.version,
    pricingDate,
    lpr: { tenor, effectiveFrom: lprEntry.effectiveFrom, bp: lprBp },
    components,
    buildUpBp: centiToBp(sumCenti),
    roundedRateBp,
    clamp,
    underpricedBp: Math.max(0, roundedRateBp - annualRateBp),
    annualRateBp,
    annualRate: bpToRateString(annualRateBp),
    annualRatePercent: bpToPercentString(annualRateBp),
    spreadOverLprBp,
    quoteEn: `LPR ${sign} ${absSpread} bp`,
    quoteZh: `${tenor === '1Y' ? '1年期' : '5年期以上'}LPR ${sign} ${absSpread}个基点`,
    risk: {
      assetClass,
      pd,
      lgd: lgd.lgd,
      lgdBeforeFloor: lgd.lgdBeforeFloor,
      coveredShare: lgd.coveredShare,
      eadFen,
      maturityYears,
      salesEurMillions,
      correlation: irb.correlation,
      k: kScaled,
      riskWeight: irb.riskWeight,
      rwaFen: Math.round(irb.riskWeight * eadFen),
    },
    schedule,
    apr,
    raroc: {
      value: rarocValue,
      percent: rarocValue === null ? null : pct(rarocValue),
      hurdlePercent: bpToPercentString(params.hurdleRateBp),
    },
    notesZh,
    notesEn,
  };
}
