/**
 * Where the interview policy misses fabricating respondents and flags honest ones: the same simulated interviews as
 * bench/dialog-policy.ts (MCTS only, honest and fabricating respondents), each missed fabricator put in the first
 * class that fits, in this order:
 * - `walked out`: left before a bent fact was recorded;
 * - `within tolerance`: every bent fact lies within the bank's fail tolerance of the claim — "as expected" by the
 *   bank's own definition, so no judgement flags it without flagging honest figures as far off;
 * - `never asked`: no question about an off-tolerance bent fact was put;
 * - `no evidence`: asked, but met only with 不知道, refusals or unreadable answers;
 * - `pending at budget`: a clash raised its follow-up when no question was left;
 * - `disputed, not recorded`: a doubtful or clashing answer, not borne out enough to be recorded;
 * - `judged consistent`: every answer about the bent fact supported it.
 * Run: `npx tsx bench/dialog-misses.ts [interviews] [catalogue|synthetic] [seedBase]` (2400 interviews: 600 of each
 * respondent type; catalogue banks judged with models/dialog/answer-model.json, synthetic banks with the answer model
 * fitted as dialog-policy.ts fits it). Prints JSON; `examples` lists up to 20 misses with their answers.
 */
import { readFileSync } from 'node:fs';
import type { AnswerModel, FactBelief, PastInterview } from '../src/dialog/belief/index.js';
import { DEFAULT_ANSWER_MODEL, fitAnswerModel } from '../src/dialog/belief/index.js';
import { pastInterviewOf } from '../src/dialog/belief/fit-catalogue.js';
import { loadAnswerModel } from '../src/dialog/belief/load.js';
import {
  DEFAULT_BUDGET,
  DEFAULT_DOUBT_TARGET,
  mctsChooser,
  randomChooser,
} from '../src/dialog/policy/index.js';
import { truthLabels } from '../src/dialog/sim/index.js';
import { benchCases, runBenchCase } from './dialog-cases.js';

const n = Number(process.argv[2] ?? 2400);
const banks = process.argv[3] ?? 'catalogue';
const seedBase = Number(process.argv[4] ?? 1);
if (banks !== 'catalogue' && banks !== 'synthetic') throw new Error(`unknown banks ${banks}`);
const onCatalogue = banks === 'catalogue';
const run = { budget: DEFAULT_BUDGET, doubtTarget: DEFAULT_DOUBT_TARGET };

/** dialog-policy.ts's `default` judgement: the answer model fitted on 300 random-order past interviews. */
function syntheticModel(): AnswerModel {
  const past: PastInterview[] = [];
  const logging = fitAnswerModel([], { prior: DEFAULT_ANSWER_MODEL });
  for (const c of benchCases(300, 1_000_000)) {
    const { bank, profile, result } = runBenchCase(c, false, {
      ...run,
      model: logging,
      chooser: randomChooser,
    });
    past.push(pastInterviewOf(result, truthLabels(bank, profile), DEFAULT_ANSWER_MODEL));
  }
  return fitAnswerModel(past, { version: 'bench-fitted', prior: DEFAULT_ANSWER_MODEL });
}

const model = onCatalogue
  ? loadAnswerModel(JSON.parse(readFileSync('models/dialog/answer-model.json', 'utf8')))
  : syntheticModel();

const count = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};
const isRecorded = (f: FactBelief) => f.importance > 0 && f.status === 'contradicted';
const hasEvidence = (f: FactBelief) =>
  f.history.some((h) => h.outcome !== 'none' && h.outcome !== 'unverifiable');
const short = (id: string) => id.split('.').slice(-1)[0]!;

let fabricators = 0;
let detected = 0;
let honestClean = 0;
let honestFlagged = 0;
const misses: Record<string, number> = {};
const missesBySector: Record<string, number> = {};
const missedFacts: Record<string, number> = {};
const flaggedThrough: Record<string, number> = {};
const honestFlaggedFacts: Record<string, number> = {};
const examples: unknown[] = [];

for (const c of benchCases(n, seedBase)) {
  if (c.type !== 'honest' && c.type !== 'fabricating') continue;
  const { bank, profile, result } = runBenchCase(c, onCatalogue, { ...run, model, chooser: mctsChooser });
  const labels = truthLabels(bank, profile);
  const facts = Object.values(result.state.belief.facts);
  const recorded = facts.filter(isRecorded);
  // A flag through a figure (pooled judgement) or only through yes/no and choice answers (the outcome table).
  const through = recorded.some((f) => typeof profile.expected[f.factId] === 'number')
    ? 'figure'
    : 'yes/no or choice only';
  if (c.type === 'honest') {
    if (!Object.values(labels).every(Boolean)) continue;
    honestClean++;
    if (!result.flagged) continue;
    honestFlagged++;
    count(flaggedThrough, `honest: ${through}`);
    for (const f of recorded) count(honestFlaggedFacts, f.factId);
    continue;
  }
  fabricators++;
  if (result.flagged) {
    detected++;
    count(flaggedThrough, `fabricating: ${through}`);
    continue;
  }
  count(missesBySector, c.sector);
  const off = profile.fabricated.filter((id) => !labels[id]);
  const bent = off.map((id) => result.state.belief.facts[id]).filter((f): f is FactBelief => f !== undefined);
  const asked = bent.filter((f) => f.history.length > 0);
  const cause =
    off.length === 0
      ? 'within tolerance'
      : result.stop === 'applicant_left'
        ? 'walked out'
        : asked.length === 0
          ? 'never asked'
          : !asked.some(hasEvidence)
            ? 'no evidence'
            : bent.some((f) => f.followUp === 'pending')
              ? 'pending at budget'
              : bent.some((f) =>
                    f.history.some((h) => h.outcome === 'contradicted' || h.outcome === 'doubtful'),
                  )
                ? 'disputed, not recorded'
                : 'judged consistent';
  count(misses, cause);
  for (const id of off) count(missedFacts, `${id}: ${cause}`);
  if (examples.length < 20 && cause !== 'within tolerance' && cause !== 'walked out')
    examples.push({
      sector: c.sector,
      seed: c.seed,
      cause,
      nominee: !profile.knowsTrade,
      facts: bent.map((f) => ({
        fact: f.factId,
        claim: profile.claims[f.factId],
        truth: profile.truth[f.factId],
        p: Number(f.p.toFixed(3)),
        answers: f.history.map(
          (h) => `${short(h.questionId)} ${h.outcome} ${h.pBefore.toFixed(2)}→${h.pAfter.toFixed(2)}`,
        ),
      })),
      asked: result.state.turns.map((t) => t.questionId),
    });
}

const pct = (a: number, b: number) => Math.round((1000 * a) / Math.max(1, b)) / 10;
const sorted = (m: Record<string, number>) =>
  Object.fromEntries(Object.entries(m).sort((a, b) => b[1] - a[1]));
console.log(
  JSON.stringify(
    {
      setup: { interviews: n, banks, seedBase, budget: run.budget, model: model.version },
      fabricators,
      detectedPct: pct(detected, fabricators),
      honestClean,
      honestFlaggedPct: pct(honestFlagged, honestClean),
      misses: sorted(misses),
      missesBySector: sorted(missesBySector),
      missedFacts: sorted(missedFacts),
      flaggedThrough: sorted(flaggedThrough),
      honestFlaggedFacts: sorted(honestFlaggedFacts),
      examples,
    },
    null,
    2,
  ),
);
