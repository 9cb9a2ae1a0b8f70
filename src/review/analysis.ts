/**
 * What the remote expert reads of one interview, computed from the recorded transcript, the question bank and the
 * case's values: each answer with its parse, verdict and the facts it touched; every inconsistency flagged and linked
 * to the evidence on both sides; the reliability measured by control questions. Pure: no I/O, no clock.
 *
 * Staff only. The case values (survey, financials, outside data) appear here as evidence for the expert; none of
 * it is ever put to the applicant (DOMAIN.md, "Remote AI interviews").
 */
import type { Reliability, Verification, VerificationOutcome } from '../dialog/belief/types.js';
import type { TranscriptEvent } from '../dialog/session/types.js';
import type { CheckResult } from '../scoring/ipc/index.js';
import type { BankQuestion, Expectation, FactDef, Lang, QuestionBank } from '../questions/types.js';

export type CaseValue = number | string | boolean;

/** The case's values by the names a fact's source uses (the question bank's case context). */
export interface CaseSources {
  survey: Readonly<Record<string, CaseValue>>;
  financials: Readonly<Record<string, number>>;
  screening: Readonly<Record<string, CaseValue>>;
  /** Survey field → the officer's survey questions it was computed from. */
  surveyFrom: Readonly<Record<string, readonly string[]>>;
}

/** One side of an inconsistency: a transcript line or a line of the case's data. */
export type Evidence =
  | { kind: 'transcript'; seq: number; questionId: string | null; text: string }
  /**
   * A case value, now, in the fact's unit; `expected` is what the interview compared with (the bank's expectation
   * at the time) in the question's own unit, and `expectedInFactUnit` the same converted to the fact's unit, as
   * the value is (a daily takings figure of about 4,000 is about 120,000 a month), or null when the question asked
   * for another quantity or nothing numeric.
   */
  | {
      kind: 'survey';
      field: string;
      value: CaseValue | null;
      from: readonly string[];
      expected: Expectation | null;
      expectedInFactUnit: Expectation | null;
    }
  | {
      kind: 'financials';
      line: string;
      value: number | null;
      expected: Expectation | null;
      expectedInFactUnit: Expectation | null;
    }
  | {
      kind: 'screening';
      fact: string;
      value: CaseValue | null;
      expected: Expectation | null;
      expectedInFactUnit: Expectation | null;
    }
  /** The bank's own expectation when the fact has no case source (control questions, facts set by the bank). */
  | { kind: 'expectation'; questionId: string; expected: Expectation }
  /** One route of an IPC cross-check: `side` reported is what the statements say, check the independent route. */
  | {
      kind: 'ipc_check';
      check: string;
      side: 'reported' | 'check';
      value: number | { low: number; high: number } | null;
      unit: string;
      sources: readonly string[];
    };

export type FlagCode = 'answer_vs_answer' | 'answer_vs_source' | 'control_failed' | 'ipc_check';

export interface Flag {
  id: string;
  code: FlagCode;
  severity: 'warn' | 'fail';
  factIds: string[];
  why: string;
  /** The two sides of the inconsistency, earlier or case side first. */
  evidence: [Evidence, Evidence];
}

export interface VerdictView {
  factId: string;
  factLabel: string;
  questionKind: Verification['questionKind'];
  outcome: VerificationOutcome;
  code: Verification['code'];
  deviation: number | null;
  crossCheck: Verification['crossCheck'] | null;
  why: string;
}

export type TranscriptLine =
  | {
      kind: 'bot';
      seq: number;
      at: string;
      text: string;
      questionId: string | null;
      mode: string | null;
      reasons: unknown;
    }
  | {
      kind: 'applicant';
      seq: number;
      at: string;
      channel: string;
      text: string;
      choice: string | null;
      questionId: string | null;
      question: { text: string; kind: string; purpose: string; factIds: string[] } | null;
      understanding: unknown;
      observed: unknown;
      verdicts: VerdictView[];
      media: { kind: 'voice' | 'image'; ref: string }[];
      flags: string[];
    }
  | { kind: 'end'; seq: number; at: string; reason: string; text: string }
  /** A line whose content was removed by the retention policy; its hash is kept. */
  | { kind: 'purged'; seq: number; at: string };

export interface ControlReliability {
  /** Mean of the Beta posterior over the applicant's reliability. */
  mean: number | null;
  alpha: number | null;
  beta: number | null;
  asked: number;
  passed: number;
  failed: number;
  answers: { seq: number; questionId: string; outcome: VerificationOutcome }[];
}

