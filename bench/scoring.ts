/**
 * Benchmark of the expert-model pipeline (issue 8): scoring one case in-process — scorecard + ONNX model +
 * TreeSHAP with plain-language reasons — (target p99 ≤ 2 ms after warm-up), a batch of 10,000 cases
 * (target ≥ 5,000 cases per second), and training on 100,000 generated rows with the Python CLI (target
 * ≤ 60 s). Run with `npx tsx bench/scoring.ts [--no-train]`; prints JSON.
 * Cases are drawn from a seeded generator over the declared feature schema, so runs are comparable.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRng } from '../src/platform/deps.js';
import { SECTORS } from '../src/questions/types.js';
import { SOFT_INFORMATION_LEVELS, VERIFICATION_LEVELS } from '../src/scoring/features.js';
import type { FeatureRow } from '../src/scoring/model/index.js';
import { loadModelVersion } from '../src/scoring/model/index.js';
import {
  DEFAULT_MODELS_DIR,
  DEMO_MODEL_DIR,
  TRAINING_DIR,
  scoreBatch,
  scoreCase,
} from '../src/scoring/registry/index.js';
import { DEFAULT_SCORECARD } from '../src/scoring/scorecard/index.js';

const rng = seededRng(20261201);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
const maybe = (v: number, pMissing = 0.05) => (rng.next() < pMissing ? null : v);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function randomRow(): FeatureRow {
  return {
    sector: pick(SECTORS),
    years_in_business: Math.floor(rng.next() * 20),
    soft_information: pick(SOFT_INFORMATION_LEVELS),
    cash_flow_cover: round3(0.5 + rng.next() * 3),
    debt_ratio: round3(rng.next() * 1.1),
    margin_stability: maybe(round3(rng.next())),
    credit_overdue_count: Math.floor(rng.next() * 4),
    interview_reliability: maybe(round3(0.4 + rng.next() * 0.6)),
    contradictions: maybe(Math.floor(rng.next() * 4)),
    sales_verification: pick(VERIFICATION_LEVELS),
    debt_verification: pick(VERIFICATION_LEVELS),
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const model = await loadModelVersion(join(DEFAULT_MODELS_DIR, DEMO_MODEL_DIR));
const rows = Array.from({ length: 10_000 }, randomRow);

// One case at a time.
for (let i = 0; i < 500; i++) await scoreCase(model, DEFAULT_SCORECARD, rows[i]!);
const times: number[] = [];
const singles = 5_000;
const cpu0 = process.cpuUsage();
for (let i = 0; i < singles; i++) {
  const t0 = performance.now();
  await scoreCase(model, DEFAULT_SCORECARD, rows[i]!);
  times.push(performance.now() - t0);
}
const cpuSingle = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);

// A batch of 10,000: probability, grade and scorecard; then the same with TreeSHAP reasons for every case.
await scoreBatch(model, DEFAULT_SCORECARD, rows.slice(0, 1000), { reasons: false });
await scoreBatch(model, DEFAULT_SCORECARD, rows.slice(0, 1000));
const b0 = performance.now();
const batch = await scoreBatch(model, DEFAULT_SCORECARD, rows, { reasons: false });
const batchMs = performance.now() - b0;
const r0 = performance.now();
const cpuR0 = process.cpuUsage();
await scoreBatch(model, DEFAULT_SCORECARD, rows);
const cpuReasons = process.cpuUsage(cpuR0);
const reasonsMs = performance.now() - r0;
await model.close();

// Training on 100,000 generated rows through the Python CLI (data generation excluded from the timing).
let training: Record<string, unknown> = { skipped: true };
if (!process.argv.includes('--no-train')) {
  const tmp = mkdtempSync(join(tmpdir(), 'weidai-bench-'));
  const python = join(TRAINING_DIR, '.venv/bin/python');
  const csv = join(tmp, 'loans.csv');
  spawnSync('bash', [join(TRAINING_DIR, 'setup.sh')], { stdio: 'inherit' });
  const gen = spawnSync(
    python,
    ['-m', 'weidai_train', 'gen-demo', '--rows', '100000', '--seed', '7', '--out', csv],
    {
      cwd: TRAINING_DIR,
      encoding: 'utf8',
    },
  );
  const t0 = performance.now();
  const train = spawnSync(
    python,
    [
      '-m',
      'weidai_train',
      'train',
      '--csv',
      csv,
      '--target',
      'defaulted',
      '--exclude',
      'expert_decision',
    ].concat(['--out', join(tmp, 'model')]),
    { cwd: TRAINING_DIR, encoding: 'utf8' },
  );
  const seconds = (performance.now() - t0) / 1000;
  let auc: number | null = null;
  try {
    auc = (JSON.parse(train.stdout) as { cross_validation: { auc: number } }).cross_validation.auc;
  } catch {
    auc = null;
  }
  training = {
    rows: 100_000,
    generatorExit: gen.status,
    trainerExit: train.status,
    seconds: round3(seconds),
    crossValidatedAuc: auc,
    note: 'includes 5-fold cross-validation, the final fit, ONNX export and its check, TreeSHAP vectors',
    targetSeconds: 60,
    pass: train.status === 0 && seconds <= 60,
    ...(train.status === 0 ? {} : { stderr: train.stderr.slice(-500) }),
  };
  rmSync(tmp, { recursive: true, force: true });
}

const p99 = percentile(times, 99);
const perSecond = rows.length / (batchMs / 1000);
console.log(
  JSON.stringify(
    {
      benchmark: 'scoring (scorecard + ONNX model + TreeSHAP reasons)',
      // batch: probability, grade and scorecard (reasons left for the cases opened); batchWithReasons adds TreeSHAP.
      model: DEMO_MODEL_DIR,
      single: {
        cases: singles,
        ms: {
          p50: round3(percentile(times, 50)),
          p90: round3(percentile(times, 90)),
          p99: round3(p99),
          max: round3(times[times.length - 1]!),
        },
        // CPU time per case, unaffected by other processes competing for the cores; wall times above are not.
        cpuMsPerCase: round3((cpuSingle.user + cpuSingle.system) / 1000 / singles),
        targetP99Ms: 2,
        pass: p99 <= 2,
      },
      batch: {
        cases: batch.length,
        ms: round3(batchMs),
        casesPerSecond: Math.round(perSecond),
        targetCasesPerSecond: 5000,
        pass: perSecond >= 5000,
      },
      batchWithReasons: {
        cases: rows.length,
        ms: round3(reasonsMs),
        casesPerSecond: Math.round(rows.length / (reasonsMs / 1000)),
        casesPerCpuSecond: Math.round(rows.length / ((cpuReasons.user + cpuReasons.system) / 1e6)),
      },
      training,
      loadAverage1m: round3(loadavg()[0] ?? 0),
    },
    null,
    2,
  ),
);
