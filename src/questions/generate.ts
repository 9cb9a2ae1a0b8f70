/**
 * Generation of one applicant's private question bank from the catalogue and the case: the questions for
 * every fact that applies to the sector, each with its expected answer and an information weight from the
 * fact's importance and the case's doubt, control questions whose answer the bank already knows, and decoys.
 *
 * Pure and deterministic: paraphrases, decoys, controls and order are drawn from a seeded PRNG (by default
 * seeded from the case id), so the same case, catalogue and seed always give the same bank while different
 * applicants see different banks (a fixed bank leaks to intermediaries; DOMAIN.md "Remote AI interviews").
 */
import { validationFailed } from '../platform/errors.js';
import { seededRng } from '../platform/deps.js';
import type { Rng } from '../platform/deps.js';
import { CaseContextSchema } from './schemas.js';
import type {
  CaseContext,
  CaseValue,
  Catalogue,
  CatalogueFact,
  Doubt,
  FraudSignal,
  Operand,
  QuestionTemplate,
  ValueSource,
} from './schemas.js';
import { sourceName } from './sources.js';
import { EARLIER_ANSWER_SLOT, OWN_ANSWER_SLOT, figureAt, fillSlots, slotsOf } from './text.js';
import { DISPLAY_FIELDS } from './types.js';
import type {
  BankQuestion,
  DisplayField,
  Expectation,
  FactSource,
  Lang,
  Localized,
  QuestionBank,
  QuestionKind,
  QuestionPurpose,
  Tolerance,
} from './types.js';
import { sectorsOf } from './validate.js';

export interface GenerateOptions {
  /** Defaults to `seedFromCaseId(ctx.caseId)`. */
  seed?: number;
}

/** Where a fact's prior doubt came from (for the risk manager's report). */
export interface DoubtContribution {
  origin: 'baseline' | 'cross_check' | 'screening' | 'officer' | 'screening_flag' | 'fraud_signal';
  severity?: 'warn' | 'fail';
  value: number;
  reason: string;
}

export interface SkippedTemplate {
  templateId: string;
  reason: 'missing_display_field' | 'decoy_not_drawn' | 'would_disclose';
  detail?: string;
}

export interface GenerationTrace {
  seed: number;
  expectations: Record<string, Expectation>;
  doubtContributions: Record<string, DoubtContribution[]>;
  skipped: SkippedTemplate[];
  /** Doubts about facts that are not in the catalogue or do not apply to the sector. */
  unmatchedDoubts: Doubt[];
  /** Fraud signals the catalogue does not map to facts (and that name no facts themselves). */
  unmatchedSignals: FraudSignal[];
  /** Display fields not used because they contain a figure, a brace or are too long. */
  droppedDisplayFields: DisplayField[];
  controlsBelowMinimum: boolean;
}

const MAX_DISPLAY_LENGTH = 40;
const LANGS: readonly Lang[] = ['zh-CN', 'en-US'];