export interface AnalysisInput {
  events: readonly TranscriptEvent[];
  bank: QuestionBank | null;
  lang: Lang;
  sources: CaseSources | null;
  checks: readonly CheckResult[] | null;
  reliability: Reliability | null;
}

export interface Analysis {
  transcript: TranscriptLine[];
  flags: Flag[];
  reliability: ControlReliability;
}

const NORMAL_ENDS: readonly string[] = ['doubt_low', 'budget_spent', 'no_questions'];
const BAD: readonly VerificationOutcome[] = ['contradicted', 'doubtful'];
const severityOf = (o: VerificationOutcome): 'warn' | 'fail' => (o === 'contradicted' ? 'fail' : 'warn');

/** A purged transcript event (retention): no text, no parse, only its place in the chain. */
export const isPurgedEvent = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { purged?: unknown }).purged === true;

function sourceEvidence(
  fact: FactDef | undefined,
  q: BankQuestion | undefined,
  sources: CaseSources | null,
): Evidence | null {
  const s = fact?.source;
  if (!s || s.kind === 'none')
    return q ? { kind: 'expectation', questionId: q.id, expected: q.expected } : null;
  const expected = q?.expected ?? null;
  const expectedInFactUnit = q ? inFactUnit(q) : null;
  switch (s.kind) {
    case 'survey':
      return {
        kind: 'survey',
        field: s.field,
        value: sources?.survey[s.field] ?? null,
        from: sources?.surveyFrom[s.field] ?? [],
        expected,
        expectedInFactUnit,
      };
    case 'financials':
      return {
        kind: 'financials',
        line: s.line,
        value: sources?.financials[s.line] ?? null,
        expected,
        expectedInFactUnit,
      };
    case 'screening':
      return {
        kind: 'screening',
        fact: s.fact,
        value: sources?.screening[s.fact] ?? null,
        expected,
        expectedInFactUnit,
      };
  }
}

/**
 * A question's numeric expectation in its fact's unit (through `toFact.scale`, 1 when absent); null for a yes/no or
 * a choice. A year asked for a duration (a date range with no conversion) is in years, not the fact's unit: null.
 */
function inFactUnit(q: BankQuestion): Expectation | null {
  const e = q.expected;
  const k = q.toFact?.scale ?? 1;
  if (e.kind === 'number') return { ...e, value: e.value * k };
  if (e.kind === 'range') {
    if (q.answerType === 'date' && q.toFact === undefined) return null;
    return { ...e, low: e.low * k, high: e.high * k };
  }
  return null;
}

