/**
 * Two service instances in one test run, on two loopback ports, sharing the database and the key-value store.
 *
 * With WEIDAI_DATABASE_URL and WEIDAI_REDIS_URL set (scripts/with-services.sh), instance A and instance B are two
 * separate contexts on the same PostgreSQL database and Redis prefix: separate pools, separate Redis connections,
 * separate dialog services, exactly as two processes would be. On the embedded default, PGlite and the in-process
 * key-value store exist only inside one process, so B is a second Fastify app built on A's context object: the two
 * apps still hold their own sockets and connections, but share one lock table and one pub/sub bus in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { isAppError } from '../../../src/platform/errors.js';
import { loadConfig } from '../../../src/platform/config.js';
import { type AppContext, createContext } from '../../../src/platform/context.js';
import type { TurnResult } from '../../../src/dialog/session/types.js';
import { TEST_KEY } from '../../helper.js';
import {
  type InterviewClient,
  type ServerFrame,
  answerTo,
  connectInterview,
  seedInterviewTokens,
} from './support.js';

const shared = Boolean(process.env.WEIDAI_DATABASE_URL && process.env.WEIDAI_REDIS_URL);

interface Instance {
  ctx: AppContext;
  app: FastifyInstance;
  url: string;
}

/** Both instances' log lines, kept for the assertions on what a refusal logs. */
const logged: { level: number; msg: string; error?: string }[] = [];
const quiet = () =>
  new Writable({
    write: (chunk: Buffer, _enc, cb) => {
      if (process.env.WEIDAI_MULTI_LOG) process.stderr.write(chunk);
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) logged.push(JSON.parse(line) as { level: number; msg: string; error?: string });
      cb();
    },
  });

