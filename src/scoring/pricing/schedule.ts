/**
 * Repayment schedules in integer fen, and the APR of a schedule with its fees.
 *
 * Methods (DOMAIN.md "Servicing"): 等额本息 equal instalment A = P·i·(1+i)^n / ((1+i)^n − 1); 等额本金 equal
 * principal P/n plus interest on the balance; 先息后本 monthly interest, principal at the end; 到期一次还本付息
 * principal and simple interest at the end. Monthly rate i = annual / 12. Every amount is rounded half-up to
 * the fen in each instalment and the remainder goes into the last one, so principal always sums to the loan.
 * The arithmetic is exact: rates are integer basis points and (1+i)^n is a ratio of BigInts.
 */
import { badRequest } from '../../platform/errors.js';
import { checkTermMonths } from './ead.js';
import { checkFen, divRoundHalfUp, scaledToDecimal, toScaledUnits } from './money.js';

export const REPAYMENT_METHODS = ['equal_instalment', 'equal_principal', 'interest_only', 'bullet'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

export const REPAYMENT_METHOD_LABELS: Record<RepaymentMethod, { zh: string; en: string }> = {
  equal_instalment: { zh: '等额本息', en: 'Equal instalments' },
  equal_principal: { zh: '等额本金', en: 'Equal principal' },
  interest_only: { zh: '先息后本', en: 'Interest only, principal at maturity' },
  bullet: { zh: '到期一次还本付息', en: 'Principal and interest at maturity' },
};

export interface ScheduleInput {
  principalFen: number;
  termMonths: number;
  /** Annual contract rate in whole basis points. */
  annualRateBp: number;
  method: RepaymentMethod;
}

export interface Instalment {
  /** Month number from 1. */
  period: number;
  openingBalanceFen: number;
  principalFen: number;
  interestFen: number;
  paymentFen: number;
  closingBalanceFen: number;
}

export interface Schedule extends ScheduleInput {
  instalments: Instalment[];
  totalPrincipalFen: number;
  totalInterestFen: number;
  totalPaymentFen: number;
  /** Σ over months of the balance outstanding (fen × months): the base for per-annum costs. */
  balanceMonthsFen: number;
}

/** 12 months × 10,000 bp: the monthly rate is bp / MONTHLY_DENOM. */
const MONTHLY_DENOM = 120_000n;

export function checkRateBp(bp: number): void {
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > 100_000) {
    throw badRequest(
      'RATE_INVALID',
      'The annual rate must be a whole number of basis points from 0 to 100000',
      {
        value: String(bp),
      },
    );
  }
}

function checkMethod(method: unknown): asserts method is RepaymentMethod {
  if (!(REPAYMENT_METHODS as readonly unknown[]).includes(method)) {
    throw badRequest('REPAYMENT_METHOD_UNKNOWN', 'Unknown repayment method', { value: String(method) });
  }
}

/** The level instalment of 等额本息, exact to the fen (half-up). */
export function equalInstalmentFen(principalFen: number, termMonths: number, annualRateBp: number): number {
  const p = BigInt(principalFen);
  const n = BigInt(termMonths);
  if (annualRateBp === 0) return Number(divRoundHalfUp(p, n));
  const r = BigInt(annualRateBp);
  const growth = (MONTHLY_DENOM + r) ** n;
  const base = MONTHLY_DENOM ** n;
  // A = P·i·(1+i)^n / ((1+i)^n − 1) with i = r / 120000, multiplied through by 120000^n.
  return Number(divRoundHalfUp(p * r * growth, MONTHLY_DENOM * (growth - base)));
}

