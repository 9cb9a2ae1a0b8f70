/**
 * Pure functions over a template and an officer's answers: which questions are shown, what the computed fields
 * come to, and what is wrong with the answers.
 */
import { conditionRefs, evalCondition, evalExpr, exprRefs } from './expr.js';
import type { Scalar, ValueTable } from './expr.js';
import type { AnswerValue, Answers, Localized, Question, SurveyTemplate } from './schema.js';
import { convertUnit } from './units.js';

export type AnswerIssueCode =
  | 'REQUIRED'
  | 'WRONG_TYPE'
  | 'VALUE_OUT_OF_RANGE'
  | 'UNIT_MISMATCH'
  | 'MARGIN_OVER_100'
  | 'IMPOSSIBLE_QUANTITY'
  | 'TOO_LONG'
  | 'UNKNOWN_CHOICE'
  | 'INVALID_DATE'
  | 'INVALID_GPS'
  | (string & {}); // template constraints carry their own codes (e.g. SHARES_NOT_100)

export interface AnswerIssue {
  questionId: string;
  code: AnswerIssueCode;
  message: Localized;
}

export function allQuestions(template: SurveyTemplate): Question[] {
  return template.sections.flatMap((s) => s.questions);
}

const isBlank = (v: AnswerValue | undefined) => v === undefined || v === null || v === '';

type Normalized = { ok: true; value: Scalar } | { ok: false; code: AnswerIssueCode; message: Localized };

const fail = (code: AnswerIssueCode, zh: string, en: string): Normalized => ({
  ok: false,
  code,
  message: { 'zh-CN': zh, 'en-US': en },
});

/** YYYY-MM-DD naming a real day of the Gregorian calendar (no clock involved). */
function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return days !== undefined && d >= 1 && d <= days;
}

/** Converts one raw answer to a scalar in the question's canonical unit (yuan for money). */
function normalize(q: Question, raw: AnswerValue): Normalized {
  switch (q.type) {
    case 'money':
    case 'number': {
      const canonical = q.type === 'money' ? '元' : q.unit;
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (raw !== null && typeof raw === 'object' && 'value' in raw) {
        const allowed = [canonical, ...(q.validation?.allowedUnits ?? [])];
        const converted =
          canonical !== undefined && allowed.includes(raw.unit)
            ? convertUnit(raw.value, raw.unit, canonical)
            : undefined;
        if (converted === undefined)
          return fail(
            'UNIT_MISMATCH',
            `单位“${raw.unit}”不适用，应为 ${allowed.join('、')}`,
            `unit "${raw.unit}" is not accepted; expected ${allowed.join(', ')}`,
          );
        n = converted;
      } else return fail('WRONG_TYPE', '应为数字', 'a number is expected');
      if (!Number.isFinite(n)) return fail('WRONG_TYPE', '应为数字', 'a number is expected');
      return { ok: true, value: n };
    }
    case 'boolean':
      return typeof raw === 'boolean'
        ? { ok: true, value: raw }
        : fail('WRONG_TYPE', '应为是或否', 'yes or no is expected');
    case 'choice':
      if (typeof raw !== 'string') return fail('WRONG_TYPE', '应为选项', 'a choice is expected');
      return (q.choices ?? []).some((c) => c.id === raw)
        ? { ok: true, value: raw }
        : fail('UNKNOWN_CHOICE', `选项“${raw}”不存在`, `"${raw}" is not one of the choices`);
    case 'text':
    case 'photo':
      return typeof raw === 'string'
        ? { ok: true, value: raw }
        : fail('WRONG_TYPE', '应为文本', 'text is expected');
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw))
        return fail('INVALID_DATE', '日期格式应为 YYYY-MM-DD', 'a date YYYY-MM-DD is expected');
      return isCalendarDate(raw)
        ? { ok: true, value: raw }
        : fail('INVALID_DATE', '日期不存在', 'the date does not exist');
    }
    case 'gps': {
      const ok =
        raw !== null &&
        typeof raw === 'object' &&
        'lat' in raw &&
        Math.abs(raw.lat) <= 90 &&
        Math.abs(raw.lng) <= 180;
      return ok
        ? { ok: true, value: `${raw.lat},${raw.lng}` }
        : fail('INVALID_GPS', '坐标无效', 'the coordinates are not valid');
    }
  }
}

/** Scalars of every well-formed, non-blank answer to a known question, visible or not. */
function rawTable(template: SurveyTemplate, answers: Answers): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  for (const q of allQuestions(template)) {
    const raw = answers[q.id];
    if (isBlank(raw)) continue;
    const n = normalize(q, raw as AnswerValue);
    if (n.ok) out.set(q.id, n.value);
  }
  return out;
}