async function listen(ctx: AppContext): Promise<Instance> {
  const app = await buildApp(ctx, { logStream: quiet(), serveWeb: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { ctx, app, url };
}

/** Two instances on one database and one key-value store; see the file header for the embedded case. */
async function twoInstances() {
  const varDir = mkdtempSync(join(tmpdir(), 'weidai-multi-'));
  const env = {
    ...process.env,
    WEIDAI_VAR_DIR: varDir,
    WEIDAI_SECRET_KEY: TEST_KEY,
    WEIDAI_LOG_LEVEL: 'warn',
  };
  let dropDb = async () => undefined as void;
  let databaseUrl: string | undefined;
  if (shared) {
    const base = process.env.WEIDAI_DATABASE_URL!;
    const name = `weidai_multi_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig(env, databaseUrl ? { databaseUrl } : {});
  const kvPrefix = `weidai-multi:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
  const ctxA = await createContext(config, { inMemoryDb: true, kvPrefix });
  const ctxB = shared ? await createContext(config, { inMemoryDb: true, kvPrefix, skipMigrate: true }) : ctxA;
  const a = await listen(ctxA);
  const b = await listen(ctxB);
  let aClosed = false;
  return {
    a,
    b,
    /**
     * Instance A dies: every socket it holds is cut without a close frame, it stops listening, and (on the shared
     * backends) its pools and Redis connections go. A turn it was running may or may not have committed.
     */
    async killA() {
      const wss = (a.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } })
        .websocketServer;
      for (const c of wss.clients) c.terminate();
      await a.app.close();
      aClosed = true;
    },
    async close() {
      if (!aClosed) await a.app.close();
      await b.app.close();
      await ctxA.close();
      if (ctxB !== ctxA) await ctxB.close();
      await dropDb();
      rmSync(varDir, { recursive: true, force: true });
    },
  };
}

type Pair = Awaited<ReturnType<typeof twoInstances>>;

const isMessage = (seq?: number) => (f: ServerFrame) =>
  f.type === 'message' && (seq === undefined || f.seq === seq);
const lastMessage = (c: InterviewClient) => c.frames.filter((f) => f.type === 'message').at(-1)!;

/** Answers the last question shown on `c` and waits for the ack and the next message; returns the ack seq. */
async function answerAndWait(c: InterviewClient, clientMsgId: string) {
  const q = lastMessage(c);
  c.answer(clientMsgId, answerTo(q));
  const ack = await c.waitFor((f) => f.type === 'ack' && f.clientMsgId === clientMsgId);
  await c.waitFor((f) => (f.type === 'message' || f.type === 'end') && f.seq! > ack.seq!);
  return ack.seq!;
}

describe(`two service instances (${shared ? 'PostgreSQL + Redis, two contexts' : 'embedded, one shared context'})`, () => {
  let pair: Pair;
  let tokens: string[];
  let killed = false;

  beforeAll(async () => {
    pair = await twoInstances();
    tokens = await seedInterviewTokens(pair.a.ctx, 7);
  }, 60_000);
  afterAll(async () => pair?.close());

  const sessionOf = async (token: string) => {
    const c = await connectInterview(pair.b.url, token);
    const w = await c.waitFor((f) => f.type === 'welcome');
    c.close();
    await c.closed;
    return w.sessionId!;
  };

  it('welcomes a hello sent the instant the socket opens, on both instances, every time', async () => {
    // The route must listen for frames before any await (the per-address count goes to Redis), or the hello is dropped.
    const clients = await Promise.all(
      Array.from({ length: 8 }, (_, i) => connectInterview((i % 2 ? pair.b : pair.a).url, tokens[5]!)),
    );
    const welcomed = await Promise.all(
      clients.map((c) =>
        c
          .waitFor((f) => f.type === 'welcome', 3000)
          .then(
            () => true,
            () => (c.closeInfo?.code === 4409 ? true : false), // replaced by a later one of the eight: it was heard
          ),
      ),
    );
    for (const c of clients) c.terminate();
    expect(welcomed).toEqual(clients.map(() => true));
  });

  it('closes a frame over 64 KiB with 1009 before reading it, and the interview goes on on a new socket', async () => {
    const token = tokens[6]!;
    const c = await connectInterview(pair.a.url, token);
    await c.waitFor(isMessage(2));
    const before = logged.length;
    c.answer('huge-1', { text: '两万'.repeat(40_000) });
    expect((await c.closed).code).toBe(1009);
    // The client's error, logged as a warning with ws's code: no error line, no stack.
    await expect
      .poll(() => logged.slice(before).find((l) => l.error === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')?.level)
      .toBe(40);
    expect(logged.slice(before).filter((l) => l.level >= 50)).toEqual([]);
    // Nothing of it was stored or acknowledged: the question is still open, answered normally on a new socket.
    const again = await connectInterview(pair.a.url, token, { lastSeq: 2 });
    await again.waitFor((f) => f.type === 'welcome');
    expect(again.frames.filter((f) => f.type === 'ack')).toEqual([]);
    again.answer('huge-2', answerTo(lastMessage(c)));
    const ack = await again.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'huge-2');
    expect(ack.seq).toBe(3);
    await again.waitFor((f) => (f.type === 'message' || f.type === 'end') && f.seq! > 3);
    again.close();
    await again.closed;
  });

  it('resumes on instance B from lastSeq after a drop on A, with nothing lost or doubled', async () => {
    const token = tokens[0]!;
    const onA = await connectInterview(pair.a.url, token);
    await onA.waitFor(isMessage(2));
    const ack1 = await answerAndWait(onA, 'r-1');
    const shownOnA = onA.messageSeqs();
    // The phone shows everything but the newest question, then loses its signal with one answer unacknowledged.
    const lastShown = shownOnA.at(-2)!;
    onA.answer('r-2', answerTo(lastMessage(onA)));
    onA.terminate();
    await onA.closed;

    const onB = await connectInterview(pair.b.url, token, { lastSeq: lastShown });
    const welcome = await onB.waitFor((f) => f.type === 'welcome');
    onB.answer('r-2', answerTo(lastMessage(onA))); // the client re-sends what was not acknowledged
    const ack2 = await onB.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'r-2');
    await onB.waitFor((f) => (f.type === 'message' || f.type === 'end') && f.seq! > ack2.seq!);

    const events = await pair.b.ctx.dialog.transcriptAfter(welcome.sessionId!, 0);
    const botSeqs = events.filter((e) => e.kind === 'bot').map((e) => e.seq);
    const shown = [...shownOnA.filter((s) => s <= lastShown), ...onB.messageSeqs()];
    expect(shown).toEqual(botSeqs); // every question shown once, in order
    const applicant = events.filter((e) => e.kind === 'applicant');
    expect(applicant.map((e) => e.kind === 'applicant' && e.clientMsgId)).toEqual(['r-1', 'r-2']);
    expect(applicant.map((e) => e.seq)).toEqual([ack1, ack2.seq]);
    onB.close();
  });

  it('delivers a turn committed on B to the socket held by A, and B taking the session over closes A with 4409', async () => {
    const token = tokens[1]!;
    const onA = await connectInterview(pair.a.url, token);
    const welcome = await onA.waitFor((f) => f.type === 'welcome');
    await onA.waitFor(isMessage(2));
    // The same applicant answers on another channel, handled by instance B.
    const res = await pair.b.ctx.dialog.handleTurn({
      sessionId: welcome.sessionId!,
      clientMsgId: 'wechat-1',
      channel: 'wechat',
      text: '一天三千左右',
    });
    expect(res.ackSeq).toBe(3);
    const next = res.messages[0] ?? res.ended;
    expect(next).toBeDefined();
    const delivered = await onA.waitFor(
      (f) => f.seq === next!.seq && (f.type === 'message' || f.type === 'end'),
    );
    expect(delivered.text).toBe(next!.text);
    expect(onA.messageSeqs()).toEqual([1, 2, ...res.messages.map((m) => m.seq)]);

    const onB = await connectInterview(pair.b.url, token, { lastSeq: onA.messageSeqs().at(-1)! });
    await onB.waitFor((f) => f.type === 'welcome');
    expect((await onA.closed).code).toBe(4409);
    expect(onB.messageSeqs()).toEqual([]); // nothing replayed that A had shown
    onB.close();
  });

  it('never runs one session’s turns on both instances at once: same and different answers fired at A and B together', async () => {
    const sessionId = await sessionOf(tokens[2]!);
    const fire = (on: Instance, clientMsgId: string, text: string) =>
      on.ctx.dialog.handleTurn({ sessionId, clientMsgId, channel: 'test', text }).then(
        (r): { id: string; r: TurnResult } => ({ id: clientMsgId, r }),
        (e: unknown) => ({ id: clientMsgId, error: isAppError(e) ? e.code : String(e) }),
      );
    const { a, b } = pair;
    const outcomes = await Promise.all([
      fire(a, 'same-1', '一天三千'),
      fire(b, 'same-1', '一天三千'),
      fire(a, 'a-only', '两万左右'),
      fire(b, 'b-only', '五千'),
      fire(b, 'same-2', '是的'),
      fire(a, 'same-2', '是的'),
    ]);
    expect(outcomes.filter((o) => 'error' in o)).toEqual([]);
    const results = outcomes as { id: string; r: TurnResult }[];
    // Both answers of a pair are acknowledged with the same seq; one of them is the duplicate.
    for (const id of ['same-1', 'same-2']) {
      const pairOf = results.filter((o) => o.id === id);
      expect(new Set(pairOf.map((o) => o.r.ackSeq)).size).toBe(1);
      expect(pairOf.filter((o) => o.r.duplicate)).toHaveLength(1);
    }

    const events = await b.ctx.dialog.transcriptAfter(sessionId, 0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const ids = events.flatMap((e) => (e.kind === 'applicant' ? [e.clientMsgId] : []));
    expect([...ids].sort()).toEqual(['a-only', 'b-only', 'same-1', 'same-2']);
    // Each turn's answer is followed by its own reply before the next answer: turns never interleaved.
    const kinds = events.map((e) => e.kind).join(',');
    expect(kinds).not.toMatch(/applicant,applicant/);
  });

  it('continues the interview on B after instance A dies in the middle of a turn', async () => {
    const token = tokens[3]!;
    const onA = await connectInterview(pair.a.url, token);
    const welcome = await onA.waitFor((f) => f.type === 'welcome');
    await onA.waitFor(isMessage(2));
    await answerAndWait(onA, 'k-1');
    // The answer leaves, and A dies before (or while) it runs the turn.
    onA.answer('k-2', answerTo(lastMessage(onA)));
    await pair.killA();
    killed = true;
    expect((await onA.closed).code).toBe(1006);

    const shown = onA.messageSeqs();
    const onB = await connectInterview(pair.b.url, token, { lastSeq: shown.at(-1)! });
    await onB.waitFor((f) => f.type === 'welcome');
    onB.answer('k-2', answerTo(lastMessage(onA)));
    const ack = await onB.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'k-2');
    await onB.waitFor((f) => (f.type === 'message' || f.type === 'end') && f.seq! > ack.seq!);
    let turns = 2;
    while (!onB.frames.some((f) => f.type === 'end') && turns < 6) {
      await answerAndWait(onB, `k-${++turns}`);
    }

    const events = await pair.b.ctx.dialog.transcriptAfter(welcome.sessionId!, 0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const ids = events.flatMap((e) => (e.kind === 'applicant' ? [e.clientMsgId] : []));
    expect(ids).toEqual(Array.from({ length: turns }, (_, i) => `k-${i + 1}`));
    const botSeqs = events.filter((e) => e.kind === 'bot').map((e) => e.seq);
    expect([...shown, ...onB.messageSeqs()]).toEqual(botSeqs);
    onB.close();
  });

  it('refuses nothing on B that A would have accepted: a fresh interview opens on B after A is gone', async () => {
    expect(killed).toBe(true);
    const c = await connectInterview(pair.b.url, tokens[4]!);
    await c.waitFor(isMessage(2));
    await answerAndWait(c, 'f-1');
    expect(c.closeInfo).toBeNull();
    c.close();
  });
});
