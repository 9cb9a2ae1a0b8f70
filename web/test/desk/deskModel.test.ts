import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/client.js';
import { translate } from '../../src/i18n.js';
import {
  CHECK_CODES,
  OPINION_KINDS,
  deskErrorText,
  flagLinks,
  flagsBySeq,
  formatFen,
  formatInUnit,
  formatYuan,
  validateOpinion,
  verdictColor,
  worstOutcome,
  type OpinionDraft,
} from '../../src/pages/staff/deskModel.js';
import type {
  CrossCheck,
  Evidence,
  Flag,
  OpinionBody,
  Outcome,
  TranscriptLine,
  Verdict,
} from '../../src/pages/staff/deskQueries.js';

const zh = (key: string, vars?: Record<string, string | number>) => translate('zh-CN', key, vars);

const OUTCOMES: Outcome[] = ['consistent', 'doubtful', 'contradicted', 'none', 'unverifiable'];

const answer = (seq: number, verdicts: Verdict[] = []): TranscriptLine => ({
  kind: 'applicant',
  seq,
  at: '2026-03-12T02:00:00.000Z',
  channel: 'web',
  text: `answer ${seq}`,
  choice: null,
  questionId: `q${seq}`,
  question: null,
  understanding: null,
  observed: null,
  verdicts,
  media: [],
  flags: [],
});
const bot = (seq: number): TranscriptLine => ({
  kind: 'bot',
  seq,
  at: '2026-03-12T02:00:00.000Z',
  text: `question ${seq}`,
  questionId: `q${seq + 1}`,
  mode: 'new',
  reasons: null,
});
const verdict = (outcome: Outcome, cross?: Outcome): Verdict => ({
  factId: 'sales.monthly',
  factLabel: '月销售额',
  questionKind: 'indirect',
  outcome,
  code: 'X',
  deviation: null,
  crossCheck: cross ? { outcome: cross, deviation: 1, againstQuestionId: 'q1' } : null,
  why: '',
});
const line = (seq: number): Evidence => ({ kind: 'transcript', seq, questionId: null, text: '' });
const check = (name: string, factIds: string[]): CrossCheck => ({
  name,
  factIds,
  expected: 100,
  observed: 90,
  unit: 'fen',
  tolerance: { warn: 15, fail: 30 },
  sources: [],
  deviationPct: -10,
  verdict: 'pass',
  explanation: { 'zh-CN': '', 'en-US': '' },
});

/** A transcript as the server builds it: bot and applicant lines alternating, seqs increasing from 1. */
const transcriptArb = fc.integer({ min: 1, max: 30 }).map((n) => {
  const lines: TranscriptLine[] = [];
  for (let i = 0; i < n; i++) lines.push(i % 2 === 0 ? bot(i + 1) : answer(i + 1));
  return lines;
});

/** Flags the way src/review/analysis.ts links them: transcript sides name applicant lines of the transcript. */
const viewArb = transcriptArb.chain((transcript) => {
  const answers = transcript.filter((l) => l.kind === 'applicant').map((l) => l.seq);
  const checks = [check('sales.purchases', ['sales.monthly']), check('inventory_days', ['stock.value'])];
  const fact = fc.constantFrom('sales.monthly', 'stock.value', 'household.size');
  const side = (): fc.Arbitrary<Evidence> =>
    fc.oneof(
      fc.record({
        kind: fc.constant('financials' as const),
        line: fc.constant('pl.revenue.monthly'),
        value: fc.constant(1),
        expected: fc.constant(null),
      }),
      fc.record({
        kind: fc.constant('expectation' as const),
        questionId: fc.constant('q'),
        expected: fc.constant({ kind: 'unknown' as const }),
      }),
    );
  const flag =
    answers.length === 0
      ? fc.constant(null)
      : fc
          .tuple(
            fc.constantFrom(
              'answer_vs_answer',
              'answer_vs_source',
              'control_failed',
              'ipc_check',
            ) as fc.Arbitrary<Flag['code']>,
            fc.constantFrom(...answers),
            fc.constantFrom(...answers),
            side(),
            fc.array(fact, { minLength: 1, maxLength: 2 }),
          )
          .map(([code, a, b, source, factIds]): Flag => {
            const evidence: [Evidence, Evidence] =
              code === 'answer_vs_answer'
                ? [line(Math.min(a, b)), line(Math.max(a, b))]
                : code === 'ipc_check'
                  ? [
                      {
                        kind: 'ipc_check',
                        check: 'sales.purchases',
                        side: 'reported',
                        value: 1,
                        unit: 'fen',
                        sources: [],
                      },
                      {
                        kind: 'ipc_check',
                        check: 'sales.purchases',
                        side: 'check',
                        value: 2,
                        unit: 'fen',
                        sources: [],
                      },
                    ]
                  : [source, line(b)];
            return { id: '', code, severity: 'fail', factIds, why: '', evidence };
          });
  return fc.array(flag, { maxLength: 8 }).map((fs) => ({
    transcript,
    checks,
    flags: fs.filter((f): f is Flag => f !== null).map((f, i) => ({ ...f, id: `F${i + 1}` })),
  }));
});

