/**
 * Scoring one case with the expert scorecard: each factor's value falls in one bin (numeric bins are
 * [min, max), so an edge belongs to the upper bin), the bin's points add up to the total, and the total's
 * grade follows the version's cut-offs. Pure: no I/O.
 */
import type { Localized } from '../../questions/types.js';
import type { FeatureRow } from '../model/index.js';
import type { Grade } from '../pricing/index.js';
import { scorecardInputInvalid, scorecardTestFailed } from './errors.js';
import type { Scorecard, ScorecardFactor, ScorecardTestCase } from './schema.js';

export interface FactorScore {
  factorId: string;
  group: 'capacity' | 'willingness';
  input: string;
  /** The value scored; null when missing. */
  value: number | string | null;
  points: number;
  /** The most points the factor can give. */
  maxPoints: number;
  /** Which bin the value fell into. */
  bin: Localized;
  reason: Localized;
}

export interface ScorecardResult {
  scorecardId: string;
  version: number;
  total: number;
  grade: Grade;
  capacityPoints: number;
  willingnessPoints: number;
  maxPoints: number;
  factors: FactorScore[];
}

function present(value: FeatureRow[string]): value is number | string | boolean {
  return !(value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)));
}

function binOf(
  f: ScorecardFactor,
  value: FeatureRow[string],
): { points: number; label: Localized; value: number | string | null } {
  if (!present(value)) return { ...f.missing, value: null };
  if (f.kind === 'numeric') {
    const v = typeof value === 'boolean' ? Number(value) : value;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw scorecardInputInvalid(`Input ${f.input} must be a finite number`, { input: f.input, value });
    }
    const bin = f.bins.find((b) => (b.min === null || v >= b.min) && (b.max === null || v < b.max));
    // Bins are contiguous from −∞ to +∞ (parseScorecard), so a finite value always has one.
    if (!bin) throw scorecardInputInvalid(`No bin of ${f.id} holds ${v}`, { input: f.input, value: v });
    return { points: bin.points, label: bin.label, value: v };
  }
  const v = String(value);
  const bin = f.bins.find((b) => b.values.includes(v));
  if (!bin) throw scorecardInputInvalid(`${v} is not a category of ${f.input}`, { input: f.input, value: v });
  return { points: bin.points, label: bin.label, value: v };
}

const maxPointsOf = (f: ScorecardFactor) => Math.max(f.missing.points, ...f.bins.map((b) => b.points));

export function gradeOf(card: Scorecard, total: number): Grade {
  const c = card.gradeCutoffs;
  if (total >= c.A) return 'A';
  if (total >= c.B) return 'B';
  if (total >= c.C) return 'C';
  if (total >= c.D) return 'D';
  return 'E';
}

/** Scores one feature row; keys the scorecard does not use are ignored. */
export function scoreScorecard(card: Scorecard, row: FeatureRow): ScorecardResult {
  const factors = card.factors.map((f): FactorScore => {
    const bin = binOf(f, row[f.input]);
    const maxPoints = maxPointsOf(f);
    return {
      factorId: f.id,
      group: f.group,
      input: f.input,
      value: bin.value,
      points: bin.points,
      maxPoints,
      bin: bin.label,
      reason: {
        'zh-CN': `${f.label['zh-CN']}：${bin.label['zh-CN']}，得 ${bin.points} 分（满分 ${maxPoints} 分）`,
        'en-US': `${f.label['en-US']}: ${bin.label['en-US']}, ${bin.points} of ${maxPoints} points`,
      },
    };
  });
  const sum = (group?: FactorScore['group']) =>
    factors.filter((f) => !group || f.group === group).reduce((s, f) => s + f.points, 0);
  const total = sum();
  return {
    scorecardId: card.scorecardId,
    version: card.version,
    total,
    grade: gradeOf(card, total),
    capacityPoints: sum('capacity'),
    willingnessPoints: sum('willingness'),
    maxPoints: card.factors.reduce((s, f) => s + maxPointsOf(f), 0),
    factors,
  };
}

export interface TestCaseFailure {
  case: string;
  expected: ScorecardTestCase['expect'];
  actual: { total: number; grade: Grade; points: Record<string, number> } | null;
  error?: string;
}

/** Runs one embedded test case: null when it passes, else what differs. */
export function runTestCase(card: Scorecard, t: ScorecardTestCase): TestCaseFailure | null {
  let result: ScorecardResult;
  try {
    result = scoreScorecard(card, t.input);
  } catch (err) {
    return {
      case: t.name,
      expected: t.expect,
      actual: null,
      error: err instanceof Error ? err.message : String(err),
    };
  }
  const points = Object.fromEntries(result.factors.map((f) => [f.factorId, f.points]));
  const pointsOk = Object.entries(t.expect.points ?? {}).every(([id, p]) => points[id] === p);
  if (result.total === t.expect.total && result.grade === t.expect.grade && pointsOk) return null;
  return { case: t.name, expected: t.expect, actual: { total: result.total, grade: result.grade, points } };
}

/** Every failing embedded test case of a scorecard version. */
export function runScorecardTests(card: Scorecard): TestCaseFailure[] {
  return card.testCases.map((t) => runTestCase(card, t)).filter((f): f is TestCaseFailure => f !== null);
}

/** Refuses a version whose own test cases fail: SCORECARD_TEST_FAILED naming the first failing case. */
export function assertScorecardTestsPass(card: Scorecard): void {
  const failures = runScorecardTests(card);
  const first = failures[0];
  if (first) {
    throw scorecardTestFailed(first.case, {
      expected: first.expected,
      actual: first.actual,
      ...(first.error ? { error: first.error } : {}),
      failing: failures.map((f) => f.case),
    });
  }
}