/** Builds the schedule. Bad inputs → AMOUNT_INVALID, TERM_INVALID, RATE_INVALID, REPAYMENT_METHOD_UNKNOWN. */
export function buildSchedule(input: ScheduleInput): Schedule {
  const { principalFen, termMonths, annualRateBp, method } = input;
  checkFen(principalFen, 'principal');
  if (principalFen === 0)
    throw badRequest('AMOUNT_INVALID', 'The principal must be at least one fen', { value: '0' });
  checkTermMonths(termMonths);
  checkRateBp(annualRateBp);
  checkMethod(method);
  const r = BigInt(annualRateBp);
  const monthlyInterest = (balance: number) => Number(divRoundHalfUp(BigInt(balance) * r, MONTHLY_DENOM));

  const rows: Instalment[] = [];
  let balance = principalFen;
  const push = (period: number, principal: number, interest: number) => {
    rows.push({
      period,
      openingBalanceFen: balance,
      principalFen: principal,
      interestFen: interest,
      paymentFen: principal + interest,
      closingBalanceFen: balance - principal,
    });
    balance -= principal;
  };

  switch (method) {
    case 'equal_instalment': {
      const a = equalInstalmentFen(principalFen, termMonths, annualRateBp);
      for (let k = 1; k <= termMonths; k++) {
        const interest = monthlyInterest(balance);
        // Rounding can make A − interest stray outside [0, balance] on tiny loans; the last month settles it.
        const principal = k === termMonths ? balance : Math.min(balance, Math.max(0, a - interest));
        push(k, principal, interest);
      }
      break;
    }
    case 'equal_principal': {
      const part = Number(divRoundHalfUp(BigInt(principalFen), BigInt(termMonths)));
      for (let k = 1; k <= termMonths; k++) {
        const interest = monthlyInterest(balance);
        push(k, k === termMonths ? balance : Math.min(balance, part), interest);
      }
      break;
    }
    case 'interest_only': {
      const interest = monthlyInterest(principalFen);
      for (let k = 1; k <= termMonths; k++) push(k, k === termMonths ? balance : 0, interest);
      break;
    }
    case 'bullet': {
      const interest = Number(divRoundHalfUp(BigInt(principalFen) * r * BigInt(termMonths), MONTHLY_DENOM));
      push(termMonths, principalFen, interest);
      break;
    }
  }

  const balanceMonthsFen =
    method === 'bullet' ? principalFen * termMonths : rows.reduce((s, row) => s + row.openingBalanceFen, 0);
  return {
    ...input,
    instalments: rows,
    totalPrincipalFen: rows.reduce((s, row) => s + row.principalFen, 0),
    totalInterestFen: rows.reduce((s, row) => s + row.interestFen, 0),
    totalPaymentFen: rows.reduce((s, row) => s + row.paymentFen, 0),
    balanceMonthsFen,
  };
}

export interface Fees {
  /** Deducted from the amount paid out (or paid at signing). */
  upfrontFen?: number;
  /** Charged with every monthly payment (for a bullet loan, every month of the term). */
  monthlyFen?: number;
}

export interface Apr {
  /** Monthly internal rate of return of the borrower's cash flows. */
  monthlyIrr: number;
  /** Monthly IRR × 12 (the nominal APR). */
  nominalAnnual: number;
  /** (1 + monthly IRR)^12 − 1. */
  effectiveAnnual: number;
  /** Both as percentages with four decimals, e.g. "4.8500%". */
  nominalAnnualPercent: string;
  effectiveAnnualPercent: string;
}

const percent4 = (x: number) => `${scaledToDecimal(toScaledUnits(x * 100, 4), 4)}%`;

/**
 * APR of a schedule with fees: the monthly IRR of (principal − upfront fee) paid out at month 0 against the
 * payments and monthly fees, found by bisection (the net present value is monotone in the rate).
 */
export function scheduleApr(schedule: Schedule, fees: Fees = {}): Apr {
  const upfront = fees.upfrontFen ?? 0;
  const monthly = fees.monthlyFen ?? 0;
  checkFen(upfront, 'upfront fee');
  checkFen(monthly, 'monthly fee');
  const received = schedule.principalFen - upfront;
  if (received <= 0) {
    throw badRequest('FEE_INVALID', 'The upfront fee must be smaller than the principal', {
      value: String(upfront),
    });
  }
  const flows = new Map<number, number>();
  for (const row of schedule.instalments)
    flows.set(row.period, (flows.get(row.period) ?? 0) + row.paymentFen);
  if (monthly > 0) for (let t = 1; t <= schedule.termMonths; t++) flows.set(t, (flows.get(t) ?? 0) + monthly);
  const entries = [...flows.entries()].sort((a, b) => a[0] - b[0]);
  // npv(m) = received − Σ pay_t / (1+m)^t rises with m.
  const npv = (m: number) => {
    let pv = 0;
    for (const [t, pay] of entries) pv += pay / (1 + m) ** t;
    return received - pv;
  };
  let lo = -0.99;
  let hi = 1;
  while (npv(hi) < 0 && hi < 1e6) hi *= 2;
  if (npv(lo) > 0) lo = -0.999999;
  for (let i = 0; i < 200 && hi - lo > 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (npv(mid) < 0) lo = mid;
    else hi = mid;
  }
  const m = (lo + hi) / 2;
  const nominal = m * 12;
  const effective = (1 + m) ** 12 - 1;
  return {
    monthlyIrr: m,
    nominalAnnual: nominal,
    effectiveAnnual: effective,
    nominalAnnualPercent: percent4(nominal),
    effectiveAnnualPercent: percent4(effective),
  };
}
