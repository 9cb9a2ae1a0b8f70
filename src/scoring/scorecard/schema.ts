/**
 * The expert scorecard (EMTool) as versioned data a risk manager edits: factors of repayment capacity and
 * willingness, each binned with expert points, grade cut-offs, and test cases (input → expected points and
 * grade) carried inside the data so that a version is checked by its own examples.
 */
import { z } from 'zod';
import { FEATURE_SCHEMA, type DeclaredFeature } from '../features.js';
import { GRADES } from '../pricing/index.js';
import { scorecardInvalid } from './errors.js';

const LocalizedSchema = z.strictObject({ 'zh-CN': z.string().min(1), 'en-US': z.string().min(1) });
const points = z.number().int().min(-1000).max(1000);

/** [min, max): null is unbounded. */
const NumericBinSchema = z.strictObject({
  min: z.number().nullable(),
  max: z.number().nullable(),
  points,
  label: LocalizedSchema,
});

const CategoryBinSchema = z.strictObject({
  values: z.array(z.string().min(1)).min(1),
  points,
  label: LocalizedSchema,
});

const MissingSchema = z.strictObject({ points, label: LocalizedSchema });

const factorBase = {
  id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  group: z.enum(['capacity', 'willingness']),
  /** A feature of the declared feature schema (src/scoring/features.ts). */
  input: z.string().min(1),
  label: LocalizedSchema,
  missing: MissingSchema,
};

const FactorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...factorBase, kind: z.literal('numeric'), bins: z.array(NumericBinSchema).min(1) }),
  z.strictObject({ ...factorBase, kind: z.literal('categorical'), bins: z.array(CategoryBinSchema).min(1) }),
]);

const InputValue = z.union([z.number(), z.string(), z.null()]);

const TestCaseSchema = z.strictObject({
  name: z.string().min(1).max(200),
  input: z.record(z.string(), InputValue),
  expect: z.strictObject({
    total: z.number().int(),
    grade: z.enum(GRADES),
    /** Points of some factors, by factor id. */
    points: z.record(z.string(), z.number().int()).optional(),
  }),
});

export const ScorecardSchema = z.strictObject({
  scorecardId: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
  version: z.number().int().min(1),
  name: LocalizedSchema,
  note: z.string().max(2000).optional(),
  factors: z.array(FactorSchema).min(1).max(50),
  /** Lowest total of grades A–D; a total below D's cut-off is E. */
  gradeCutoffs: z.strictObject({
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    D: z.number().int(),
  }),
  testCases: z.array(TestCaseSchema).min(1).max(200),
});

export type Scorecard = z.infer<typeof ScorecardSchema>;
export type ScorecardFactor = Scorecard['factors'][number];
export type ScorecardTestCase = Scorecard['testCases'][number];
export type NumericBin = z.infer<typeof NumericBinSchema>;
export type CategoryBin = z.infer<typeof CategoryBinSchema>;

type Issue = { path: string; message: string };

function checkNumericBins(f: Extract<ScorecardFactor, { kind: 'numeric' }>, at: string, out: Issue[]): void {
  f.bins.forEach((b, i) => {
    const path = `${at}.bins.${i}`;
    if (i === 0 && b.min !== null)
      out.push({ path: `${path}.min`, message: 'The first bin must start unbounded (null)' });
    if (i > 0 && b.min === null)
      out.push({ path: `${path}.min`, message: 'Only the first bin may start unbounded' });
    if (i === f.bins.length - 1 && b.max !== null)
      out.push({ path: `${path}.max`, message: 'The last bin must end unbounded (null)' });
    if (i < f.bins.length - 1 && b.max === null)
      out.push({ path: `${path}.max`, message: 'Only the last bin may end unbounded' });
    if (b.min !== null && b.max !== null && !(b.min < b.max))
      out.push({ path, message: 'A bin needs min < max' });
    const next = f.bins[i + 1];
    if (next && b.max !== next.min)
      out.push({
        path: `${path}.max`,
        message: `Bins must touch: max ${String(b.max)} ≠ next min ${String(next.min)}`,
      });
  });
}

function checkCategoryBins(
  f: Extract<ScorecardFactor, { kind: 'categorical' }>,
  feature: DeclaredFeature,
  at: string,
  out: Issue[],
): void {
  const seen = new Set<string>();
  const allowed = new Set(feature.categories ?? []);
  f.bins.forEach((b, i) =>
    b.values.forEach((v, j) => {
      if (seen.has(v)) out.push({ path: `${at}.bins.${i}.values.${j}`, message: `${v} is in two bins` });
      if (!allowed.has(v))
        out.push({
          path: `${at}.bins.${i}.values.${j}`,
          message: `${v} is not a category of ${feature.name}`,
        });
      seen.add(v);
    }),
  );
  for (const c of allowed) if (!seen.has(c)) out.push({ path: `${at}.bins`, message: `No bin for ${c}` });
}

/** The problems of a scorecard that the zod shape alone cannot see; empty when it is consistent. */
export function scorecardProblems(
  card: Scorecard,
  schema: readonly DeclaredFeature[] = FEATURE_SCHEMA,
): Issue[] {
  const out: Issue[] = [];
  const ids = new Set<string>();
  card.factors.forEach((f, i) => {
    const at = `factors.${i}`;
    if (ids.has(f.id)) out.push({ path: `${at}.id`, message: `Factor id ${f.id} is used twice` });
    ids.add(f.id);
    const feature = schema.find((d) => d.name === f.input);
    if (!feature) {
      out.push({ path: `${at}.input`, message: `${f.input} is not in the feature schema` });
      return;
    }
    if (feature.kind !== f.kind) {
      out.push({ path: `${at}.kind`, message: `${f.input} is ${feature.kind} in the feature schema` });
      return;
    }
    if (f.kind === 'numeric') checkNumericBins(f, at, out);
    else checkCategoryBins(f, feature, at, out);
  });
  const c = card.gradeCutoffs;
  if (!(c.A > c.B && c.B > c.C && c.C > c.D))
    out.push({ path: 'gradeCutoffs', message: 'Cut-offs must fall strictly from A to D' });
  const names = new Set<string>();
  card.testCases.forEach((t, i) => {
    if (names.has(t.name))
      out.push({ path: `testCases.${i}.name`, message: `Test case name "${t.name}" is used twice` });
    names.add(t.name);
    for (const key of Object.keys(t.input))
      if (!schema.some((d) => d.name === key))
        out.push({ path: `testCases.${i}.input.${key}`, message: `${key} is not in the feature schema` });
    for (const id of Object.keys(t.expect.points ?? {}))
      if (!ids.has(id)) out.push({ path: `testCases.${i}.expect.points.${id}`, message: `No factor ${id}` });
  });
  return out;
}

/** Parses and checks a scorecard version; VALIDATION_FAILED with the fields otherwise. */
export function parseScorecard(
  json: unknown,
  schema: readonly DeclaredFeature[] = FEATURE_SCHEMA,
): Scorecard {
  const parsed = ScorecardSchema.safeParse(json);
  if (!parsed.success) {
    throw scorecardInvalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const problems = scorecardProblems(parsed.data, schema);
  if (problems.length > 0) throw scorecardInvalid(problems);
  return parsed.data;
}
