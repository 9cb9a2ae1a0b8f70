/** Risk-based loan pricing on the Basel II IRB framework: pure functions over plain data. */
export { normalCdf, normalInv } from './normal.js';
export {
  ASSET_CLASSES,
  BASEL2_PD_FLOOR,
  BASEL2_SCALING_FACTOR,
  assetCorrelation,
  capitalRequirement,
  corporateCorrelation,
  floorPd,
  irbCapital,
  maturityAdjustment,
  maturityB,
  otherRetailCorrelation,
  riskWeight,
  riskWeightedAssets,
  smeFirmSizeAdjustment,
} from './irb.js';
export type { AssetClass, IrbInput, IrbResult } from './irb.js';
export {
  GRADES,
  LgdRulesSchema,
  LprEntrySchema,
  PricingParamsSchema,
  defaultPricingParams,
  lprOn,
  parsePricingParams,
  selectParams,
} from './params.js';
export type { Grade, LprEntry, PricingParams } from './params.js';
export { lgdFor, pdFromGrade, pdFromModel } from './lgd.js';
export type { LgdResult, Security } from './lgd.js';
export { effectiveMaturity, exposureAtDefault } from './ead.js';
export {
  REPAYMENT_METHODS,
  REPAYMENT_METHOD_LABELS,
  buildSchedule,
  equalInstalmentFen,
  scheduleApr,
} from './schedule.js';
export type { Apr, Fees, Instalment, RepaymentMethod, Schedule, ScheduleInput } from './schedule.js';
export { priceLoan } from './rate.js';
export type { Clamp, ComponentKey, LoanPrice, PriceComponent, PriceLoanInput } from './rate.js';
export { bpToPercentString, bpToRateString, fenToYuan, yuanToFen } from './money.js';
