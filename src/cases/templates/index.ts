export * from './schema.js';
export { evalCondition, evalExpr } from './expr.js';
export type { Scalar, ValueTable } from './expr.js';
export {
  allQuestions,
  computeFields,
  sourcesOf,
  surveyValues,
  validateAnswers,
  visibleQuestions,
} from './answers.js';
export type { AnswerIssue, AnswerIssueCode } from './answers.js';
export { validateTemplate } from './check.js';
export type { TemplateIssue, TemplateIssueCode } from './check.js';
export { COMMON } from './common.js';
export { BUILT_IN_TEMPLATES, createTemplateRegistry, getTemplate, listTemplates } from './registry.js';
export type { TemplateRegistry, TemplateSummary } from './registry.js';
export { convertUnit, unitFactor } from './units.js';
