/** The same contract on the memory twin and on the database store (PGlite, or PostgreSQL when configured). */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER_MODEL } from '../../../src/dialog/belief/answer-model.js';
import { DEFAULT_BELIEF_CONFIG } from '../../../src/dialog/belief/update.js';
import { DEFAULT_VERIFY_CONFIG } from '../../../src/dialog/belief/verify.js';
import { DEFAULT_SEARCH } from '../../../src/dialog/policy/decide.js';
import {
  type DialogStore,
  DuplicateClientMessage,
  createMemoryDialogStore,
  verifyEventChain,
} from '../../../src/dialog/session/store.js';
import { createPgDialogStore } from '../../../src/dialog/session/store.pg.js';
import { DEFAULT_DIALOG_CONFIG, applyTurn, openSession } from '../../../src/dialog/session/turn.js';
import { newSessionRecord, syntheticBank } from '../../../src/dialog/sim/fixtures.js';
import { type TestContext, buildTestContext } from '../../helper.js';
import { nlu } from './harness.js';

const deps = { nlu, model: DEFAULT_ANSWER_MODEL, config: { ...DEFAULT_DIALOG_CONFIG, iterations: 50 } };

const newSession = (id: string, invitationId: string) =>
  newSessionRecord(id, invitationId, new Date('2026-05-01T02:00:00.000Z'));

function contract(name: string, make: () => Promise<DialogStore>) {
  describe(`dialog store: ${name}`, () => {
    let store: DialogStore;
    beforeAll(async () => {
      store = await make();
    });

    it('creates a session once per invitation', async () => {
      const { snapshot, events } = openSession(newSession('s1', 'i1'), syntheticBank('grocery'), deps);
      expect(await store.create(snapshot, events)).toBe(true);
      const again = openSession(newSession('s1b', 'i1'), syntheticBank('grocery'), deps);
      expect(await store.create(again.snapshot, again.events)).toBe(false);
      expect((await store.getByInvitation('i1'))?.id).toBe('s1');
      expect((await store.get('s1'))?.lastSeq).toBe(2);
    });

    it('commits a turn only from the version it started at, and finds the client message', async () => {
      const snap = (await store.loadSnapshot('s1'))!;
      const recent = (await store.eventsAfter('s1', 0)).map((e) => e.event);
      const out = applyTurn(
        snap,
        { sessionId: 's1', clientMsgId: 'c1', channel: 't', text: '三千' },
        new Date('2026-05-01T02:01:00Z'),
        deps,
        recent,
      );
      expect(await store.commit('s1', 1, out.snapshot, out.events)).toBe(false);
      expect(await store.commit('s1', 2, out.snapshot, out.events)).toBe(true);
      expect(await store.commit('s1', 2, out.snapshot, out.events)).toBe(false);
      expect(await store.findClientMessage('s1', 'c1')).toBe(3);
      expect(await store.findClientMessage('s1', 'nope')).toBeNull();
      const loaded = (await store.loadSnapshot('s1'))!;
      expect(loaded.session.lastSeq).toBe(4);
      expect(loaded.state.turns).toHaveLength(1);
      expect(loaded.session.lastActivityAt.toISOString()).toBe('2026-05-01T02:01:00.000Z');
      // Another instance taking the session over knows the applicant's words and latest message ids.
      expect(loaded.recentMsgs).toEqual([['c1', 3]]);
      expect(loaded.said).toEqual(out.snapshot.said);
      expect(Object.keys(loaded.said ?? {})).toHaveLength(1);
      // The settings the interview opened under come back with it, for its next turns and its replay.
      expect(loaded.settings).toEqual({
        iterations: 50,
        doubtTarget: DEFAULT_DIALOG_CONFIG.doubtTarget,
        maxEmptyStreak: DEFAULT_DIALOG_CONFIG.maxEmptyStreak,
        maxAnswerChars: DEFAULT_DIALOG_CONFIG.maxAnswerChars,
        interviewTimeoutMs: DEFAULT_DIALOG_CONFIG.interviewTimeoutMs,
        answerModel: DEFAULT_ANSWER_MODEL.version,
        belief: DEFAULT_BELIEF_CONFIG,
        verify: DEFAULT_VERIFY_CONFIG,
        search: {
          horizon: DEFAULT_SEARCH.horizon,
          discount: DEFAULT_SEARCH.discount,
          exploration: DEFAULT_SEARCH.exploration,
          topK: DEFAULT_SEARCH.topK,
          greedyAtBudgetEnd: true,
        },
      });
    });

    it('returns events in order with a chain that verifies after the round trip', async () => {
      const stored = await store.eventsAfter('s1', 0);
      expect(stored.map((e) => e.event.seq)).toEqual([1, 2, 3, 4]);
      expect(stored[2]!.event.at).toBeInstanceOf(Date);
      expect(verifyEventChain(stored)).toBeNull();
      expect((await store.eventsAfter('s1', 2, 1)).map((e) => e.event.seq)).toEqual([3]);
    });

    it('refuses a repeated client message id and changes nothing', async () => {
      const snap = (await store.loadSnapshot('s1'))!;
      const out = applyTurn(
        { ...snap, recentMsgs: [] },
        { sessionId: 's1', clientMsgId: 'c1', channel: 't', text: '四千' },
        new Date('2026-05-01T02:01:30Z'),
        deps,
      );
      await expect(store.commit('s1', 4, out.snapshot, out.events)).rejects.toBeInstanceOf(
        DuplicateClientMessage,
      );
      expect((await store.get('s1'))?.lastSeq).toBe(4);
      expect((await store.eventsAfter('s1', 0)).map((e) => e.event.seq)).toEqual([1, 2, 3, 4]);
    });

    it('lists sessions idle since a time, not ended ones', async () => {
      expect((await store.listIdle(new Date('2026-05-01T02:30:00Z'), 10)).map((s) => s.id)).toEqual(['s1']);
      expect(await store.listIdle(new Date('2026-05-01T02:00:30Z'), 10)).toEqual([]);
    });
  });
}

