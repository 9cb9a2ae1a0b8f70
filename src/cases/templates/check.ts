/**
 * Static checks of a template before it is published: unknown refs, cycles, malformed questions. Every issue
 * carries the position of the offending element (a JSON-path-like string).
 */
import { conditionRefs, exprRefs } from './expr.js';
import { SurveyTemplateSchema } from './schema.js';
import type { SurveyTemplate } from './schema.js';
import { unitFactor } from './units.js';

export type TemplateIssueCode =
  | 'SCHEMA_INVALID'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_REF'
  | 'REF_NOT_NUMERIC'
  | 'SHOWIF_REF_NOT_QUESTION'
  | 'COMPUTED_CYCLE'
  | 'SHOWIF_CYCLE'
  | 'CHOICES_MISSING'
  | 'NUMBER_WITHOUT_UNIT'
  | 'MIN_ABOVE_MAX'
  | 'UNIT_NOT_CONVERTIBLE'
  | 'UNKNOWN_PRIMARY_ROUTE'
  | 'PRODUCT_LINE_WITHOUT_SHARE'
  | 'HARVEST_MONTH_MISSING';

export interface TemplateIssue {
  code: TemplateIssueCode;
  path: string;
  message: string;
}

/** Finds a cycle through `start` in a graph given by `edges`, as the list of ids along it. */
function findCycle(start: string, edges: ReadonlyMap<string, string[]>): string[] | undefined {
  const stack: string[] = [];
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const dfs = (id: string): string[] | undefined => {
    if (onStack.has(id)) return id === start ? [...stack, id] : undefined;
    if (seen.has(id)) return undefined;
    seen.add(id);
    stack.push(id);
    onStack.add(id);
    for (const next of edges.get(id) ?? []) {
      const c = dfs(next);
      if (c) return c;
    }
    stack.pop();
    onStack.delete(id);
    return undefined;
  };
  return dfs(start);
}