/** A question is shown when its condition holds over the answers of shown questions; a cycle hides it. */
function visibility(template: SurveyTemplate, raw: ValueTable): Map<string, boolean> {
  const byId = new Map(allQuestions(template).map((q) => [q.id, q]));
  const memo = new Map<string, boolean>();
  const visiting = new Set<string>();
  const visible = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const q = byId.get(id);
    if (!q || visiting.has(id)) return false;
    visiting.add(id);
    let result = true;
    if (q.showIf) {
      const scoped = new Map<string, Scalar>();
      for (const { ref } of conditionRefs(q.showIf)) {
        const v = raw.get(ref);
        if (v !== undefined && visible(ref)) scoped.set(ref, v);
      }
      result = evalCondition(q.showIf, scoped) === true;
    }
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };
  for (const id of byId.keys()) visible(id);
  return memo;
}

export function visibleQuestions(template: SurveyTemplate, answers: Answers): Question[] {
  const vis = visibility(template, rawTable(template, answers));
  return allQuestions(template).filter((q) => vis.get(q.id) === true);
}

const roundTo = (x: number, decimals: number) => {
  const f = 10 ** decimals;
  return (Math.sign(x) * Math.round(Math.abs(Number((x * f).toFixed(6))))) / f;
};

/**
 * The value table of a survey: answers of shown questions (canonical units) plus every computed field that
 * can be computed. Money fields are rounded to the fen. A computed field in a cycle stays undefined.
 */
export function surveyValues(template: SurveyTemplate, answers: Answers): Map<string, Scalar> {
  const raw = rawTable(template, answers);
  const vis = visibility(template, raw);
  const values = new Map<string, Scalar>();
  for (const [id, v] of raw) if (vis.get(id)) values.set(id, v);
  const byId = new Map(template.computed.map((c) => [c.id, c]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const compute = (id: string) => {
    const c = byId.get(id);
    if (!c || done.has(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const { ref } of exprRefs(c.expr)) compute(ref);
    visiting.delete(id);
    done.add(id);
    const v = evalExpr(c.expr, values);
    if (v !== undefined) values.set(id, c.type === 'money' ? roundTo(v, 2) : roundTo(v, 6));
  };
  for (const id of byId.keys()) compute(id);
  return values;
}

export function computeFields(template: SurveyTemplate, answers: Answers): Record<string, number> {
  const values = surveyValues(template, answers);
  const out: Record<string, number> = {};
  for (const c of template.computed) {
    const v = values.get(c.id);
    if (typeof v === 'number') out[c.id] = v;
  }
  return out;
}

/**
 * The question ids a ref ultimately rests on (through computed fields), for traceability of every figure.
 */
export function sourcesOf(template: SurveyTemplate, ref: string): string[] {
  const byId = new Map(template.computed.map((c) => [c.id, c]));
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const c = byId.get(id);
    if (!c) {
      out.add(id);
      return;
    }
    for (const r of exprRefs(c.expr)) walk(r.ref);
  };
  walk(ref);
  return [...out].sort();
}

/** Everything wrong with a set of answers: per-answer checks, then the template's cross-field constraints. */
export function validateAnswers(template: SurveyTemplate, answers: Answers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const push = (questionId: string, code: AnswerIssueCode, zh: string, en: string) =>
    issues.push({ questionId, code, message: { 'zh-CN': zh, 'en-US': en } });
  const shown = new Set(visibleQuestions(template, answers).map((q) => q.id));
  for (const q of allQuestions(template)) {
    if (!shown.has(q.id)) continue;
    const raw = answers[q.id];
    const v = q.validation ?? {};
    if (isBlank(raw)) {
      if (v.required) push(q.id, 'REQUIRED', '必填', 'an answer is required');
      continue;
    }
    const n = normalize(q, raw as AnswerValue);
    if (!n.ok) {
      issues.push({ questionId: q.id, code: n.code, message: n.message });
      continue;
    }
    const value = n.value;
    if (typeof value === 'string' && v.maxLength !== undefined && [...value].length > v.maxLength)
      push(q.id, 'TOO_LONG', `不超过 ${v.maxLength} 字`, `at most ${v.maxLength} characters`);
    if (typeof value !== 'number') continue;
    if (value < 0 && !v.allowNegative) {
      push(q.id, 'IMPOSSIBLE_QUANTITY', '数量或金额不能为负', 'a quantity or amount cannot be negative');
      continue;
    }
    if (v.integer && !Number.isInteger(value)) {
      push(q.id, 'IMPOSSIBLE_QUANTITY', '应为整数', 'a whole number is expected');
      continue;
    }
    if (v.margin && value > 100) {
      push(q.id, 'MARGIN_OVER_100', '毛利率不能超过 100%', 'a gross margin cannot exceed 100%');
      continue;
    }
    if ((v.min !== undefined && value < v.min) || (v.max !== undefined && value > v.max))
      push(
        q.id,
        'VALUE_OUT_OF_RANGE',
        `应在 ${v.min ?? '−∞'} 至 ${v.max ?? '∞'} 之间`,
        `expected between ${v.min ?? '−∞'} and ${v.max ?? '∞'}`,
      );
  }
  const values = surveyValues(template, answers);
  for (const c of template.constraints) {
    if (evalCondition(c.assert, values) === false)
      issues.push({ questionId: c.questionId, code: c.code, message: c.message });
  }
  return issues;
}
