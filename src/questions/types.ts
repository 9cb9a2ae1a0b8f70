/**
 * The shared vocabulary between the question bank (src/questions) and the dialog engine (src/dialog).
 * Domain types only: no fastify / redis / drizzle imports.
 */

export type Sector = 'grocery' | 'restaurant' | 'crops' | 'livestock' | 'transport' | 'processing';
export const SECTORS: readonly Sector[] = [
  'grocery',
  'restaurant',
  'crops',
  'livestock',
  'transport',
  'processing',
];

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
  /** Labels of `choices`, shown in a question's choice list. */
  choiceLabels?: Record<string, Localized>;
  /** How the raw source value becomes the fact's value (e.g. a registration date → months in business). */
  derive?: FactDerivation;
  /** The applicant display field that IS this fact's answer: templates for this fact may not use it as a slot. */
  displayField?: DisplayField;
  /** A screening value that makes the expectation positive (true / > 0) raises doubt by itself. */
  flagWhenPositive?: 'warn' | 'fail';
  /** A cover (decoy) fact: asked only so a coached applicant cannot tell the bank's doubts from its questions. */
  cover?: boolean;
}

/** 'months_since': an ISO date → whole months before the case's `asOf`; 'positive': a number > 0 → true. */
export type FactDerivation = 'months_since' | 'positive';

/**
 * Applicant fields that may appear in a question's text. Deliberately no ID numbers, names of persons,
 * phone numbers or amounts: only what the applicant would say themselves when describing the business.
 */
export type DisplayField =
  'shop_name' | 'village' | 'township' | 'main_product' | 'crop' | 'livestock' | 'vehicle' | 'market';
export const DISPLAY_FIELDS: readonly DisplayField[] = [
  'shop_name',
  'village',
  'township',
  'main_product',
  'crop',
  'livestock',
  'vehicle',
  'market',
];

/** The bank's expectation of a fact for one applicant. Numeric: value with an allowed band. */
export type Expectation =
  | { kind: 'number'; value: number; tolerance: Tolerance }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'choice'; value: string }
  | { kind: 'unknown' };

export type QuestionKind = 'direct' | 'indirect' | 'control';

/**
 * Why a question is in the bank: 'verify' targets a fact; 'control' has an answer the bank already knows
 * (measures the applicant's reliability); 'decoy' covers the bank's real doubts and carries little weight.
 */
export type QuestionPurpose = 'verify' | 'control' | 'decoy';

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
  /**
   * Follow-up when two of the applicant's OWN answers disagree. Contains the literal slots `{own_answer}`
   * and `{earlier_answer}` (followUp contains `{own_answer}`), which the dialog engine fills with the
   * applicant's own words; never with an expected value or outside data.
   */
  followUpCross?: Localized;
  /** Independent route of asking (e.g. 'stated', 'takings', 'purchases'); two routes check each other. */
  route?: string;
  purpose?: QuestionPurpose;
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
  /** The seed that chose paraphrases, decoys and order: the same case, catalogue and seed give the same bank. */
  seed?: number;
  questions: BankQuestion[];
}
