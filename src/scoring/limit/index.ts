/** Limit and term: the affordable instalment, product limits and equity cap → the nearest offer. Pure. */
export { LimitConfigSchema, defaultLimitConfig, parseLimitConfig } from './config.js';
export type { LimitConfig } from './config.js';
export { BINDING_CONSTRAINTS, limitInputFromFinancials, loanBurden, recommendLimit } from './recommend.js';
export type { BindingConstraint, LimitInput, LimitRecommendation, LoanRequest, Offer } from './recommend.js';