export function validateTemplate(input: unknown): TemplateIssue[] {
  const parsed = SurveyTemplateSchema.safeParse(input);
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({
      code: 'SCHEMA_INVALID' as const,
      path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join(''),
      message: i.message,
    }));
  const t: SurveyTemplate = parsed.data;
  const issues: TemplateIssue[] = [];
  const add = (code: TemplateIssueCode, path: string, message: string) =>
    issues.push({ code, path, message });

  const questionType = new Map<string, string>();
  const computedIds = new Set<string>();
  const seenIds = new Set<string>();
  t.sections.forEach((s, si) =>
    s.questions.forEach((q, qi) => {
      const path = `sections[${si}].questions[${qi}]`;
      if (seenIds.has(q.id)) add('DUPLICATE_ID', `${path}.id`, `id "${q.id}" is used twice`);
      seenIds.add(q.id);
      questionType.set(q.id, q.type);
      const v = q.validation;
      if (q.type === 'choice' && !q.choices?.length)
        add('CHOICES_MISSING', path, `choice "${q.id}" has no choices`);
      if (q.type === 'number' && !q.unit) add('NUMBER_WITHOUT_UNIT', path, `number "${q.id}" has no unit`);
      if (v?.min !== undefined && v.max !== undefined && v.min > v.max)
        add('MIN_ABOVE_MAX', `${path}.validation`, `min ${v.min} is above max ${v.max}`);
      const canonical = q.type === 'money' ? '元' : q.unit;
      v?.allowedUnits?.forEach((u, ui) => {
        if (canonical === undefined || unitFactor(u, canonical) === undefined)
          add(
            'UNIT_NOT_CONVERTIBLE',
            `${path}.validation.allowedUnits[${ui}]`,
            `"${u}" does not convert to "${canonical}"`,
          );
      });
    }),
  );
  t.computed.forEach((c, ci) => {
    if (seenIds.has(c.id)) add('DUPLICATE_ID', `computed[${ci}].id`, `id "${c.id}" is used twice`);
    seenIds.add(c.id);
    computedIds.add(c.id);
  });

  const isNumeric = (id: string) =>
    computedIds.has(id) || questionType.get(id) === 'money' || questionType.get(id) === 'number';
  const checkRef = (ref: string, path: string, numeric: boolean) => {
    if (!seenIds.has(ref)) add('UNKNOWN_REF', path, `"${ref}" is neither a question nor a computed field`);
    else if (numeric && !isNumeric(ref)) add('REF_NOT_NUMERIC', path, `"${ref}" is not a number`);
  };

  const showIfEdges = new Map<string, string[]>();
  t.sections.forEach((s, si) =>
    s.questions.forEach((q, qi) => {
      if (!q.showIf) return;
      const refs = conditionRefs(q.showIf, `sections[${si}].questions[${qi}].showIf`);
      showIfEdges.set(
        q.id,
        refs.map((r) => r.ref),
      );
      for (const r of refs) {
        if (computedIds.has(r.ref))
          add('SHOWIF_REF_NOT_QUESTION', r.path, `"${r.ref}" is computed; show conditions use answers only`);
        else checkRef(r.ref, r.path, false);
      }
    }),
  );

  const computedEdges = new Map<string, string[]>();
  t.computed.forEach((c, ci) => {
    const refs = exprRefs(c.expr, `computed[${ci}].expr`);
    computedEdges.set(
      c.id,
      refs.map((r) => r.ref).filter((r) => computedIds.has(r)),
    );
    for (const r of refs) checkRef(r.ref, r.path, true);
  });
  t.computed.forEach((c, ci) => {
    const cycle = findCycle(c.id, computedEdges);
    if (cycle) add('COMPUTED_CYCLE', `computed[${ci}]`, `computed fields form a cycle: ${cycle.join(' → ')}`);
  });
  t.sections.forEach((s, si) =>
    s.questions.forEach((q, qi) => {
      const cycle = showIfEdges.has(q.id) ? findCycle(q.id, showIfEdges) : undefined;
      if (cycle)
        add(
          'SHOWIF_CYCLE',
          `sections[${si}].questions[${qi}].showIf`,
          `show conditions form a cycle: ${cycle.join(' → ')}`,
        );
    }),
  );

  t.constraints.forEach((c, ci) => {
    for (const r of conditionRefs(c.assert, `constraints[${ci}].assert`)) checkRef(r.ref, r.path, false);
    checkRef(c.questionId, `constraints[${ci}].questionId`, false);
  });

  const f = t.financials;
  if (!f.routes.some((r) => r.id === f.primaryRoute && r.kind === 'revenue'))
    add('UNKNOWN_PRIMARY_ROUTE', 'financials.primaryRoute', `"${f.primaryRoute}" is not a revenue route`);
  f.routes.forEach((r, i) => checkRef(r.ref, `financials.routes[${i}].ref`, true));
  f.productLines.forEach((p, i) => {
    const path = `financials.productLines[${i}]`;
    if (!p.shareRef && !p.revenueRef)
      add('PRODUCT_LINE_WITHOUT_SHARE', path, `product line "${p.id}" has neither shareRef nor revenueRef`);
    for (const key of [
      'shareRef',
      'revenueRef',
      'unitCostRef',
      'unitPriceRef',
      'harvestMonthRef',
      'sowMonthRef',
    ] as const) {
      const ref = p[key];
      if (ref) checkRef(ref, `${path}.${key}`, true);
    }
    if (f.profile.kind === 'harvest' && (!p.harvestMonthRef || !p.sowMonthRef))
      add('HARVEST_MONTH_MISSING', path, `a harvest profile needs harvest and sowing months on "${p.id}"`);
  });
  if (f.claimedMarginRef) checkRef(f.claimedMarginRef, 'financials.claimedMarginRef', true);
  for (const key of ['operatingCosts', 'otherIncome', 'tax', 'other'] as const)
    f[key].forEach((a, i) => checkRef(a.ref, `financials.${key}[${i}].ref`, true));
  f.fixedAssets.forEach((g, i) => {
    for (const key of ['costRef', 'yearsUsedRef', 'usefulLifeRef', 'presentValueRef'] as const)
      checkRef(g[key], `financials.fixedAssets[${i}].${key}`, true);
  });
  for (const [key, ref] of Object.entries(f.profile))
    if (key.endsWith('Ref') && typeof ref === 'string') checkRef(ref, `financials.profile.${key}`, true);
  return issues;
}