contract('memory', async () => createMemoryDialogStore());

describe('database-backed', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await buildTestContext();
  });
  afterAll(async () => t?.close());
  contract('database', async () => createPgDialogStore(t.ctx.db));

  it('chains a turn committed by another instance that never saw the session', async () => {
    const a = createPgDialogStore(t.ctx.db);
    const b = createPgDialogStore(t.ctx.db);
    const { snapshot, events } = openSession(newSession('sx1', 'ix1'), syntheticBank('grocery'), deps);
    await a.create(snapshot, events);
    let snap = snapshot;
    for (const [i, store] of [a, b, b, a].entries()) {
      const out = applyTurn(
        snap,
        { sessionId: 'sx1', clientMsgId: `m${i}`, channel: 't', text: '大概两万' },
        new Date(`2026-05-01T02:0${i + 1}:00Z`),
        deps,
      );
      expect(await store.commit('sx1', snap.session.lastSeq, out.snapshot, out.events)).toBe(true);
      snap = out.snapshot;
    }
    const stored = await a.eventsAfter('sx1', 0);
    expect(stored).toHaveLength(snap.session.lastSeq);
    expect(verifyEventChain(stored)).toBeNull();
  });

  it('writes the question bank once, in its own column, and keeps it out of every turn snapshot', async () => {
    const store = createPgDialogStore(t.ctx.db);
    const bank = syntheticBank('crops');
    const { snapshot, events } = openSession(newSession('sb1', 'ib1'), bank, deps);
    await store.create(snapshot, events);
    const recent = (await store.eventsAfter('sb1', 0)).map((e) => e.event);
    const out = applyTurn(
      snapshot,
      { sessionId: 'sb1', clientMsgId: 'c1', channel: 't', text: '六十亩' },
      new Date('2026-05-01T02:01:00Z'),
      deps,
      recent,
    );
    expect(await store.commit('sb1', 2, out.snapshot, out.events)).toBe(true);
    const rows = await t.ctx.db.execute<{ in_snapshot: boolean; has_bank: boolean }>(
      sql`select (snapshot::jsonb->'state') ? 'bank' as in_snapshot, bank is not null as has_bank from interview_sessions where id = 'sb1'`,
    );
    expect((rows as unknown as { rows: { in_snapshot: boolean; has_bank: boolean }[] }).rows[0]).toEqual({
      in_snapshot: false,
      has_bank: true,
    });
    expect((await store.loadSnapshot('sb1'))!.state.bank).toEqual(bank);
    expect(await store.loadBank('sb1')).toEqual(bank);
  });
});
