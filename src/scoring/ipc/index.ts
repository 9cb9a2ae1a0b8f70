export { reconstructFinancials, saleMonths } from './financials.js';
export type {
  BalanceSheet,
  CashFlowMonth,
  Financials,
  FixedAssetLine,
  GrossMargin,
  Household,
  Line,
  PreviousAnalysis,
  ProfitAndLoss,
  SalesRouteFigure,
} from './financials.js';
export {
  caseDoubts,
  equityCheck,
  grossMarginCheck,
  householdSpendingCheck,
  inventoryDaysCheck,
  receivableDaysCheck,
  repaymentChecks,
  runCrossChecks,
  salesChecks,
} from './crosschecks.js';
export type { CheckResult, CrossCheckOptions, Doubt, Verdict } from './crosschecks.js';
export { IpcConfigSchema, defaultIpcConfig, parseIpcConfig } from './config.js';
export type { IpcConfig, Range, SectorCheckConfig, Tolerance } from './config.js';
export { fenToYuan, roundHalfUp, spreadFen, yuanToFen } from './money.js';
