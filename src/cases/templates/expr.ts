/**
 * Evaluation of the template's safe expression and condition forms. A value table maps ids (questions and
 * computed fields) to scalars; nothing here can run code from the template.
 */
import type { Condition, Expr } from './schema.js';

export type Scalar = number | string | boolean;
export type ValueTable = ReadonlyMap<string, Scalar>;

/** Evaluates an expression; undefined when a ref without default is missing, not a number, or a division by 0. */
export function evalExpr(e: Expr, values: ValueTable): number | undefined {
  if ('const' in e) return e.const;
  if ('ref' in e) {
    const v = values.get(e.ref);
    if (typeof v === 'number') return v;
    return v === undefined ? e.default : undefined;
  }
  const args: number[] = [];
  for (const a of e.args) {
    const v = evalExpr(a, values);
    if (v === undefined) return undefined;
    args.push(v);
  }
  const [first, ...rest] = args as [number, ...number[]];
  let out: number;
  switch (e.op) {
    case 'add':
      out = args.reduce((s, x) => s + x, 0);
      break;
    case 'sub':
      out = rest.reduce((s, x) => s - x, first);
      break;
    case 'mul':
      out = args.reduce((s, x) => s * x, 1);
      break;
    case 'div':
      out = first;
      for (const x of rest) {
        if (x === 0) return undefined;
        out /= x;
      }
      break;
    case 'min':
      out = Math.min(...args);
      break;
    case 'max':
      out = Math.max(...args);
      break;
  }
  return Number.isFinite(out) ? out : undefined;
}

/** Three-valued: undefined when a needed answer is missing, so callers decide what "unknown" means. */
export function evalCondition(c: Condition, values: ValueTable): boolean | undefined {
  switch (c.op) {
    case 'equals': {
      const v = values.get(c.ref);
      return v === undefined ? undefined : v === c.value;
    }
    case 'in': {
      const v = values.get(c.ref);
      return v === undefined ? undefined : (c.values as Scalar[]).includes(v);
    }
    case 'answered':
      return values.has(c.ref);
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte': {
      const l = evalExpr(c.left, values);
      const r = evalExpr(c.right, values);
      if (l === undefined || r === undefined) return undefined;
      if (c.op === 'gt') return l > r;
      if (c.op === 'lt') return l < r;
      if (c.op === 'gte') return l >= r;
      return l <= r;
    }
    case 'and': {
      let unknown = false;
      for (const x of c.all) {
        const v = evalCondition(x, values);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const x of c.any) {
        const v = evalCondition(x, values);
        if (v === true) return true;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    case 'not': {
      const v = evalCondition(c.cond, values);
      return v === undefined ? undefined : !v;
    }
  }
}

/** Every ref in an expression, with its position relative to the expression. */
export function exprRefs(e: Expr, path = ''): { ref: string; path: string }[] {
  if ('const' in e) return [];
  if ('ref' in e) return [{ ref: e.ref, path: `${path}.ref` }];
  return e.args.flatMap((a, i) => exprRefs(a, `${path}.args[${i}]`));
}

export function conditionRefs(c: Condition, path = ''): { ref: string; path: string }[] {
  switch (c.op) {
    case 'equals':
    case 'in':
    case 'answered':
      return [{ ref: c.ref, path: `${path}.ref` }];
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte':
      return [...exprRefs(c.left, `${path}.left`), ...exprRefs(c.right, `${path}.right`)];
    case 'and':
      return c.all.flatMap((x, i) => conditionRefs(x, `${path}.all[${i}]`));
    case 'or':
      return c.any.flatMap((x, i) => conditionRefs(x, `${path}.any[${i}]`));
    case 'not':
      return conditionRefs(c.cond, `${path}.cond`);
  }
}
