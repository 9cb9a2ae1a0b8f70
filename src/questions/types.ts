/**
 * The shared vocabulary between the question bank (src/questions) and the dialog engine (src/dialog).
 * Domain types only: no fastify / redis / drizzle imports.
 */

export type Sector = 'grocery' | 'restaurant' | 'crops' | 'livestock' | 'transport' | 'processing';
export const SECTORS: readonly Sector[] = ['grocery', 'restaurant', 'crops', 'livestock', 'transport', 'processing'];

export type Lang = 'zh-CN' | 'en-US';
export type Localized = { 'zh-CN': string; 'en-US': string };

/** What kind of answer a question expects; the NLU parses to the matching ParsedAnswer kind. */
export type AnswerType =
  | 'money' // CNY, stored as yuan (number) in expectations; fen in the ledger
  | 'quantity' // number with a unit (斤, 头, 亩, 吨, 趟, 平方米…)
  | 'count' // plain whole number (people, staff, vehicles)
  | 'percent'
  | 'yes_no'
  | 'choice'
  | 'date'
  | 'duration' // months
  | 'place'
  | 'text';

/** Where the bank's expected value for a fact comes from. */
export type FactSource =
  | { kind: 'survey'; field: string } // an answer of the officer's IPC survey
  | { kind: 'financials'; line: string } // a line of the rebuilt statements
  | { kind: 'screening'; fact: string } // an outside-data fact (never disclosed to the applicant)
  | { kind: 'none' }; // nothing known beforehand: the interview establishes it

/** Relative tolerance of a numeric answer: |answer − expected| / expected. */
export interface Tolerance {
  warn: number; // e.g. 0.15
  fail: number; // e.g. 0.30
}

export interface FactDef {
  id: string; // e.g. 'sales.monthly'
  label: Localized;
  answerType: AnswerType;
  unit?: string; // canonical unit of the fact value (元, 头, 亩, 趟/月…)
  importance: number; // 0..1, weight in the decision
  tolerance: Tolerance;
  source: FactSource;
  sectors: Sector[] | 'all';
  choices?: string[]; // for 'choice' facts: canonical choice ids
}

/** The bank's expectation of a fact for one applicant. Numeric: value with an allowed band. */
export type Expectation =
  | { kind: 'number'; value: number; tolerance: Tolerance }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'choice'; value: string }
  | { kind: 'unknown' };

export type QuestionKind = 'direct' | 'indirect' | 'control';

/**
 * One question of an applicant's private bank. `toFact.scale` converts the answer into the fact's
 * unit (an indirect question about daily takings verifies monthly sales with scale = trading days).
 */
export interface BankQuestion {
  id: string;
  factIds: string[];
  kind: QuestionKind;
  templateId: string;
  text: Localized; // never contains an expected figure or outside data
  rephrase: Localized; // used when an answer cannot be understood
  followUp: Localized; // used once on a contradiction; may quote the applicant's own earlier answer only
  answerType: AnswerType;
  unit?: string;
  choices?: { id: string; label: Localized }[];
  toFact?: { scale: number };
  expected: Expectation; // in the answer's own unit (before toFact)
  weight: number; // information weight from importance and current doubt
  reason: Localized; // why the question is in the bank (for risk managers and compliance)
}

export interface QuestionBank {
  caseId: string;
  catalogueVersion: string;
  generatedFor: { sector: Sector };
  facts: FactDef[]; // the facts this bank verifies
  priorDoubt: Record<string, number>; // fact id → 0..1 doubt before the interview
  questions: BankQuestion[];
}
