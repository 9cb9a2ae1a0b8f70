/**
 * The simulated interviews the dialog benchmarks share (bench/dialog-policy.ts, bench/dialog-misses.ts): interview i
 * of a seed base is one sector and respondent type in turn, with its own seeds for the bank, the hidden profile, the
 * respondent's answers and the search, whichever policy runs it (common random numbers).
 */
import { seededRng } from '../src/platform/deps.js';
import { DEFAULT_CATALOGUE } from '../src/questions/catalogue/default.js';
import { generateBank } from '../src/questions/generate.js';
import { SAMPLE_CASES } from '../src/questions/samples.js';
import type { QuestionBank, Sector } from '../src/questions/types.js';
import { SECTORS } from '../src/questions/types.js';
import type {
  HiddenProfile,
  RespondentType,
  RunOptions,
  SimulatedInterview,
} from '../src/dialog/sim/index.js';
import {
  RESPONDENT_TYPES,
  createRespondent,
  drawProfile,
  simulateInterview,
  syntheticBank,
} from '../src/dialog/sim/index.js';

export interface BenchCase {
  sector: Sector;
  type: RespondentType;
  seed: number;
}

export function benchCases(n: number, seedBase: number): BenchCase[] {
  const out: BenchCase[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      sector: SECTORS[i % SECTORS.length]!,
      type: RESPONDENT_TYPES[Math.floor(i / SECTORS.length) % RESPONDENT_TYPES.length]!,
      seed: seedBase + i,
    });
  }
  return out;
}

/**
 * One interview of the case: on a bank generated from the production catalogue for the sector's sample case
 * (`onCatalogue`), as the service builds it, or on a synthetic bank.
 */
export function runBenchCase(
  c: BenchCase,
  onCatalogue: boolean,
  options: Omit<RunOptions, 'rng'>,
): { bank: QuestionBank; profile: HiddenProfile; result: SimulatedInterview } {
  const bank: QuestionBank = onCatalogue
    ? generateBank(SAMPLE_CASES[c.sector], DEFAULT_CATALOGUE, { seed: c.seed * 7 + 1 })
    : syntheticBank(c.sector, { caseId: `bench-${c.seed}`, rng: seededRng(c.seed * 7 + 1) });
  const profile = drawProfile(bank, c.type, seededRng(c.seed * 7 + 2));
  const respondent = createRespondent(profile, seededRng(c.seed * 7 + 3));
  const result = simulateInterview(bank, respondent, { ...options, rng: seededRng(c.seed * 7 + 4) });
  return { bank, profile, result };
}