describe('flag → evidence links', () => {
  it('links every flag that names the transcript to lines the transcript has, and an IPC flag to its check', () => {
    fc.assert(
      fc.property(viewArb, ({ transcript, checks, flags }) => {
        const seqs = new Set(transcript.map((l) => l.seq));
        for (const f of flags) {
          const links = flagLinks(f, transcript, checks);
          expect(links.missing).toEqual([]);
          for (const s of links.seqs) expect(seqs.has(s)).toBe(true);
          if (f.code === 'ipc_check') expect(links.checks).toEqual(['sales.purchases']);
          else expect(links.seqs.length).toBeGreaterThan(0);
          for (const c of links.checks)
            expect(
              checks.find((x) => x.name === c)?.factIds.some((id) => f.factIds.includes(id)) ||
                f.code === 'ipc_check',
            ).toBe(true);
        }
      }),
    );
  });

  it('never links a line the transcript lacks: it is reported missing instead', () => {
    fc.assert(
      fc.property(
        transcriptArb,
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 2 }),
        (transcript, named) => {
          const f: Flag = {
            id: 'F1',
            code: 'answer_vs_answer',
            severity: 'warn',
            factIds: [],
            why: '',
            evidence: [line(named[0]!), line(named.at(-1)!)],
          };
          const links = flagLinks(f, transcript, []);
          const present = new Set(transcript.map((l) => l.seq));
          expect(links.seqs.every((s) => present.has(s))).toBe(true);
          expect(links.missing.every((s) => !present.has(s))).toBe(true);
          expect(new Set([...links.seqs, ...links.missing])).toEqual(new Set(named));
        },
      ),
    );
  });

  it('indexes each transcript line by exactly the flags whose evidence names it', () => {
    fc.assert(
      fc.property(viewArb, ({ flags }) => {
        const index = flagsBySeq(flags);
        for (const f of flags)
          for (const e of f.evidence) if (e.kind === 'transcript') expect(index.get(e.seq)).toContain(f.id);
        for (const [seq, ids] of index) {
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids)
            expect(
              flags.find((f) => f.id === id)?.evidence.some((e) => e.kind === 'transcript' && e.seq === seq),
            ).toBe(true);
        }
      }),
    );
  });
});

describe('verdicts', () => {
  it('takes the worst outcome of an answer whatever the order of its verdicts, a clash with an earlier answer included', () => {
    const outcome = fc.constantFrom(...OUTCOMES);
    fc.assert(
      fc.property(fc.array(fc.tuple(outcome, fc.option(outcome, { nil: undefined }))), (pairs) => {
        const vs = pairs.map(([o, c]) => verdict(o, c));
        expect(worstOutcome(vs)).toBe(worstOutcome([...vs].reverse()));
        const all = pairs.flatMap(([o, c]) => (c ? [o, c] : [o]));
        if (all.includes('contradicted')) expect(worstOutcome(vs)).toBe('contradicted');
        else if (all.includes('doubtful')) expect(worstOutcome(vs)).toBe('doubtful');
      }),
    );
    expect(worstOutcome([])).toBe('none');
  });

  it('colours a contradiction red, a doubt orange and a match green', () => {
    expect(OUTCOMES.map(verdictColor)).toEqual(['green', 'orange', 'red', 'default', 'default']);
  });
});

