/**
 * PD and LGD of one loan from the bank's inputs.
 *
 * PD: from the internal grade via the master scale, or from a calibrated model probability; either way floored
 * (Basel II paras 285, 331: 0.03%). LGD: a simple collateral-and-guarantee rule in the spirit of the foundation
 * IRB approach (Basel II June 2006, Part 2 III.C.2 "Loss given default": 45% senior unsecured, a lower LGD on
 * the part covered by haircut collateral, substitution for guarantees): the part of the exposure covered by the haircut value of collateral,
 * or by an acceptable guarantor, takes the secured LGD; the rest takes the unsecured LGD; the result is floored.
 */
import { badRequest } from '../../platform/errors.js';
import { checkFen } from './money.js';
import { GRADES } from './params.js';
import type { Grade, PricingParams } from './params.js';

/** 信用 credit only, 保证 guarantee, 抵押 real-estate mortgage, 质押 pledge. */
export type Security =
  | { kind: 'credit' }
  | { kind: 'guarantee'; /** share of EAD the guarantor covers, [0, 1] */ coverage: number }
  | { kind: 'mortgage'; appraisedValueFen: number }
  | { kind: 'pledge'; valueFen: number };

export interface LgdResult {
  lgd: number;
  /** Share of EAD covered by collateral after haircut, or by the guarantee. */
  coveredShare: number;
  /** LGD before the floor. */
  lgdBeforeFloor: number;
  floored: boolean;
}

/** PD of an internal grade from the master scale, floored. */
export function pdFromGrade(grade: Grade, params: PricingParams): number {
  if (!(GRADES as readonly unknown[]).includes(grade)) {
    throw badRequest('GRADE_UNKNOWN', 'Unknown internal grade', { value: String(grade) });
  }
  return Math.max(params.pdMasterScale[grade], params.pdFloor);
}

/** PD from a calibrated model probability in (0, 1], floored. */
export function pdFromModel(probability: number, params: PricingParams): number {
  if (
    typeof probability !== 'number' ||
    !Number.isFinite(probability) ||
    probability <= 0 ||
    probability > 1
  ) {
    throw badRequest('PD_OUT_OF_RANGE', 'A model probability must be a number in (0, 1]', {
      value: String(probability),
    });
  }
  return Math.max(probability, params.pdFloor);
}

/** LGD of a loan of `eadFen` with its security, under the parameter set's LGD rules. */
export function lgdFor(security: Security, eadFen: number, params: PricingParams): LgdResult {
  checkFen(eadFen, 'ead');
  const rules = params.lgd;
  const blend = (covered: number, securedLgd: number) =>
    covered * securedLgd + (1 - covered) * rules.unsecured;
  const coveredBy = (valueFen: number, haircut: number) => {
    checkFen(valueFen, 'collateral value');
    // A loan of nothing is fully covered by any collateral.
    return eadFen === 0 ? 1 : Math.min(1, (valueFen * (1 - haircut)) / eadFen);
  };
  let covered: number;
  let raw: number;
  switch (security?.kind) {
    case 'credit':
      covered = 0;
      raw = rules.unsecured;
      break;
    case 'guarantee': {
      const c = security.coverage;
      if (typeof c !== 'number' || !Number.isFinite(c) || c < 0 || c > 1) {
        throw badRequest('GUARANTEE_COVERAGE_OUT_OF_RANGE', 'Guarantee coverage must be a share in [0, 1]', {
          value: String(c),
        });
      }
      covered = c;
      raw = blend(c, rules.guaranteed);
      break;
    }
    case 'mortgage':
      covered = coveredBy(security.appraisedValueFen, rules.mortgage.haircut);
      raw = blend(covered, rules.mortgage.securedLgd);
      break;
    case 'pledge':
      covered = coveredBy(security.valueFen, rules.pledge.haircut);
      raw = blend(covered, rules.pledge.securedLgd);
      break;
    default:
      throw badRequest('SECURITY_KIND_UNKNOWN', 'Unknown kind of security', {
        value: String((security as { kind?: unknown } | undefined)?.kind),
      });
  }
  const lgd = Math.min(1, Math.max(rules.floor, raw));
  return { lgd, coveredShare: covered, lgdBeforeFloor: raw, floored: lgd > raw };
}
