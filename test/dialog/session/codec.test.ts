import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER_MODEL } from '../../../src/dialog/belief/index.js';
import { greedyChooser } from '../../../src/dialog/policy/index.js';
import { startInterview } from '../../../src/dialog/policy/state.js';
import { packBelief, reviveEvent, unpackBelief } from '../../../src/dialog/session/codec.js';
import { EVENT_GENESIS, chainEvent } from '../../../src/dialog/session/store.js';
import type { TranscriptEvent } from '../../../src/dialog/session/types.js';
import {
  RESPONDENT_TYPES,
  createRespondent,
  drawProfile,
  simulateInterview,
  syntheticBank,
} from '../../../src/dialog/sim/index.js';
import { seededRng } from '../../../src/platform/deps.js';
import { SECTORS } from '../../../src/questions/types.js';

/** What JSON keeps of a value (it drops undefined members): the durable snapshot was always this. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Through JSON, as the snapshot column stores it. */
const roundTrip = <T extends Parameters<typeof packBelief>[0]>(b: T) =>
  unpackBelief(JSON.parse(JSON.stringify(packBelief(b))) as ReturnType<typeof packBelief>);

describe('snapshot belief packing', () => {
  it('gives back every belief of simulated interviews field for field, and packs the untouched facts', () => {
    let packed = 0;
    let kept = 0;
    for (const sector of SECTORS) {
      for (const type of RESPONDENT_TYPES) {
        for (let seed = 1; seed <= 3; seed++) {
          const rng = seededRng(seed * 7919 + sector.length);
          const bank = syntheticBank(sector, { rng: seededRng(seed) });
          const start = startInterview(bank, DEFAULT_ANSWER_MODEL).belief;
          expect(roundTrip(start)).toStrictEqual(plain(start));
          const respondent = createRespondent(drawProfile(bank, type, rng), rng);
          const { state } = simulateInterview(bank, respondent, {
            model: DEFAULT_ANSWER_MODEL,
            chooser: greedyChooser,
            rng,
            budget: 12,
          });
          expect(roundTrip(state.belief)).toStrictEqual(plain(state.belief));
          for (const f of Object.values(packBelief(state.belief).facts))
            if (Array.isArray(f)) packed++;
            else kept++;
        }
      }
    }
    expect(packed).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it('keeps in full a fact that differs from an untouched one in any field', () => {
    const b = startInterview(syntheticBank('grocery'), DEFAULT_ANSWER_MODEL).belief;
    const [id, f] = Object.entries(b.facts)[0]!;
    for (const changed of [
      { ...f, status: 'doubtful' as const },
      { ...f, confidence: 0.5 },
      { ...f, followUp: 'pending' as const },
      { ...f, evidence: { ...f.evidence, none: 1 } },
      { ...f, extra: 1 },
    ]) {
      const belief = { ...b, facts: { ...b.facts, [id]: changed } };
      expect(packBelief(belief).facts[id]).toBe(changed);
      expect(roundTrip(belief)).toStrictEqual(plain(belief));
    }
  });

  it('reads a belief stored in full, as snapshots written before packing are', () => {
    const b = startInterview(syntheticBank('restaurant'), DEFAULT_ANSWER_MODEL).belief;
    expect(unpackBelief(JSON.parse(JSON.stringify(b)) as ReturnType<typeof packBelief>)).toStrictEqual(b);
  });
});

describe('transcript event hash', () => {
  it('is the same from the event in memory as from the event stored as JSON and read back', () => {
    // The store hashes the event as the turn made it; the verifier hashes what it reads back from the database.
    const member = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.date({ noInvalidDate: true }),
      fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)), { maxKeys: 3 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.date({ noInvalidDate: true }),
        fc.string(),
        fc.dictionary(
          fc.string().filter((k) => !['kind', 'seq', 'at', 'text'].includes(k)),
          member,
          {
            maxKeys: 4,
          },
        ),
        (seq, at, text, extra) => {
          const e = { ...extra, kind: 'bot', seq, at, text } as TranscriptEvent;
          const stored = reviveEvent(JSON.parse(JSON.stringify(e)) as TranscriptEvent);
          expect(chainEvent(EVENT_GENESIS, e).hash).toBe(chainEvent(EVENT_GENESIS, stored).hash);
        },
      ),
      { numRuns: 300 },
    );
  });
});