describe('formatting money', () => {
  it('shows fen as grouped yuan with two decimals, exactly', () => {
    expect(formatFen(15000000)).toBe('150,000.00');
    expect(formatFen(-5)).toBe('-0.05');
    expect(formatFen(null)).toBe('—');
    expect(formatYuan('150000.00')).toBe('150,000.00');
    expect(formatInUnit({ low: 100, high: 250 }, 'fen')).toBe('1.00 – 2.50');
    expect(formatInUnit(12.5, 'days')).toBe('12.5');
  });

  it('round-trips any whole fen amount through its yuan text', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => {
        const text = formatFen(fen).replace(/,/g, '');
        const [i, d] = text.replace('-', '').split('.');
        expect(Number(i) * 100 + Number(d)).toBe(Math.abs(fen));
      }),
    );
  });
});

/** The server's rules (src/review/routes.ts OpinionBody + src/review/desk.ts checkOpinion), as an oracle. */
function serverAccepts(b: OpinionBody, bankFacts: ReadonlySet<string>): boolean {
  if (!Number.isInteger(b.version) || b.version < 1) return false;
  if (!(OPINION_KINDS as readonly string[]).includes(b.kind)) return false;
  if (b.reasons.length < 1 || b.reasons.length > 20) return false;
  if (b.reasons.some((r) => r.trim().length < 1 || r.trim().length > 2000)) return false;
  if (b.amount_yuan !== undefined && !/^\d{1,12}(\.\d{1,2})?$/.test(b.amount_yuan)) return false;
  if (
    b.term_months !== undefined &&
    !(Number.isInteger(b.term_months) && b.term_months >= 1 && b.term_months <= 120)
  )
    return false;
  if (b.rate_bp !== undefined && !(Number.isInteger(b.rate_bp) && b.rate_bp >= 1 && b.rate_bp <= 10_000))
    return false;
  if (
    b.check &&
    (!(CHECK_CODES as readonly string[]).includes(b.check.code) || (b.check.note?.length ?? 0) > 2000)
  )
    return false;
  if (b.facts && (b.facts.length > 50 || b.facts.some((f) => f.length < 1 || f.length > 100))) return false;
  switch (b.kind) {
    case 'adjust':
      return b.amount_yuan !== undefined || b.term_months !== undefined || b.rate_bp !== undefined;
    case 'send_back':
      return b.check !== undefined;
    case 'second_interview':
      return (b.facts?.length ?? 0) > 0 && b.facts!.every((f) => bankFacts.has(f));
    default:
      return true;
  }
}

