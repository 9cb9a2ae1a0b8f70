/**
 * Small constructors that keep the six sector templates readable. They only build plain data.
 */
import type { Condition, Constraint, Expr, LedgerTag, Localized, Question, Validation } from './schema.js';

export const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, 'en-US': en });

interface Opts {
  required?: boolean;
  showIf?: Condition;
  ledger?: LedgerTag;
  help?: Localized;
}

const validation = (v: Validation): Validation | undefined => {
  const clean = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Validation;
  return Object.keys(clean).length ? clean : undefined;
};

const base = (id: string, zh: string, en: string, o: Opts) => ({
  id,
  label: L(zh, en),
  ...(o.help ? { help: o.help } : {}),
  ...(o.showIf ? { showIf: o.showIf } : {}),
  ...(o.ledger ? { ledger: o.ledger } : {}),
});

export function money(
  id: string,
  zh: string,
  en: string,
  o: Opts & { max?: number; allowNegative?: boolean } = {},
): Question {
  const v = validation({
    required: o.required,
    max: o.max,
    allowNegative: o.allowNegative,
    allowedUnits: ['万元'],
  });
  return { ...base(id, zh, en, o), type: 'money', ...(v ? { validation: v } : {}) };
}

export function num(
  id: string,
  zh: string,
  en: string,
  unit: string,
  o: Opts & { min?: number; max?: number; integer?: boolean; allowedUnits?: string[]; margin?: boolean } = {},
): Question {
  const v = validation({
    required: o.required,
    min: o.min,
    max: o.max,
    integer: o.integer,
    allowedUnits: o.allowedUnits,
    margin: o.margin,
  });
  return { ...base(id, zh, en, o), type: 'number', unit, ...(v ? { validation: v } : {}) };
}

export const pct = (id: string, zh: string, en: string, o: Opts = {}) =>
  num(id, zh, en, '%', { ...o, min: 0, max: 100 });

export const count = (id: string, zh: string, en: string, unit: string, o: Opts & { max?: number } = {}) =>
  num(id, zh, en, unit, { ...o, min: 0, integer: true });

/** A month of the year, 1–12. */
export const monthOfYear = (id: string, zh: string, en: string, o: Opts = {}) =>
  num(id, zh, en, '月份', { ...o, min: 1, max: 12, integer: true });

export const bool = (id: string, zh: string, en: string, o: Opts = {}): Question => ({
  ...base(id, zh, en, o),
  type: 'boolean',
  ...(o.required ? { validation: { required: true } } : {}),
});

export const text = (id: string, zh: string, en: string, maxLength = 500, o: Opts = {}): Question => ({
  ...base(id, zh, en, o),
  type: 'text',
  validation: validation({ required: o.required, maxLength }),
});

export const choice = (
  id: string,
  zh: string,
  en: string,
  choices: [string, string, string][],
  o: Opts = {},
): Question => ({
  ...base(id, zh, en, o),
  type: 'choice',
  choices: choices.map(([cid, czh, cen]) => ({ id: cid, label: L(czh, cen) })),
  ...(o.required ? { validation: { required: true } } : {}),
});

export const other = (
  id: string,
  type: 'date' | 'photo' | 'gps',
  zh: string,
  en: string,
  o: Opts = {},
): Question => ({
  ...base(id, zh, en, o),
  type,
  ...(o.required ? { validation: { required: true } } : {}),
});

// Expressions
export const ref = (id: string, dflt?: number): Expr =>
  dflt === undefined ? { ref: id } : { ref: id, default: dflt };
export const k = (n: number): Expr => ({ const: n });
export const add = (...args: Expr[]): Expr => ({ op: 'add', args });
export const sub = (...args: Expr[]): Expr => ({ op: 'sub', args });
export const mul = (...args: Expr[]): Expr => ({ op: 'mul', args });
export const div = (...args: Expr[]): Expr => ({ op: 'div', args });
/** x% as a fraction. */
export const frac = (e: Expr): Expr => div(e, k(100));

// Conditions
export const isTrue = (id: string): Condition => ({ op: 'equals', ref: id, value: true });
export const gt0 = (id: string): Condition => ({ op: 'gt', left: ref(id), right: k(0) });
export const lte = (left: Expr, right: Expr): Condition => ({ op: 'lte', left, right });

export const impossible = (
  id: string,
  questionId: string,
  assert: Condition,
  zh: string,
  en: string,
): Constraint => ({
  id,
  assert,
  code: 'IMPOSSIBLE_QUANTITY',
  questionId,
  message: L(zh, en),
});
