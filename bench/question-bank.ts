/**
 * Benchmark: generating one case's question bank (target p99 ≤ 10 ms).
 * Run with `npx tsx bench/question-bank.ts [iterations]`; prints JSON.
 * Cycles through the six sample cases with a fresh case id per run, so every generation draws new
 * paraphrases, decoys and order as it would for a new applicant.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CATALOGUE, SAMPLE_CASES, SECTORS, generateBank } from '../src/questions/index.js';

const iterations = Number(process.argv[2] ?? 5000);
const warmup = 300;
const cases = SECTORS.map((s) => SAMPLE_CASES[s]);

const run = (i: number) => {
  const base = cases[i % cases.length]!;
  return generateBank({ ...base, caseId: `${base.caseId}-${i}` }, DEFAULT_CATALOGUE);
};

let questions = 0;
for (let i = 0; i < warmup; i++) questions += run(i).questions.length;

const times: number[] = [];
questions = 0;
const cpu0 = process.cpuUsage();
for (let i = 0; i < iterations; i++) {
  const t0 = performance.now();
  const bank = run(i);
  times.push(performance.now() - t0);
  questions += bank.questions.length;
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
const round = (x: number) => Math.round(x * 1000) / 1000;

console.log(
  JSON.stringify(
    {
      benchmark: 'questions.generateBank',
      iterations,
      sectors: SECTORS.length,
      meanQuestionsPerBank: round(questions / iterations),
      ms: {
        p50: round(pct(50)),
        p90: round(pct(90)),
        p99: round(pct(99)),
        max: round(times[times.length - 1]!),
        mean: round(times.reduce((a, b) => a + b, 0) / times.length),
      },
      // CPU time per bank, unaffected by other processes competing for the cores; wall times above are not.
      cpuMsPerBank: round((cpu.user + cpu.system) / 1000 / iterations),
      loadAverage1m: round(loadavg()[0] ?? 0),
      targetP99Ms: 10,
      pass: pct(99) <= 10,
    },
    null,
    2,
  ),
);
