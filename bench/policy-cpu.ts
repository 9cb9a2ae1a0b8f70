/**
 * CPU cost of the interview policy's decisions on question banks generated from the PRODUCTION catalogue, and a
 * record of every decision so that a change of the search can be checked to decide exactly as before (replay of a
 * recorded interview must be exact). Run:
 *
 *   nice -n 19 npx tsx bench/policy-cpu.ts [--interviews 360] [--seed 1] [--model models/dialog/answer-model.json]
 *     [--iterations 100] [--horizon 3] [--repeat 1] [--out /tmp/decisions.json] [--compare /tmp/decisions.json]
 *
 * Interview i meets the sample case of sector i mod 6 and respondent type ⌊i / 6⌋ mod 4, on a bank generated with
 * its own seed, and is answered by the simulator (src/dialog/sim); the policy runs with `DEFAULT_SEARCH` and the
 * given answer model. Each decision's CPU time (process.cpuUsage around `decideNext` alone) is kept; `--repeat`
 * plays every interview that many times and keeps each decision's least CPU, which takes most of the noise of a
 * shared machine out. `--out` writes every decision as JSON (chosen question, scores, reasons with their values),
 * `--compare` checks each one against such a file, byte for byte. Prints JSON: CPU per search decision and per
 * decision (p50, mean, p99, in ms), the count of decisions, and a hash of all of them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { seededRng } from '../src/platform/deps.js';
import { DEFAULT_CATALOGUE } from '../src/questions/catalogue/default.js';
import { generateBank } from '../src/questions/generate.js';
import { SAMPLE_CASES } from '../src/questions/samples.js';
import { SECTORS } from '../src/questions/types.js';
import { loadAnswerModel } from '../src/dialog/belief/load.js';
import {
  DEFAULT_BUDGET,
  DEFAULT_DOUBT_TARGET,
  applyAnswer,
  decideNext,
  findQuestion,
  startInterview,
} from '../src/dialog/policy/index.js';
import { RESPONDENT_TYPES, createRespondent, drawProfile } from '../src/dialog/sim/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const interviews = Number(arg('interviews') ?? 360);
const seedBase = Number(arg('seed') ?? 1);
const repeat = Math.max(1, Number(arg('repeat') ?? 1));
const iterations = arg('iterations') === undefined ? undefined : Number(arg('iterations'));
const horizon = arg('horizon') === undefined ? undefined : Number(arg('horizon'));
const model = loadAnswerModel(
  JSON.parse(readFileSync(arg('model') ?? 'models/dialog/answer-model.json', 'utf8')),
);
const out = arg('out');
const compare = arg('compare');

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Decided {
  json: string[];
  cpu: number[];
  search: boolean[];
}

function runInterview(i: number): Decided {
  const sector = SECTORS[i % SECTORS.length]!;
  const type = RESPONDENT_TYPES[Math.floor(i / SECTORS.length) % RESPONDENT_TYPES.length]!;
  const s = seedBase * 1_000_003 + i * 7;
  const bank = generateBank(SAMPLE_CASES[sector], DEFAULT_CATALOGUE, { seed: s + 1 });
  const respondent = createRespondent(drawProfile(bank, type, seededRng(s + 2)), seededRng(s + 3));
  const options = {
    rng: seededRng(s + 4),
    model,
    budget: DEFAULT_BUDGET,
    doubtTarget: DEFAULT_DOUBT_TARGET,
    ...(iterations !== undefined ? { iterations } : {}),
    ...(horizon !== undefined ? { horizon } : {}),
  };
  let state = startInterview(bank, model);
  const got: Decided = { json: [], cpu: [], search: [] };
  for (let guard = 0; guard < 1000; guard++) {
    const c0 = cpuMs();
    const decision = decideNext(state, options);
    got.cpu.push(cpuMs() - c0);
    got.json.push(JSON.stringify(decision));
    got.search.push(decision.reasons.rule === 'search');
    if (!decision.chosen) break;
    const answer = respondent.answer(findQuestion(bank, decision.chosen.questionId));
    state = applyAnswer(state, decision.chosen, answer, model);
  }
  return got;
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const summary = (xs: number[]) => ({
  n: xs.length,
  p50: +pct(xs, 50).toFixed(3),
  mean: +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(3),
  p90: +pct(xs, 90).toFixed(3),
  p99: +pct(xs, 99).toFixed(3),
  max: +pct(xs, 100).toFixed(3),
});

// Warm the JIT on interviews outside the measured set.
for (let i = 0; i < 24; i++) runInterview(interviews + 1000 + i);

const all: Decided[] = [];
for (let r = 0; r < repeat; r++) {
  for (let i = 0; i < interviews; i++) {
    const got = runInterview(i);
    const prev = all[i];
    if (!prev) all[i] = got;
    else {
      if (got.json.join('\n') !== prev.json.join('\n')) throw new Error(`interview ${i} not deterministic`);
      got.cpu.forEach((c, k) => (prev.cpu[k] = Math.min(prev.cpu[k]!, c)));
    }
  }
}

const hash = createHash('sha256');
for (const d of all) for (const j of d.json) hash.update(j).update('\n');
const searchCpu = all.flatMap((d) => d.cpu.filter((_, k) => d.search[k]));
const report: Record<string, unknown> = {
  interviews,
  seedBase,
  repeat,
  decisions: all.reduce((a, d) => a + d.json.length, 0),
  searchDecisions: searchCpu.length,
  decisionsSha256: hash.digest('hex'),
  searchCpuMs: summary(searchCpu),
  allCpuMs: summary(all.flatMap((d) => d.cpu)),
  totalSearchCpuMs: +searchCpu.reduce((a, b) => a + b, 0).toFixed(1),
};
if (out) writeFileSync(out, JSON.stringify(all.map((d) => d.json)));
if (compare) {
  const base = JSON.parse(readFileSync(compare, 'utf8')) as string[][];
  let same = 0;
  const differing: string[] = [];
  all.forEach((d, i) =>
    d.json.forEach((j, k) => {
      if (base[i]?.[k] === j) same++;
      else if (differing.length < 5) differing.push(`interview ${i} decision ${k}`);
    }),
  );
  const baseCount = base.reduce((a, x) => a + x.length, 0);
  report.compare = { file: compare, baseDecisions: baseCount, identical: same, differing };
}
console.log(JSON.stringify(report, null, 2));
