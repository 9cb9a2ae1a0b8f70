import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_GENESIS, chainEvent } from '../../src/dialog/session/store.js';
import type { TranscriptEvent } from '../../src/dialog/session/types.js';
import { GENESIS_HASH, hashRecord } from '../../src/platform/audit/chain.js';
import { analyseInterview } from '../../src/review/analysis.js';
import { type RecordingDoc, deriveSigningKey, signBundle, verifyBundle } from '../../src/review/bundle.js';
import { addMonthsUtc, purgeableFrom } from '../../src/review/retention.js';

const AT = '2026-03-12T02:00:00.000Z';

function recording(texts: string[]): RecordingDoc {
  let prev = EVENT_GENESIS;
  const events = texts.map((text, i) => {
    const event = { kind: 'applicant', seq: i + 1, at: AT, clientMsgId: `m${i}`, channel: 'web', text };
    const c = chainEvent(prev, { ...event, at: new Date(AT) } as TranscriptEvent);
    prev = c.hash;
    return { event, prevHash: c.prevHash, hash: c.hash };
  });
  const base = {
    seq: 1,
    at: new Date(AT),
    actor: 'system',
    action: 'recording.anchor',
    entity: 'recording',
    entityId: 's1',
    payload: { sessionId: 's1', lastSeq: texts.length, lastHash: prev },
  };
  const hash = hashRecord(GENESIS_HASH, base);
  return {
    sessionId: 's1',
    caseId: 'c1',
    lang: 'zh-CN',
    status: 'completed',
    endReason: 'doubt_low',
    startedAt: AT,
    endedAt: AT,
    bank: { catalogueVersion: 'v1', sha256: null },
    consents: [],
    events,
    anchor: { ...base, at: AT, prevHash: GENESIS_HASH, hash },
    purge: null,
  };
}

const key = deriveSigningKey(Buffer.alloc(32, 7));

describe('review: pure parts', () => {
  it('derives the same Ed25519 key from the same master key and another from another', () => {
    expect(deriveSigningKey(Buffer.alloc(32, 7)).publicKey).toBe(key.publicKey);
    expect(deriveSigningKey(Buffer.alloc(32, 8)).publicKey).not.toBe(key.publicKey);
  });

  it('verifies a signed bundle on its own, and fails on any edited transcript text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 12 }),
        (texts, pick, replacement) => {
          const b = JSON.parse(
            JSON.stringify(
              signBundle({ exportedAt: AT, exportedBy: 'u1', recording: recording(texts) }, key),
            ),
          );
          expect(verifyBundle(b, { trustedKeyId: key.keyId }).ok).toBe(true);
          const i = pick % texts.length;
          fc.pre(texts[i] !== replacement);
          b.recording.events[i].event.text = replacement;
          const bad = verifyBundle(b);
          expect(bad.ok).toBe(false);
          expect(bad.signature).toBe('invalid');
          expect(bad.chain).toMatchObject({ ok: false, firstBadSeq: i + 1 });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a bundle whose anchor names another end of the chain', () => {
    const r = recording(['一', '二']);
    r.events.pop();
    const b = signBundle({ exportedAt: AT, exportedBy: 'u1', recording: r }, key);
    expect(verifyBundle(b)).toMatchObject({ ok: false, signature: 'valid', anchor: 'does_not_match_chain' });
  });

  it('never allows a purge before the interview end plus the retention years, and counts a loan from its term', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(null, 'approve', 'adjust', 'decline', 'send_back'),
        fc.integer({ min: 1, max: 60 }),
        (endedAt, years, outcome, term) => {
          const from = purgeableFrom({ endedAt, outcome, loanEndsAt: null, loanTermMonths: term }, { years });
          expect(from.getTime()).toBeGreaterThanOrEqual(addMonthsUtc(endedAt, years * 12).getTime());
          if (outcome === 'approve' || outcome === 'adjust')
            expect(from.getTime()).toEqual(addMonthsUtc(addMonthsUtc(endedAt, term), years * 12).getTime());
        },
      ),
    );
    expect(addMonthsUtc(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('links a clash between two answers to both transcript lines', () => {
    const v = (seq: number, against?: string): TranscriptEvent => ({
      kind: 'applicant',
      seq,
      at: new Date(AT),
      clientMsgId: `m${seq}`,
      channel: 'web',
      text: seq === 2 ? '一天四千' : '一个月三万',
      questionId: seq === 2 ? 'q1' : 'q2',
      verifications: [
        {
          questionId: seq === 2 ? 'q1' : 'q2',
          factId: 'sales.monthly',
          questionKind: 'indirect',
          outcome: against ? 'contradicted' : 'unverifiable',
          strength: 1,
          code: against ? 'INCONSISTENT_WITH_EARLIER' : 'NO_EXPECTATION',
          why: 'test',
          ...(against
            ? { crossCheck: { againstQuestionId: against, deviation: -0.75, outcome: 'contradicted' } }
            : {}),
        },
      ],
    });
    const a = analyseInterview({
      events: [{ kind: 'bot', seq: 1, at: new Date(AT), text: '?' }, v(2), v(3, 'q1')],
      bank: null,
      lang: 'zh-CN',
      sources: null,
      checks: null,
      reliability: null,
    });
    expect(a.flags).toHaveLength(1);
    expect(a.flags[0]).toMatchObject({
      code: 'answer_vs_answer',
      severity: 'fail',
      evidence: [
        { kind: 'transcript', seq: 2, text: '一天四千' },
        { kind: 'transcript', seq: 3, text: '一个月三万' },
      ],
    });
    expect(a.transcript.find((l) => l.seq === 3)).toMatchObject({ flags: ['F1'] });
  });
});
