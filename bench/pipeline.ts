/**
 * Benchmark of the scoring pipeline (issue 9, item 4): the whole pipeline for one finished interview, target p99
 * ≤ 20 ms in-process excluding outside-data calls. Run with `npx tsx bench/pipeline.ts [iterations]`; prints JSON.
 *
 * Setup (not timed): an in-memory PGlite service with the demo bank and the demo-v2 champion; a grocery case with
 * the realistic survey of test/scoring/ipc/cases.ts, screened by the sandbox providers and interviewed to its end
 * by an honest applicant (the driver in test/scoring/pipeline/demo.ts, the one the tests use). Timed:
 *   compute — what the pipeline computes once the inputs are gathered: feature row, ONNX model + TreeSHAP
 *             reasons, scorecard, admission rules, limit and term, price, outcome and reasons (no I/O);
 *   run     — one whole recorded run through the service: gather (case, survey analysis and IPC rebuild, the
 *             stored screening facts — no provider is called —, interview snapshot, scorecard), compute, and
 *             the result row with its audit event on the embedded database;
 *   replay  — a replay of a recorded result through the service, with its audit event.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { createPgDialogStore } from '../src/dialog/session/store.pg.js';
import { loadModelVersion } from '../src/scoring/model/index.js';
import type { CaseInputs, PipelineConfig } from '../src/scoring/pipeline/index.js';
import {
  DEFAULT_DECISION_RULES,
  SYSTEM_READER,
  completePipeline,
  createPipelineSources,
  prepareScoring,
} from '../src/scoring/pipeline/index.js';
import { defaultLimitConfig } from '../src/scoring/limit/index.js';
import { defaultPricingParams } from '../src/scoring/pricing/index.js';
import { DEFAULT_MODELS_DIR, DEMO_MODEL_DIR, modelGrade, topFactors } from '../src/scoring/registry/index.js';
import { DEFAULT_SCORECARD } from '../src/scoring/scorecard/index.js';
import { buildDemoApp, finishDemoInterview } from '../test/scoring/pipeline/demo.js';

process.env.DOTENV_CONFIG_QUIET = 'true';
const n = Number(process.argv[2] ?? 300);
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: s.length,
    p50_ms: r(percentile(s, 50)),
    p95_ms: r(percentile(s, 95)),
    p99_ms: r(percentile(s, 99)),
    max_ms: r(s.at(-1)!),
  };
};
async function time(fn: () => Promise<unknown>, iterations: number, warmup = 20) {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  // CPU time of the process per call: what the call costs when the shared machine is busy with other work.
  return { wall: summary(out), cpu: summary(cpu) };
}

const d = await buildDemoApp();
try {
  const { caseId, sessionId, turns } = await finishDemoInterview(d);
  await d.ctx.pipeline.idle();
  const recorded = await d.ctx.pipeline.runForSession(sessionId);
  const inputs = recorded.inputs as CaseInputs;
  const config: PipelineConfig = {
    rules: DEFAULT_DECISION_RULES,
    scorecard: DEFAULT_SCORECARD,
    pricing: defaultPricingParams,
    limit: defaultLimitConfig,
  };
  const model = await loadModelVersion(join(DEFAULT_MODELS_DIR, DEMO_MODEL_DIR));
  const compute = async () => {
    const prepared = prepareScoring(inputs, config);
    const [probability] = await model.predict([prepared.row]);
    const shap = model.explain(prepared.row);
    const score = {
      modelVersion: model.card.model_version,
      probability: probability!,
      grade: modelGrade(probability!),
      topFactors: topFactors(shap.byInput, prepared.row),
    };
    return completePipeline(inputs, config, prepared, score);
  };
  const sources = createPipelineSources({
    cases: d.ctx.cases,
    screening: d.ctx.screening,
    models: d.ctx.models,
    dialogStore: createPgDialogStore(d.ctx.db),
  });
  const expert = { ...SYSTEM_READER, userId: 'bench', role: 'remote_expert' as const };
  const gather = async () => {
    await Promise.all([
      sources.caseFor(expert, caseId),
      sources.interview(sessionId),
      sources.analysis(caseId),
      sources.screening(caseId),
      sources.activeScorecard(),
    ]);
  };
  const result = {
    interview: { answers: turns, outcome: recorded.outcome, reasons: recorded.result.reasons.length },
    compute: await time(compute, n * 3),
    gather: await time(gather, n),
    run: await time(() => d.ctx.pipeline.run(expert, caseId), n),
    replay: await time(() => d.ctx.pipeline.replay(expert, recorded.id), n),
    target: { p99_ms: 20, what: 'compute (in-process, no outside-data call)' },
    machine: { cpus: 2, loadavg: loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
  };
  await model.close();
  console.log(JSON.stringify(result, null, 2));
} finally {
  await d.close();
}