describe('opinion form validation', () => {
  const bankFacts = new Set(['sales.monthly', 'stock.value']);
  const ctx = { version: 3, bankFacts };
  const draftArb: fc.Arbitrary<OpinionDraft> = fc.record(
    {
      kind: fc.constantFrom(...OPINION_KINDS),
      amountYuan: fc.oneof(
        fc.constant(''),
        fc.constantFrom('150000', '8.5', '0.01', '1.234', 'abc', ' 20000.00 ', '-3'),
      ),
      termMonths: fc.oneof(
        fc.constant(null),
        fc.integer({ min: -2, max: 130 }),
        fc.constantFrom('12', ' 6 ', 'x', ''),
      ),
      rateBp: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 10_002 }), fc.constant(1.5)),
      checkCode: fc.option(fc.constantFrom(...CHECK_CODES), { nil: undefined }),
      checkNote: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      facts: fc.array(fc.constantFrom('sales.monthly', 'stock.value', 'not.in.bank'), { maxLength: 3 }),
      reasons: fc
        .array(fc.constantFrom('现金流充足', '  ', '', '销售额与调查不符', '\t'), { maxLength: 4 })
        .map((l) => l.join('\n')),
    },
    { requiredKeys: ['kind'] },
  );

  it('only ever sends what the server accepts, with the version read', () => {
    fc.assert(
      fc.property(draftArb, (d) => {
        const r = validateOpinion(d, ctx);
        if (r.ok) {
          expect(serverAccepts(r.body, bankFacts)).toBe(true);
          expect(r.body.version).toBe(3);
          expect(r.body.kind).toBe(d.kind);
        } else expect(Object.keys(r.errors).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('requires a reason: blank lines are not reasons', () => {
    expect(validateOpinion({ kind: 'approve', reasons: ' \n\t\n' }, ctx)).toEqual({
      ok: false,
      errors: { reasons: 'console.desk.opinion.error.reasonsRequired' },
    });
    expect(validateOpinion({ kind: 'approve', reasons: ' 现金流充足 \n\n 经营稳定' }, ctx)).toEqual({
      ok: true,
      body: { version: 3, kind: 'approve', reasons: ['现金流充足', '经营稳定'] },
    });
  });

  it('asks an adjustment for a new amount, term or rate, a send-back for its check, a second interview for bank facts', () => {
    const reasons = '理由';
    expect(validateOpinion({ kind: 'adjust', reasons }, ctx).ok).toBe(false);
    expect(
      validateOpinion({ kind: 'adjust', reasons, amountYuan: '100000', termMonths: 24, rateBp: 720 }, ctx),
    ).toEqual({
      ok: true,
      body: {
        version: 3,
        kind: 'adjust',
        reasons: ['理由'],
        amount_yuan: '100000',
        term_months: 24,
        rate_bp: 720,
      },
    });
    expect(validateOpinion({ kind: 'adjust', reasons, amountYuan: '1.234' }, ctx)).toMatchObject({
      ok: false,
      errors: { amountYuan: expect.any(String) },
    });
    expect(validateOpinion({ kind: 'send_back', reasons }, ctx)).toMatchObject({
      ok: false,
      errors: { checkCode: expect.any(String) },
    });
    expect(
      validateOpinion({ kind: 'send_back', reasons, checkCode: 'stock_count', checkNote: ' ' }, ctx),
    ).toEqual({
      ok: true,
      body: { version: 3, kind: 'send_back', reasons: ['理由'], check: { code: 'stock_count' } },
    });
    expect(validateOpinion({ kind: 'second_interview', reasons, facts: ['not.in.bank'] }, ctx)).toMatchObject(
      { ok: false, errors: { facts: expect.any(String) } },
    );
    expect(
      validateOpinion({ kind: 'second_interview', reasons, facts: ['sales.monthly', 'sales.monthly'] }, ctx),
    ).toEqual({
      ok: true,
      body: { version: 3, kind: 'second_interview', reasons: ['理由'], facts: ['sales.monthly'] },
    });
    // Fields of another kind are not sent.
    expect(validateOpinion({ kind: 'decline', reasons, amountYuan: '5', facts: ['x'] }, ctx)).toEqual({
      ok: true,
      body: { version: 3, kind: 'decline', reasons: ['理由'] },
    });
  });
});

describe('desk errors', () => {
  it('words the review refusals in the user’s language with their details, and leaves others to the console', () => {
    const raced = new ApiError('REVIEW_ALREADY_CLAIMED', 409, 'Another expert holds this review', {
      claimExpiresAt: '2026-03-12T02:30:00.000Z',
    });
    expect(deskErrorText(zh, raced)).toMatch(/^该调查已被其他专家认领。 认领有效至 .+。$/);
    const limit = new ApiError('REVIEW_CLAIM_LIMIT', 409, 'x', { limit: 2 });
    expect(deskErrorText((k, v) => translate('en-US', k, v), limit)).toBe(
      'You already hold 2 reviews; give an opinion on one or release one first.',
    );
    expect(deskErrorText(zh, new ApiError('SOMETHING_ELSE', 500, 'boom'))).toBe('操作失败：boom');
  });
});