/** FNV-1a (32-bit) of the case id: a stable per-case seed without a clock or global state. */
export function seedFromCaseId(caseId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < caseId.length; i++) {
    h ^= caseId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Validates a case context from the wire; throws VALIDATION_FAILED with the fields. */
export function parseCaseContext(input: unknown): CaseContext {
  const r = CaseContextSchema.safeParse(input);
  if (!r.success) {
    throw validationFailed(
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
    );
  }
  return r.data;
}

/** The applicant's private question bank. */
export function generateBank(
  ctx: CaseContext,
  catalogue: Catalogue,
  options: GenerateOptions = {},
): QuestionBank {
  return buildBank(ctx, catalogue, options).bank;
}

/** The bank together with the trace of how it was built (what the report explains). */
export function buildBank(
  ctx: CaseContext,
  catalogue: Catalogue,
  options: GenerateOptions = {},
): { bank: QuestionBank; trace: GenerationTrace } {
  const seed = (options.seed ?? seedFromCaseId(ctx.caseId)) >>> 0;
  const rng = seededRng(seed);
  const { params } = catalogue;

  const facts = catalogue.facts.filter((f) => sectorsOf(f.sectors).includes(ctx.sector));
  const factById = new Map(facts.map((f) => [f.id, f]));

  const expectations: Record<string, Expectation> = {};
  for (const f of facts) expectations[f.id] = factExpectation(f, ctx);
  // The templates this case can use, in catalogue order: the doubts, the decoys and the drafts read the same list.
  const applicable = catalogue.templates.filter((t) => applies(t, ctx, factById));

  const { doubt, contributions, unmatchedDoubts, unmatchedSignals } = priorDoubts(
    ctx,
    catalogue,
    facts,
    expectations,
    applicable,
  );

  const { values: slotValues, dropped } = slotValuesFor(
    ctx,
    catalogue,
    answerStrings(facts, expectations, ctx),
  );
  const skipped: SkippedTemplate[] = [];

  // Decoys: a different handful of cover questions for each case.
  const coverTemplates = applicable.filter((t) => t.factIds.every((id) => factById.get(id)?.cover === true));
  const drawnCovers = new Set(
    shuffle(coverTemplates, rng)
      .slice(0, params.decoys.count)
      .map((t) => t.id),
  );

  const defaultOwn = fillLocalized(catalogue.followUps.own, slotValues);
  const defaultCross = fillLocalized(catalogue.followUps.cross, slotValues);
  const drafts: Draft[] = [];
  for (const t of applicable) {
    const tFacts = t.factIds.map((id) => factById.get(id)).filter((f): f is CatalogueFact => f !== undefined);
    const primary = tFacts[0];
    if (!primary) continue;
    const isCover = tFacts.every((f) => f.cover === true);
    if (isCover && !drawnCovers.has(t.id)) {
      skipped.push({ templateId: t.id, reason: 'decoy_not_drawn' });
      continue;
    }
    const { expected, scale } = questionExpectation(
      t,
      primary,
      expectations[primary.id] ?? { kind: 'unknown' },
      ctx,
    );
    const secrets = secretsOf(
      tFacts,
      t.answerType === 'choice' ? { kind: 'unknown' } : expected,
      expectations,
      ctx,
    );
    const text = pickText(t.paraphrases, slotValues, secrets, rng);
    if (!text) {
      skipped.push({
        templateId: t.id,
        reason: 'missing_display_field',
        detail: missingSlots(t.paraphrases, slotValues) || 'every paraphrase would disclose',
      });
      continue;
    }
    const rephrase =
      pickText(t.rephrase, slotValues, secrets, rng, text) ??
      pickText(t.paraphrases, slotValues, secrets, rng, text) ??
      text;
    const followUp = fillLocalized(t.followUp, slotValues) ?? defaultOwn;
    const followUpCross = fillLocalized(t.followUpCross, slotValues) ?? defaultCross;
    if (!followUp || !followUpCross) {
      skipped.push({ templateId: t.id, reason: 'missing_display_field', detail: 'follow-up' });
      continue;
    }
    const leak = [followUp, followUpCross].map((x) => disclosure(x, secrets)).find((x) => x !== undefined);
    if (leak) {
      skipped.push({ templateId: t.id, reason: 'would_disclose', detail: leak });
      continue;
    }
    drafts.push({ t, facts: tFacts, text, rephrase, followUp, followUpCross, expected, scale, isCover });
  }

  // Controls: questions whose answer the bank already knows, on facts it does not doubt.
  const doubtful = (f: CatalogueFact) => (doubt[f.id] ?? 0) >= params.coverage.doubtfulFrom;
  const knownAnswer = (d: Draft) => d.expected.kind !== 'unknown' && !d.t.benchmark;
  const eligible = (d: Draft) => !d.isCover && knownAnswer(d) && !d.facts.some(doubtful);
  const controlIds = new Set(
    shuffle(
      drafts.filter((d) => d.t.kind === 'control' && eligible(d)),
      rng,
    )
      .slice(0, params.controls.max)
      .map((d) => d.t.id),
  );
  if (controlIds.size < params.controls.min) {
    // Too few designated controls qualify for this case: borrow direct questions with a known answer.
    const extra = shuffle(
      drafts.filter((d) => d.t.kind === 'direct' && eligible(d) && !controlIds.has(d.t.id)),
      rng,
    ).slice(0, params.controls.min - controlIds.size);
    for (const d of extra) controlIds.add(d.t.id);
  }

  const questions: BankQuestion[] = drafts.map((d) => {
    const purpose: QuestionPurpose = d.isCover ? 'decoy' : controlIds.has(d.t.id) ? 'control' : 'verify';
    const kind: QuestionKind =
      purpose === 'control' ? 'control' : d.t.kind === 'control' ? 'direct' : d.t.kind;
    const primary = d.facts[0] as CatalogueFact;
    const choices = d.t.answerType === 'choice' ? choiceList(primary) : undefined;
    const q: BankQuestion = {
      id: d.t.id,
      factIds: d.facts.map((f) => f.id),
      kind,
      templateId: d.t.id,
      text: d.text,
      rephrase: d.rephrase,
      followUp: d.followUp,
      followUpCross: d.followUpCross,
      answerType: d.t.answerType,
      expected: d.expected,
      weight: questionWeight(d, kind, purpose, doubt, catalogue),
      reason: reasonFor(d, kind, purpose, doubt, contributions),
      route: d.t.route,
      purpose,
    };
    const unit = d.t.unit ?? (d.t.convert ? undefined : primary.unit);
    if (unit !== undefined) q.unit = unit;
    if (choices) q.choices = choices;
    // Significant digits, not decimals: a scale such as 1/138,600 must not round to 0.
    if (d.scale !== undefined) q.toFact = { scale: Number(d.scale.toPrecision(10)) };
    return q;
  });

  const priorDoubt: Record<string, number> = {};
  for (const f of facts) priorDoubt[f.id] = round(doubt[f.id] ?? 0);

  const bank: QuestionBank = {
    caseId: ctx.caseId,
    catalogueVersion: `${catalogue.id}@${catalogue.version}`,
    generatedFor: { sector: ctx.sector },
    facts,
    priorDoubt,
    questions: shuffle(questions, rng),
    seed,
  };
  const trace: GenerationTrace = {
    seed,
    expectations,
    doubtContributions: contributions,
    skipped,
    unmatchedDoubts,
    unmatchedSignals,
    droppedDisplayFields: dropped,
    controlsBelowMinimum: controlIds.size < params.controls.min,
  };
  return { bank, trace };
}

interface Draft {
  t: QuestionTemplate;
  facts: CatalogueFact[];
  text: Localized;
  rephrase: Localized;
  followUp: Localized;
  followUpCross: Localized;
  expected: Expectation;
  scale: number | undefined;
  isCover: boolean;
}

// ---- case values and expectations -------------------------------------------------------------------

function readValue(source: FactSource | ValueSource, ctx: CaseContext): CaseValue | undefined {
  switch (source.kind) {
    case 'survey':
      return ctx.survey[source.field];
    case 'financials':
      return ctx.financials[source.line];
    case 'screening':
      return ctx.screening[source.fact];
    case 'none':
      return undefined;
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whole months from an ISO date to `asOf` (a started month does not count). */
export function monthsBetween(from: string, asOf: string): number | undefined {
  const a = /^(\d{4})-(\d{2})-(\d{2})/.exec(from);
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(asOf);
  if (!a || !b) return undefined;
  const [y1, m1, d1] = [Number(a[1]), Number(a[2]), Number(a[3])];
  const [y2, m2, d2] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const months = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
  return months >= 0 ? months : undefined;
}

/** A relative tolerance around zero is undefined: an expected zero is the exact range 0–0. */
const numberExpectation = (value: number, tolerance: Tolerance): Expectation =>
  value === 0 ? { kind: 'range', low: 0, high: 0 } : { kind: 'number', value, tolerance };

function valueExpectation(v: CaseValue | undefined, fact: CatalogueFact): Expectation {
  if (v === undefined) return { kind: 'unknown' };
  if (isNum(v)) return numberExpectation(round(v), fact.tolerance);
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (typeof v === 'string' && v.trim() !== '') {
    if (fact.answerType === 'choice')
      return fact.choices?.includes(v) ? { kind: 'choice', value: v } : { kind: 'unknown' };
    // For place and text facts the canonical string is the expectation (compared by the dialog engine).
    if (fact.answerType === 'place' || fact.answerType === 'text') return { kind: 'choice', value: v.trim() };
  }
  return { kind: 'unknown' };
}

function factExpectation(f: CatalogueFact, ctx: CaseContext): Expectation {
  const v = readValue(f.source, ctx);
  if (f.derive === 'months_since') {
    const m = typeof v === 'string' ? monthsBetween(v, ctx.asOf) : undefined;
    return m === undefined ? { kind: 'unknown' } : numberExpectation(m, f.tolerance);
  }
  if (f.derive === 'positive') {
    if (isNum(v)) return { kind: 'boolean', value: v > 0 };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v };
    return { kind: 'unknown' };
  }
  return valueExpectation(v, f);
}

/** The operand's case value, its default (unless `caseOnly`), or undefined when neither exists. */
function operandValue(op: Operand, ctx: CaseContext, caseOnly = false): number | undefined {
  const v = readValue(op.source, ctx);
  return isNum(v) ? v : caseOnly ? undefined : op.default;
}

/**
 * scale = factor × Π times ÷ Π per ÷ (1 − perOneMinus), so that fact = answer × scale. The purchases route
 * divides by (1 − gross margin): sales = purchases ÷ (1 − margin) (DOMAIN.md, IPC cross-checks). `caseOnly`: from
 * the case's own figures only, undefined when an operand would fall back to the catalogue's default.
 */
export function conversionScale(t: QuestionTemplate, ctx: CaseContext, caseOnly = false): number | undefined {
  const c = t.convert;
  if (!c || c.kind !== 'scale') return undefined;
  let s = c.factor ?? 1;
  for (const op of c.times ?? []) {
    const v = operandValue(op, ctx, caseOnly);
    if (v === undefined) return undefined;
    s *= v;
  }
  for (const op of c.per ?? []) {
    const v = operandValue(op, ctx, caseOnly);
    if (v === undefined || v === 0) return undefined;
    s /= v;
  }
  if (c.perOneMinus) {
    const v = operandValue(c.perOneMinus, ctx, caseOnly);
    if (v === undefined || v >= 1) return undefined;
    s /= 1 - v;
  }
  return Number.isFinite(s) && s > 0 ? s : undefined;
}

function questionExpectation(
  t: QuestionTemplate,
  primary: CatalogueFact,
  factExp: Expectation,
  ctx: CaseContext,
): { expected: Expectation; scale: number | undefined } {
  const scale = conversionScale(t, ctx);
  if (t.benchmark)
    return { expected: { kind: 'range', low: t.benchmark.low, high: t.benchmark.high }, scale };
  if (t.expectedFrom) {
    const own = valueExpectation(readValue(t.expectedFrom, ctx), { ...primary, answerType: t.answerType });
    if (own.kind !== 'unknown') return { expected: own, scale };
  }
  if (!t.convert) {
    const sameShape = factExp.kind !== 'choice' || t.answerType === primary.answerType;
    return { expected: sameShape ? factExp : { kind: 'unknown' }, scale };
  }
  if (factExp.kind === 'range' && t.convert.kind === 'scale' && scale !== undefined) {
    return {
      expected: {
        kind: 'range',
        low: roundFor(t.answerType, factExp.low / scale),
        high: roundFor(t.answerType, factExp.high / scale),
      },
      scale,
    };
  }
  if (factExp.kind !== 'number') return { expected: { kind: 'unknown' }, scale };
  if (t.convert.kind === 'scale') {
    return {
      expected:
        scale === undefined
          ? { kind: 'unknown' }
          : {
              kind: 'number',
              value: roundFor(t.answerType, factExp.value / scale),
              tolerance: factExp.tolerance,
            },
      scale,
    };
  }
  // years_ago: a calendar year; the fact's fail band becomes a range of years.
  const year = Number(ctx.asOf.slice(0, 4));
  const per = t.convert.factUnitsPerYear;
  const hi = factExp.value * (1 + factExp.tolerance.fail);
  const lo = factExp.value * (1 - factExp.tolerance.fail);
  return {
    expected: { kind: 'range', low: Math.floor(year - hi / per), high: Math.ceil(year - lo / per) },
    scale: undefined,
  };
}

// ---- doubt and weight -------------------------------------------------------------------------------

/**
 * Prior doubt per fact: independent reasons for doubt combined by noisy-or, 1 − Π(1 − dᵢ), starting from a
 * baseline that is higher when the bank has no value for the fact (Pearl, Probabilistic Reasoning in
 * Intelligent Systems, 1988, §4.3.2).
 */
function priorDoubts(
  ctx: CaseContext,
  catalogue: Catalogue,
  facts: CatalogueFact[],
  expectations: Record<string, Expectation>,
  templates: readonly QuestionTemplate[],
) {
  const p = catalogue.params.doubt;
  const sev = (s: 'warn' | 'fail') => (s === 'fail' ? p.fail : p.warn);
  const contributions: Record<string, DoubtContribution[]> = {};
  for (const f of facts) {
    const known = expectations[f.id]?.kind !== 'unknown';
    contributions[f.id] = [
      {
        origin: 'baseline',
        value: known ? p.baselineKnown : p.baselineUnknown,
        reason: known
          ? `expected value from ${sourceName(f.source)}`
          : 'no expected value: the interview establishes it',
      },
    ];
    if (
      f.flagWhenPositive &&
      expectations[f.id]?.kind === 'boolean' &&
      (expectations[f.id] as { value: boolean }).value
    ) {
      contributions[f.id]?.push({
        origin: 'screening_flag',
        severity: f.flagWhenPositive,
        value: sev(f.flagWhenPositive),
        reason: `screening finding in ${sourceName(f.source)}`,
      });
    }
  }
  const unmatchedDoubts: Doubt[] = [];
  for (const d of ctx.doubts) {
    const list = contributions[d.factId];
    if (!list) {
      unmatchedDoubts.push(d);
      continue;
    }
    list.push({
      origin: d.origin ?? 'cross_check',
      severity: d.severity,
      value: sev(d.severity),
      reason: d.reason,
    });
  }
  const unmatchedSignals: FraudSignal[] = [];
  for (const s of ctx.fraudSignals) {
    const rule = catalogue.fraudSignals.find((r) => r.code === s.code);
    const ids = s.factIds ?? rule?.factIds;
    if (!ids) {
      unmatchedSignals.push(s);
      continue;
    }
    for (const id of ids) {
      contributions[id]?.push({
        origin: 'fraud_signal',
        severity: s.severity,
        value: sev(s.severity),
        reason: `${s.code}${rule ? ` (${rule.label['en-US']})` : ''}${s.reason ? `: ${s.reason}` : ''}`,
      });
    }
  }
  addCarriedDoubts(ctx, facts, expectations, templates, contributions);
  const doubt: Record<string, number> = {};
  for (const [id, list] of Object.entries(contributions)) {
    doubt[id] = 1 - list.reduce((acc, c) => acc * (1 - c.value), 1);
  }
  return { doubt, contributions, unmatchedDoubts, unmatchedSignals };
}

/** A route that states a fact a second way from the case's own figures (`caseRoutes`). */
interface CaseRoute {
  template: QuestionTemplate;
  fact: CatalogueFact;
  /** The relative gap between the fact as the route works it out and the fact's expectation. */
  deviation: number;
}

/**
 * Routes whose expectation is a figure of the case itself (`expectedFrom`) converted by a scale whose operands are
 * all the case's figures (no catalogue default): the case states the fact a second way. Routes that ask a different
 * quantity (the original principal, no conversion) or a calendar year are no such statement.
 */
function caseRoutes(
  ctx: CaseContext,
  facts: CatalogueFact[],
  expectations: Record<string, Expectation>,
  templates: readonly QuestionTemplate[],
): CaseRoute[] {
  const byId = new Map(facts.map((f) => [f.id, f]));
  const out: CaseRoute[] = [];
  for (const template of templates) {
    const fact = byId.get(template.factIds[0] ?? '');
    const e = fact ? expectations[fact.id] : undefined;
    if (!fact || !template.expectedFrom || template.benchmark || template.convert?.kind !== 'scale') continue;
    if (e?.kind !== 'number' || e.value === 0) continue;
    const own = readValue(template.expectedFrom, ctx);
    const scale = conversionScale(template, ctx, true);
    if (!isNum(own) || scale === undefined) continue;
    // Float noise (22,000 × 1/11,000 is not exactly 2) is no gap.
    out.push({ template, fact, deviation: round(Math.abs(own * scale - e.value) / Math.abs(e.value)) });
  }
  return out;
}

const operandsOf = (t: QuestionTemplate): Operand[] =>
  t.convert?.kind === 'scale'
    ? [
        ...(t.convert.times ?? []),
        ...(t.convert.per ?? []),
        ...(t.convert.perOneMinus ? [t.convert.perOneMinus] : []),
      ]
    : [];

/** Doubts that are the case's own evidence about a fact, and so carry over to figures worked out from it. */
const CARRIED: ReadonlySet<DoubtContribution['origin']> = new Set(['cross_check', 'screening', 'officer']);

/**
 * A fact whose figure the case works out through another fact's figure carries that fact's doubts: the haulage
 * sales are freight per trip × trips a month, so a doubt on the trips (the fuel bill implies fewer) is a doubt on
 * the sales as much (DOMAIN.md, "IPC cross-checks": a figure is only as good as the figures it is rebuilt from).
 * "Works out through": a route of the fact states it from the case's own figures (`caseRoutes`), one of the route's
 * operands is the other fact's source, and the route agrees with the fact's expectation within its warn tolerance,
 * so that the expectation rests on that figure. One step only (a carried doubt is not carried on), and only the
 * case's evidence — cross-checks, screening, the officer — not the catalogue's baseline or a fraud signal, which the
 * catalogue maps to facts itself. Each carried doubt keeps its severity and says where it came from.
 */
function addCarriedDoubts(
  ctx: CaseContext,
  facts: CatalogueFact[],
  expectations: Record<string, Expectation>,
  templates: readonly QuestionTemplate[],
  contributions: Record<string, DoubtContribution[]>,
): void {
  const own: Record<string, DoubtContribution[]> = {};
  for (const [id, list] of Object.entries(contributions)) own[id] = list.filter((c) => CARRIED.has(c.origin));
  for (const r of caseRoutes(ctx, facts, expectations, templates)) {
    const list = contributions[r.fact.id];
    if (!list || r.deviation > r.fact.tolerance.warn) continue;
    const sources = new Set(operandsOf(r.template).map((op) => sourceName(op.source)));
    for (const g of facts) {
      if (g.id === r.fact.id || !sources.has(sourceName(g.source))) continue;
      for (const c of own[g.id] ?? []) {
        const reason = `carried from ${g.id}, which ${r.template.id} works it out through: ${c.reason}`;
        if (!list.some((x) => x.reason === reason)) list.push({ ...c, reason });
      }
    }
  }
}

/**
 * Information weight: importance × (floor + (1 − floor) × doubt) × a factor per kind — the expected
 * reduction of importance-weighted doubt the policy maximises (DESIGN.md, "Interview semantics"), with a
 * floor so that a fact nobody doubts is still worth confirming. Decoys carry a small constant weight.
 */
function questionWeight(
  d: Draft,
  kind: QuestionKind,
  purpose: QuestionPurpose,
  doubt: Record<string, number>,
  catalogue: Catalogue,
): number {
  const w = catalogue.params.weight;
  if (purpose === 'decoy') return w.decoy;
  const base = Math.max(...d.facts.map((f) => f.importance * (w.floor + (1 - w.floor) * (doubt[f.id] ?? 0))));
  return round(base * w[kind]);
}

function reasonFor(
  d: Draft,
  kind: QuestionKind,
  purpose: QuestionPurpose,
  doubt: Record<string, number>,
  contributions: Record<string, DoubtContribution[]>,
): Localized {
  const labels = (lang: Lang) => d.facts.map((f) => f.label[lang]).join(lang === 'zh-CN' ? '、' : ', ');
  if (purpose === 'decoy') {
    return {
      'zh-CN': '掩护题：与本案疑点无关，使申请人无法从问题推断银行的疑点。',
      'en-US':
        'Decoy: unrelated to this case’s doubts, so the applicant cannot infer them from the questions.',
    };
  }
  if (purpose === 'control') {
    return {
      'zh-CN': `对照题：银行已掌握「${labels('zh-CN')}」的答案（${sourceName(d.facts[0]?.source ?? { kind: 'none' })}），用于衡量回答的可靠性。`,
      'en-US': `Control: the bank already knows the answer for "${labels('en-US')}" (${sourceName(d.facts[0]?.source ?? { kind: 'none' })}); measures the reliability of the answers.`,
    };
  }
  const flags = d.facts.flatMap((f) => (contributions[f.id] ?? []).filter((c) => c.origin !== 'baseline'));
  const why = flags.map((c) => `${c.severity ?? ''} ${c.origin}: ${c.reason}`.trim()).join('; ');
  const top = d.facts.reduce((m, f) => Math.max(m, doubt[f.id] ?? 0), 0);
  const how = d.t.benchmark
    ? {
        zh: `内行题（${d.t.route}）：检验所称行业，内行人不假思索就能答出`,
        en: `insider test (${d.t.route}) of the stated trade`,
      }
    : kind === 'indirect'
      ? {
          zh: `间接问法（${d.t.route}），与直接问法互相印证`,
          en: `indirect route (${d.t.route}), checks the direct answer`,
        }
      : { zh: '直接问法', en: 'direct route' };
  const imp = Math.max(...d.facts.map((f) => f.importance));
  return {
    'zh-CN': `核实「${labels('zh-CN')}」（重要性 ${imp}，事前疑点 ${round(top)}）；${how.zh}${why ? `；疑点来源：${why}` : ''}。`,
    'en-US': `Verifies "${labels('en-US')}" (importance ${imp}, prior doubt ${round(top)}); ${how.en}${why ? `; doubt from: ${why}` : ''}.`,
  };
}

// ---- text ---------------------------------------------------------------------------------------------

type SlotValues = Record<Lang, Record<string, string>>;

/**
 * Strings that answer a fact with a display field (the village, the main product): a control question on
 * such a fact is worthless if any question of the bank, on whatever fact, already says the answer.
 */
function answerStrings(
  facts: CatalogueFact[],
  expectations: Record<string, Expectation>,
  ctx: CaseContext,
): string[] {
  const out: string[] = [];
  for (const f of facts) {
    if (!f.displayField) continue;
    const e = expectations[f.id];
    if (e?.kind === 'choice') out.push(e.value.trim());
    const shown = ctx.display[f.displayField]?.trim();
    if (shown) out.push(shown);
  }
  return out.filter((x) => x.length >= 2);
}

function slotValuesFor(
  ctx: CaseContext,
  catalogue: Catalogue,
  answers: readonly string[],
): { values: SlotValues; dropped: DisplayField[] } {
  const values: SlotValues = { 'zh-CN': {}, 'en-US': {} };
  const dropped: DisplayField[] = [];
  for (const field of DISPLAY_FIELDS) {
    const raw = ctx.display[field];
    if (raw === undefined) continue;
    const v = raw.trim();
    // A display value must never smuggle a figure (an ID number, an amount) or a slot into a question.
    // Nor may it give away an answer the interview checks (a crop that is also the stated main product).
    const revealing = v.length >= 2 && answers.some((a) => a.includes(v) || v.includes(a));
    if (v === '' || v.length > MAX_DISPLAY_LENGTH || /[{}]/.test(v) || figureAt(v) || revealing) {
      dropped.push(field);
      continue;
    }
    for (const lang of LANGS) values[lang][field] = v;
  }
  for (const [term, bySector] of Object.entries(catalogue.sectorTerms)) {
    const word = bySector[ctx.sector];
    if (word) for (const lang of LANGS) values[lang][term] = word[lang];
  }
  return { values, dropped };
}

const RUNTIME_SLOTS = new Set([OWN_ANSWER_SLOT, EARLIER_ANSWER_SLOT]);

function fillable(text: Localized, values: SlotValues): boolean {
  return LANGS.every((lang) =>
    slotsOf(text[lang]).every((s) => RUNTIME_SLOTS.has(s.name) || values[lang][s.name] !== undefined),
  );
}

function fill(text: Localized, values: SlotValues): Localized {
  return {
    'zh-CN': fillSlots(text['zh-CN'], values['zh-CN']),
    'en-US': fillSlots(text['en-US'], values['en-US']),
  };
}

function fillLocalized(text: Localized | undefined, values: SlotValues): Localized | undefined {
  return text && fillable(text, values) ? fill(text, values) : undefined;
}

/**
 * A random variant whose slots this case can fill and that gives nothing away, preferring one that differs
 * from `avoid` (so a rephrase is really said differently).
 */
function pickText(
  options: Localized[],
  values: SlotValues,
  secrets: readonly string[],
  rng: Rng,
  avoid?: Localized,
): Localized | undefined {
  // One draw picks where to start; later variants are tried in turn only if the drawn one cannot be used.
  const n = options.length;
  const start = Math.floor(rng.next() * n);
  for (let k = 0; k < n; k++) {
    const o = options[(start + k) % n] as Localized;
    if (!fillable(o, values)) continue;
    const filled = fill(o, values);
    if (avoid && filled['zh-CN'] === avoid['zh-CN']) continue;
    if (disclosure(filled, secrets) === undefined) return filled;
  }
  return undefined;
}

function missingSlots(options: Localized[], values: SlotValues): string {
  const names = new Set<string>();
  for (const o of options)
    for (const lang of LANGS)
      for (const s of slotsOf(o[lang])) if (values[lang][s.name] === undefined) names.add(s.name);
  return [...names].join(', ');
}

/**
 * What a question must not say: the expected string (a village, a main product, what the officer saw next
 * door) of the question or of the facts it asks about. Choice ids are not secrets: the choices are offered.
 */
function secretsOf(
  facts: CatalogueFact[],
  expected: Expectation,
  expectations: Record<string, Expectation>,
  ctx: CaseContext,
): string[] {
  const secrets: string[] = [];
  if (expected.kind === 'choice') secrets.push(expected.value);
  for (const f of facts) {
    const e = expectations[f.id];
    if (e?.kind === 'choice' && f.answerType !== 'choice') secrets.push(e.value);
    if (f.displayField) secrets.push(ctx.display[f.displayField] ?? '');
  }
  return secrets.map((x) => x.trim()).filter((x) => x.length >= 2);
}

/** The guard on every text that leaves: no figure at all, and no secret. */
function disclosure(text: Localized, secrets: readonly string[]): string | undefined {
  for (const lang of LANGS) {
    const s = text[lang];
    const fig = figureAt(s);
    if (fig) return `figure "${fig.match}" in ${lang}`;
    if (secrets.some((x) => s.includes(x))) return `expected value in ${lang}`;
  }
  return undefined;
}

// ---- small helpers ------------------------------------------------------------------------------------

function applies(t: QuestionTemplate, ctx: CaseContext, factById: Map<string, CatalogueFact>): boolean {
  return sectorsOf(t.sectors).includes(ctx.sector) && factById.has(t.factIds[0] ?? '');
}

function choiceList(f: CatalogueFact): { id: string; label: Localized }[] | undefined {
  if (!f.choices) return undefined;
  return f.choices.map((id) => ({ id, label: f.choiceLabels?.[id] ?? { 'zh-CN': id, 'en-US': id } }));
}

/** Fisher–Yates with the injected PRNG; returns a new array. */
function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = a[i] as T;
    a[i] = a[j] as T;
    a[j] = tmp;
  }
  return a;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
/** Money to the fen, counts and quantities to two decimals, ratios to four (an expectation, not a stored amount). */
const roundFor = (answerType: string, x: number): number =>
  answerType === 'percent' ? round(x) : Math.round(x * 100) / 100;