/** The transcript for the desk with every flag linked to its evidence, and the control-question reliability. */
export function analyseInterview(input: AnalysisInput): Analysis {
  const { events, bank, lang } = input;
  const questions = new Map((bank?.questions ?? []).map((q) => [q.id, q]));
  const facts = new Map((bank?.facts ?? []).map((f) => [f.id, f]));
  const flags: Flag[] = [];
  const transcript: TranscriptLine[] = [];
  /** Question id → the seqs of the applicant's answers to it so far. */
  const answered = new Map<string, number[]>();
  const texts = new Map<number, string>();
  const control: ControlReliability['answers'] = [];
  const addFlag = (f: Omit<Flag, 'id'>) => {
    const id = `F${flags.length + 1}`;
    flags.push({ id, ...f });
    return id;
  };

  for (const e of events) {
    const at = new Date(e.at).toISOString();
    if (isPurgedEvent(e)) {
      transcript.push({ kind: 'purged', seq: e.seq, at });
      continue;
    }
    if (e.kind === 'bot') {
      transcript.push({
        kind: 'bot',
        seq: e.seq,
        at,
        text: e.text,
        questionId: e.questionId ?? null,
        mode: e.mode ?? null,
        reasons: e.reasons ?? null,
      });
      continue;
    }
    if (e.kind === 'end') {
      transcript.push({ kind: 'end', seq: e.seq, at, reason: e.reason, text: e.text });
      continue;
    }
    texts.set(e.seq, e.text);
    const q = e.questionId ? questions.get(e.questionId) : undefined;
    const here: Evidence = { kind: 'transcript', seq: e.seq, questionId: e.questionId ?? null, text: e.text };
    const lineFlags: string[] = [];
    const verdicts: VerdictView[] = [];
    for (const v of e.verifications ?? []) {
      const fact = facts.get(v.factId);
      verdicts.push({
        factId: v.factId,
        factLabel: fact?.label[lang] ?? v.factId,
        questionKind: v.questionKind,
        outcome: v.outcome,
        code: v.code,
        deviation: v.deviation ?? null,
        crossCheck: v.crossCheck ?? null,
        why: v.why,
      });
      if (v.questionKind === 'control') {
        control.push({ seq: e.seq, questionId: v.questionId, outcome: v.outcome });
        if (BAD.includes(v.outcome)) {
          lineFlags.push(
            addFlag({
              code: 'control_failed',
              severity: severityOf(v.outcome),
              factIds: [v.factId],
              why: v.why,
              evidence: [
                sourceEvidence(fact, q, input.sources) ?? {
                  kind: 'expectation',
                  questionId: v.questionId,
                  expected: q?.expected ?? { kind: 'unknown' },
                },
                here,
              ],
            }),
          );
        }
        continue;
      }
      const cc = v.crossCheck;
      if (cc && BAD.includes(cc.outcome)) {
        const earlier = (answered.get(cc.againstQuestionId) ?? []).at(-1);
        if (earlier !== undefined) {
          lineFlags.push(
            addFlag({
              code: 'answer_vs_answer',
              severity: severityOf(cc.outcome),
              factIds: [v.factId],
              why: `answer to ${v.questionId} differs by ${(cc.deviation * 100).toFixed(1)}% from the answer to ${cc.againstQuestionId}`,
              evidence: [
                {
                  kind: 'transcript',
                  seq: earlier,
                  questionId: cc.againstQuestionId,
                  text: texts.get(earlier) ?? '',
                },
                here,
              ],
            }),
          );
        }
      }
      // The verdict against the bank's expectation, unless the clash with an earlier answer is all it says.
      if (BAD.includes(v.outcome) && v.code !== 'INCONSISTENT_WITH_EARLIER') {
        const side = sourceEvidence(fact, q, input.sources);
        if (side) {
          lineFlags.push(
            addFlag({
              code: 'answer_vs_source',
              severity: severityOf(v.outcome),
              factIds: [v.factId],
              why: v.why,
              evidence: [side, here],
            }),
          );
        }
      }
    }
    if (e.questionId) answered.set(e.questionId, [...(answered.get(e.questionId) ?? []), e.seq]);
    transcript.push({
      kind: 'applicant',
      seq: e.seq,
      at,
      channel: e.channel,
      text: e.text,
      choice: e.choice ?? null,
      questionId: e.questionId ?? null,
      question: q
        ? { text: q.text[lang], kind: q.kind, purpose: q.purpose ?? 'verify', factIds: q.factIds }
        : null,
      understanding: e.understanding ?? null,
      observed: e.observed ?? null,
      verdicts,
      media: e.media ?? [],
      flags: lineFlags,
    });
  }

  for (const c of input.checks ?? []) {
    if (c.verdict !== 'warn' && c.verdict !== 'fail') continue;
    const side = (s: 'reported' | 'check', value: CheckResult['expected'] | number): Evidence => ({
      kind: 'ipc_check',
      check: c.name,
      side: s,
      value: value === null || typeof value === 'number' ? value : { low: value.low, high: value.high },
      unit: c.unit,
      sources: c.sources,
    });
    addFlag({
      code: 'ipc_check',
      severity: c.verdict,
      factIds: c.factIds,
      why: c.explanation[lang],
      evidence: [side('reported', c.observed), side('check', c.expected)],
    });
  }

  const r = input.reliability;
  return {
    transcript,
    flags,
    reliability: {
      mean: r ? r.alpha / (r.alpha + r.beta) : null,
      alpha: r?.alpha ?? null,
      beta: r?.beta ?? null,
      asked: control.length,
      passed: control.filter((c) => c.outcome === 'consistent').length,
      failed: control.filter((c) => BAD.includes(c.outcome)).length,
      answers: control,
    },
  };
}

/** The flag codes of a transcript alone (no case data), stored with the recording for compliance search. */
export function transcriptFlagCodes(events: readonly TranscriptEvent[], bank: QuestionBank | null): string[] {
  const a = analyseInterview({ events, bank, lang: 'zh-CN', sources: null, checks: null, reliability: null });
  const codes = new Set<string>(a.flags.map((f) => f.code));
  if (a.flags.some((f) => f.severity === 'fail')) codes.add('contradiction');
  const end = events.find((e) => e.kind === 'end');
  if (end && end.kind === 'end' && !NORMAL_ENDS.includes(end.reason)) codes.add(`ended_${end.reason}`);
  return [...codes].sort();
}
