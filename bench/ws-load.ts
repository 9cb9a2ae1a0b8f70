/**
 * WebSocket interview load: N simulated applicants, each holding one live interview over /ws/interview and
 * answering every 2 seconds, spread over TWO server processes (`node bin/weidai.js serve`) on the same PostgreSQL
 * and Redis. Some applicants drop their connection now and then — between turns, or with an answer in flight — and
 * resume on the other instance with their lastSeq, re-sending what was not acknowledged. An interview that ends is
 * replaced by the next seeded one, so N interviews stay live for the whole run.
 *
 *   scripts/with-services.sh npx tsx bench/ws-load.ts [--sessions 200] [--seconds 60] [--answer-ms 2000]
 *       [--reconnect 0.03] [--hello-delay-ms 0] [--pool N] [--iterations N] [--background-on] [--ramp-seconds S] [--pg-statements]
 *
 * Arrivals are spread over a ramp (default: one interview's length, budget × answer period) so that interviews do
 * not start and end in waves; round trips and CPU are measured over the `--seconds` that follow the ramp.
 *
 * Scoring: by default the serving instances run with WEIDAI_BACKGROUND=off, as a deployment at this scale would
 * (scoring runs queue, `weidai worker` processes drain them); after the load this process drains the queue and
 * checks that every completed interview got its result. `--background-on` keeps scoring in the servers.
 * `--iterations N` sets WEIDAI_MCTS_ITERATIONS for the servers (default: the dialog's own).
 *
 * Bounded: at most 2,000 sessions and 600 seconds; every wait has a deadline and the servers are stopped at the
 * end whatever happens. Loopback only: the servers listen on 127.0.0.1, and each applicant connects from its own
 * 127.1.x.y source address so that the per-address connection limit sees many applicants, as in production.
 *
 * Reported (one JSON object): turn round trip (answer sent → next question or end received) p50/p90/p99/max,
 * messages lost and duplicated (every bot line and end of every session in the database against what its
 * applicant was shown, across reconnects), answers acknowledged but not stored or stored twice, RSS of the two
 * servers before and under load and per live session, CPU of the servers (and of PostgreSQL + Redis, and of this
 * client), errors by code (error frames, unexpected close codes, timeouts) and the servers' warning log lines.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.js';
import { createContext } from '../src/platform/context.js';
import {
  type InterviewClient,
  type ServerFrame,
  answerTo,
  connectInterview,
  seedInterviewTokens,
} from '../test/channels/multi/support.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET = 'b3'.repeat(32);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a non-negative number`);
  return v;
}

const SESSIONS = Math.min(2000, Math.max(1, Math.floor(arg('sessions', 200))));
const SECONDS = Math.min(600, Math.max(5, arg('seconds', 60)));
const ANSWER_MS = Math.max(200, arg('answer-ms', 2000));
const RECONNECT = Math.min(0.5, arg('reconnect', 0.03));
const HELLO_DELAY_MS = Math.min(1000, arg('hello-delay-ms', 0));
/** Scoring runs in the serving instances (`on`) or, as in production at scale, apart from them (`off`, default). */
const BACKGROUND = process.argv.includes('--background-on') ? 'on' : 'off';
const STATEMENTS = process.argv.includes('--pg-statements');
const ITERATIONS = process.argv.includes('--iterations') ? arg('iterations', 400) : undefined;
/** Interviews seeded the slow, real way (case, invitation, ID check, SMS code, consent); the rest are cloned. */
const REAL_SEEDS = 200;
const REPLY_TIMEOUT_MS = 15_000;

const baseDb = process.env.WEIDAI_DATABASE_URL;
const redisUrl = process.env.WEIDAI_REDIS_URL;
if (!baseDb || !redisUrl) {
  console.error(
    'bench/ws-load needs PostgreSQL and Redis: scripts/with-services.sh npx tsx bench/ws-load.ts',
  );
  process.exit(2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : null;
const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

const CLK = 100; // USER_HZ on Linux
/** CPU seconds (user + system) of a process from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK;
  } catch {
    return 0;
  }
}
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
function cwdOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}
/** Pids of this run's PostgreSQL (postmaster and its backends) and Redis, found by the ports in the URLs. */
function servicePids(): { pid: number; kind: 'postgres' | 'redis' }[] {
  // A Unix-socket Redis URL (unix:///dir/redis.sock) names no port: that Redis runs in the socket's directory.
  const redis = new URL(redisUrl!);
  const redisPort = redis.protocol === 'unix:' ? null : redis.port;
  const redisDir = dirname(redis.pathname);
  const pgPort = new URL(baseDb!).port;
  const procs: { pid: number; ppid: number; cmd: string }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      procs.push({ pid: Number(d), ppid, cmd });
    } catch {
      /* gone */
    }
  }
  const postmaster = procs.find((p) => /postgres/.test(p.cmd) && p.cmd.includes(`-p ${pgPort}`));
  const redisProc = procs.find(
    (p) =>
      p.cmd.startsWith('redis-server') &&
      (redisPort ? p.cmd.includes(`:${redisPort}`) : cwdOf(p.pid) === redisDir),
  );
  return [
    ...(postmaster
      ? [postmaster.pid, ...procs.filter((p) => p.ppid === postmaster.pid).map((p) => p.pid)]
      : []
    ).map((pid) => ({ pid, kind: 'postgres' as const })),
    ...(redisProc ? [{ pid: redisProc.pid, kind: 'redis' as const }] : []),
  ];
}

interface Server {
  proc: ChildProcess;
  url: string;
  warnings: Map<string, number>;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      // As docs/scale-out.md tells a deployment to run `weidai serve`: a young generation of 64 MB.
      '--max-semi-space-size=64',
      // e.g. WSLOAD_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers
      ...(process.env.WSLOAD_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      join(ROOT, 'bin/weidai.js'),
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const warnings = new Map<string, number>();
  let buf = '';
  const ready = new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error('server did not start within 60 s')), 60_000);
    proc.once('exit', (code) => rej(new Error(`server exited with ${code}`)));
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.includes('weidai serving on')) {
          clearTimeout(t);
          res();
          continue;
        }
        try {
          const j = JSON.parse(line) as { level?: number; msg?: string; code?: string; reason?: string };
          if ((j.level ?? 0) >= 40) {
            const key = `${j.msg ?? ''}${j.code ? ` [${j.code}]` : ''}`;
            warnings.set(key, (warnings.get(key) ?? 0) + 1);
          }
        } catch {
          if (line.trim()) warnings.set(line.slice(0, 120), (warnings.get(line.slice(0, 120)) ?? 0) + 1);
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
  });
  await ready;
  return { proc, url: `http://127.0.0.1:${port}`, warnings };
}

async function stopServer(s: Server) {
  if (s.proc.exitCode !== null) return;
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
}

async function main() {
  const wallStart = Date.now();
  // A database of its own on the server, dropped at the end.
  const dbName = `weidai_wsload_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseDb });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(baseDb!);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  const varDir = mkdtempSync(join(tmpdir(), 'weidai-wsload-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEIDAI_DATABASE_URL: databaseUrl,
    WEIDAI_REDIS_URL: redisUrl,
    WEIDAI_VAR_DIR: varDir,
    WEIDAI_SECRET_KEY: SECRET,
    WEIDAI_LOG_LEVEL: 'warn',
    DOTENV_CONFIG_QUIET: 'true',
    WEIDAI_BACKGROUND: BACKGROUND,
    ...(ITERATIONS !== undefined ? { WEIDAI_MCTS_ITERATIONS: String(ITERATIONS) } : {}),
  };
  const servers: Server[] = [];
  const ctx = await createContext(loadConfig(env));
  try {
    // An interview lasts at most its budget of questions; seed enough to replace every one that ends.
    const budget = ctx.dialog.config.budget;
    // Arrivals are spread over one interview's length, so interviews do not start and end in waves; figures are
    // taken after that ramp, in the steady state.
    const rampMs = Math.min(600_000, arg('ramp-seconds', (budget * ANSWER_MS) / 1000) * 1000);
    const perApplicant = Math.ceil((SECONDS * 1000 + rampMs) / ANSWER_MS / Math.max(4, budget - 4)) + 1;
    const POOL = Math.floor(arg('pool', SESSIONS * perApplicant));
    const seedStart = Date.now();
    const real = await seedInterviewTokens(ctx, Math.min(POOL, REAL_SEEDS), { concurrency: 8 });
    const tokens = [...real, ...(await cloneInterviews(databaseUrl, real, POOL - real.length))];
    const seedSeconds = (Date.now() - seedStart) / 1000;

    servers.push(await startServer(env), await startServer(env));
    const pids = servers.map((s) => s.proc.pid!);
    await sleep(1000);
    const rssIdle = pids.map(rssMb);

    /** What the database holds for a session (kinds, seqs, client ids), for a round trip that never came back. */
    async function diagnose(id: string) {
      const c = new pg.Client({ connectionString: databaseUrl });
      try {
        await c.connect();
        const { rows } = await c.query<{ seq: number; kind: string; client_msg_id: string | null }>(
          'select seq, kind, client_msg_id from interview_events where session_id = $1 order by seq',
          [id],
        );
        const { rows: s } = await c.query<{ status: string; last_seq: number }>(
          'select status, last_seq from interview_sessions where id = $1',
          [id],
        );
        return {
          session: s[0],
          events: rows.slice(-6).map((r) => `${r.seq}:${r.kind}:${r.client_msg_id ?? ''}`),
        };
      } catch {
        return null;
      } finally {
        await c.end().catch(() => undefined);
      }
    }

    const rtts: number[] = [];
    const errors = new Map<string, number>();
    const err = (code: string) => errors.set(code, (errors.get(code) ?? 0) + 1);
    let nextToken = 0;
    let answersSent = 0;
    let reconnects = 0;
    let inflightDrops = 0;
    let interviewsEnded = 0;
    let poolExhausted = 0;
    let live = 0;
    let peakLive = 0;
    /** Per session: bot/end seqs shown (with multiplicity) and clientMsgIds acknowledged. */
    const shown = new Map<string, number[]>();
    const acked = new Map<string, Map<string, number>>();
    let stopping = false;
    const deadline = Date.now() + rampMs + SECONDS * 1000;
    let measureFrom = Infinity;

    async function applicant(i: number) {
      const localAddress = `127.1.${(i >> 8) & 255}.${i & 255 || 1}`;
      let instance = i % 2;
      await sleep((i / SESSIONS) * rampMs);
      while (!stopping) {
        const token = tokens[nextToken++];
        if (!token) {
          poolExhausted++;
          return;
        }
        live++;
        peakLive = Math.max(peakLive, live);
        try {
          await interview(
            token,
            localAddress,
            () => (instance = 1 - instance),
            () => instance,
          );
        } finally {
          live--;
        }
      }
    }

    /** One interview, possibly over several connections; returns when it ends or the run stops. */
    async function interview(token: string, localAddress: string, flip: () => void, current: () => number) {
      let sessionId = '';
      let lastSeq = 0;
      let ended = false;
      let waiting: {
        clientMsgId: string;
        body: ReturnType<typeof answerTo>;
        sentAt: number;
        ack?: number;
      } | null = null;
      let n = 0;
      let reply: (() => void) | null = null;
      let conn: InterviewClient | null = null;
      let lastQuestion: ServerFrame | null = null;

      const onFrame = (f: ServerFrame, at: number) => {
        if (f.type === 'welcome') {
          sessionId = f.sessionId!;
          if (!shown.has(sessionId)) shown.set(sessionId, []);
          if (!acked.has(sessionId)) acked.set(sessionId, new Map());
        } else if (f.type === 'message' || f.type === 'end') {
          shown.get(sessionId)!.push(f.seq!);
          lastSeq = Math.max(lastSeq, f.seq!);
          if (f.type === 'message') lastQuestion = f;
          if (f.type === 'end') ended = true;
          if (waiting?.ack !== undefined && f.seq! > waiting.ack) {
            if (waiting.sentAt >= measureFrom) rtts.push(at - waiting.sentAt);
            waiting = null;
            reply?.();
          }
          if (f.type === 'end') reply?.();
        } else if (f.type === 'ack') {
          const m = acked.get(sessionId)!;
          const prev = m.get(f.clientMsgId!);
          if (prev !== undefined && prev !== f.seq) err('ACK_SEQ_CHANGED');
          m.set(f.clientMsgId!, f.seq!);
          if (waiting && f.clientMsgId === waiting.clientMsgId) {
            waiting.ack = f.seq!;
            // A duplicate ack after a resume: the reply may have been shown already.
            if (lastSeq > f.seq!) {
              waiting = null;
              reply?.();
            }
          }
        } else if (f.type === 'error') {
          err(`error:${f.code}`);
          if (waiting) {
            waiting = null;
            reply?.();
          }
        }
      };

      async function connect() {
        const base = servers[current()]!.url;
        for (let attempt = 0; attempt < 5 && !stopping; attempt++) {
          try {
            const c = await connectInterviewDelayed(base, token, lastSeq, localAddress, onFrame);
            const welcome = await Promise.race([
              c.waitFor((f) => f.type === 'welcome', 12_000).then(() => true),
              c.closed.then(() => false),
            ]).catch(() => false);
            if (welcome) return c;
            const info = c.closeInfo;
            err(info ? `close:${info.code}:${info.reason}` : 'NO_WELCOME');
            c.terminate();
            if (info?.code === 4410) return null;
          } catch (e) {
            err(`connect:${(e as Error).message.slice(0, 40)}`);
          }
          await sleep(200 * (attempt + 1));
        }
        return null;
      }

      conn = await connect();
      while (conn && !stopping && !ended) {
        const c = conn;
        const unexpected = c.closed.then((info) => {
          if (!ended && !stopping && !c.dropping) err(`close:${info.code}:${info.reason}`);
        });
        void unexpected;
        await sleep(ANSWER_MS);
        if (stopping || ended) break;
        if (!c.isOpen || waiting) {
          // Lost the socket, or an answer is still unacknowledged: resume (elsewhere) and re-send it.
          c.dropping = true;
          c.terminate();
          flip();
          reconnects++;
          conn = await connect();
          if (!conn) break;
          if (waiting) {
            waiting.sentAt = 0; // not a clean round trip any more
            conn.answer(waiting.clientMsgId, waiting.body);
            await waitReply();
          }
          continue;
        }
        if (!lastQuestion) continue;
        const body = answerTo(lastQuestion);
        waiting = { clientMsgId: `${sessionId.slice(0, 8)}-${++n}`, body, sentAt: performance.now() };
        answersSent++;
        c.answer(waiting.clientMsgId, body);
        const r = Math.random();
        if (r < RECONNECT / 2) {
          // Drop with the answer in flight.
          inflightDrops++;
          c.dropping = true;
          c.terminate();
          continue;
        }
        await waitReply();
        if (r < RECONNECT) {
          c.dropping = true;
          c.terminate();
        }
      }
      if (ended) interviewsEnded++;
      if (conn?.isOpen) {
        conn.dropping = true;
        conn.close();
      }

      function waitReply() {
        // An interview that ended while the answer was in flight (the end came with the resume) has no reply to wait for.
        if (!waiting || ended) return Promise.resolve();
        return new Promise<void>((res) => {
          const t = setTimeout(() => {
            err('NO_REPLY_15S');
            // The details go to stderr for diagnosis (ids only, no personal data).
            const info = {
              sessionId,
              clientMsgId: waiting?.clientMsgId,
              ack: waiting?.ack,
              lastSeq,
              open: conn?.isOpen,
            };
            void diagnose(sessionId).then((stored) =>
              console.error('NO_REPLY_15S', JSON.stringify({ ...info, stored })),
            );
            res();
          }, REPLY_TIMEOUT_MS);
          reply = () => {
            clearTimeout(t);
            reply = null;
            res();
          };
        });
      }
    }

    const rssPeak = [0, 0];
    const sampler = setInterval(() => {
      pids.forEach((p, k) => (rssPeak[k] = Math.max(rssPeak[k]!, rssMb(p))));
    }, 1000);
    const runs = Array.from({ length: SESSIONS }, (_, i) => applicant(i));
    await sleep(rampMs);
    const cpu0 = pids.map(cpuSeconds);
    const svc0 = new Map(servicePids().map((p) => [p.pid, cpuSeconds(p.pid)]));
    const self0 = process.cpuUsage();
    // --pg-statements: PostgreSQL must load the module (WEIDAI_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements").
    const stc = STATEMENTS ? new pg.Client({ connectionString: databaseUrl }) : null;
    if (stc) {
      await stc.connect();
      await stc.query('create extension if not exists pg_stat_statements');
      await stc.query('select pg_stat_statements_reset()');
    }
    const t0 = Date.now();
    measureFrom = performance.now();
    await sleep(Math.max(0, deadline - Date.now()));
    const rssLoaded = pids.map(rssMb);
    const liveAtEnd = live;
    // Throughput and CPU over the measured window only, not the wind-down.
    const elapsed = (Date.now() - t0) / 1000;
    const cpu = pids.map((p, k) => cpuSeconds(p) - cpu0[k]!);
    const svcCpu = { postgres: 0, redis: 0 };
    for (const p of servicePids()) svcCpu[p.kind] += cpuSeconds(p.pid) - (svc0.get(p.pid) ?? 0);
    const self = process.cpuUsage(self0);
    const measuredRtts = rtts.length;
    // Over the measured window: the statements PostgreSQL spent the most execution time on, per answer.
    const statements = stc
      ? (
          await stc.query<{ query: string; calls: string; exec_ms: number; rows: string }>(
            `select left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query, calls, total_exec_time as exec_ms, rows
               from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
              order by total_exec_time desc limit 15`,
          )
        ).rows.map((r) => ({
          query: r.query,
          callsPerTurn: round(Number(r.calls) / Math.max(1, measuredRtts), 3),
          execMsPerCall: round(r.exec_ms / Math.max(1, Number(r.calls)), 3),
          execMsPerTurn: round(r.exec_ms / Math.max(1, measuredRtts), 3),
        }))
      : undefined;
    await stc?.end();
    stopping = true;
    await Promise.race([Promise.all(runs), sleep(REPLY_TIMEOUT_MS + 5000)]);
    clearInterval(sampler);

    // Lost and duplicated: every bot line and end in the database against what its applicant was shown.
    let lost = 0;
    let tailNotShown = 0;
    let duplicated = 0;
    let ackNotStored = 0;
    let storedTwice = 0;
    let events = 0;
    const q = new pg.Client({ connectionString: databaseUrl });
    await q.connect();
    const ids = [...shown.keys()];
    for (let k = 0; k < ids.length; k += 500) {
      const batch = ids.slice(k, k + 500);
      const { rows } = await q.query<{
        session_id: string;
        seq: number;
        kind: string;
        client_msg_id: string | null;
      }>(
        'select session_id, seq, kind, client_msg_id from interview_events where session_id = any($1) order by session_id, seq',
        [batch],
      );
      events += rows.length;
      const bySession = new Map<string, typeof rows>();
      for (const r of rows) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r]);
      for (const id of batch) {
        const rs = bySession.get(id) ?? [];
        const seen = shown.get(id)!;
        const counts = new Map<number, number>();
        for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
        const maxShown = Math.max(0, ...seen);
        for (const r of rs) {
          if (r.kind === 'applicant') continue;
          const c = counts.get(r.seq) ?? 0;
          // A line after the last one shown may be in flight when the run stopped; anything before it must be shown.
          if (c === 0 && r.seq < maxShown) lost++;
          if (c === 0 && r.seq > maxShown) tailNotShown++;
          if (c > 1) duplicated += c - 1;
        }
        const stored = new Map<string, number>();
        for (const r of rs)
          if (r.client_msg_id) stored.set(r.client_msg_id, (stored.get(r.client_msg_id) ?? 0) + 1);
        for (const [cm, seq] of acked.get(id) ?? []) {
          const n = stored.get(cm) ?? 0;
          if (n === 0) ackNotStored++;
          if (!rs.some((r) => r.client_msg_id === cm && r.seq === seq)) err('ACK_SEQ_NOT_STORED');
        }
        for (const n of stored.values()) if (n > 1) storedTwice += n - 1;
      }
    }
    await q.end();

    // Scoring: every interview completed in the run must get its pipeline result. With scoring apart from the
    // serving instances, this process drains the queue now, as a `weidai worker` would.
    const scoringStart = Date.now();
    const scoringCpu0 = process.cpuUsage();
    if (BACKGROUND === 'off') await ctx.pipeline.drain();
    const scoringSeconds = (Date.now() - scoringStart) / 1000;
    const scoringCpu = process.cpuUsage(scoringCpu0);
    const sc = new pg.Client({ connectionString: databaseUrl });
    await sc.connect();
    const deadlineScoring = Date.now() + 120_000;
    let scoring = { completed: 0, scored: 0 };
    for (;;) {
      const { rows } = await sc.query<{ completed: number; scored: number }>(
        `select count(*)::int as completed,
                count(*) filter (where exists (select 1 from pipeline_results r where r.session_id = s.id))::int as scored
           from interview_sessions s where s.status = 'completed'`,
      );
      scoring = rows[0]!;
      if (scoring.scored >= scoring.completed || Date.now() > deadlineScoring) break;
      await sleep(1000);
    }
    // Recordings: every ended interview is anchored by the instance that ran its last turn (after the reply). A
    // backlog left at the end means anchoring fell behind the interviews ending.
    const { rows: rec } = await sc.query<{ ended: number; anchored: number }>(
      `select count(*)::int as ended,
              count(*) filter (where exists (select 1 from recordings r where r.session_id = s.id))::int as anchored
         from interview_sessions s where s.status in ('completed', 'abandoned', 'expired')`,
    );
    const recordingsAfter = rec[0]!;
    // How the turns' session-row updates went: HOT (in place, no index entries) or not.
    const { rows: upd } = await sc.query<{ updates: number; hot: number }>(
      `select n_tup_upd::int as updates, n_tup_hot_upd::int as hot
         from pg_stat_user_tables where relname = 'interview_sessions'`,
    );
    await sc.end();

    rtts.sort((a, b) => a - b);
    const warnings: Record<string, number> = {};
    for (const s of servers) for (const [k, v] of s.warnings) warnings[k] = (warnings[k] ?? 0) + v;
    const loadedDelta = rssLoaded.reduce((s, x) => s + x, 0) - rssIdle.reduce((s, x) => s + x, 0);
    const out = {
      bench: 'ws-load',
      command: process.argv.slice(1).join(' '),
      setup: {
        sessions: SESSIONS,
        seconds: SECONDS,
        rampSeconds: rampMs / 1000,
        answerEveryMs: ANSWER_MS,
        reconnectShare: RECONNECT,
        helloDelayMs: HELLO_DELAY_MS,
        instances: 2,
        mctsIterations: ctx.dialog.config.iterations,
        scoring: BACKGROUND === 'on' ? 'in the serving instances' : 'apart (drained after the load)',
        budget,
        seededInterviews: POOL,
        seedSeconds: round(seedSeconds),
        cores: Number(execFileSync('nproc').toString().trim()),
        node: process.version,
      },
      turns: {
        answersSent,
        roundTrips: rtts.length,
        throughputPerSecond: round(measuredRtts / elapsed),
        rttMs: {
          p50: round(pct(rtts, 50)),
          p90: round(pct(rtts, 90)),
          p99: round(pct(rtts, 99)),
          max: round(rtts.at(-1) ?? null),
        },
      },
      delivery: { sessions: ids.length, events, lost, duplicated, tailNotShown, ackNotStored, storedTwice },
      interviews: { ended: interviewsEnded, peakLive, liveAtEnd, poolExhausted, reconnects, inflightDrops },
      memory: {
        rssIdleMb: rssIdle.map((x) => round(x)),
        rssLoadedMb: rssLoaded.map((x) => round(x)),
        rssPeakMb: rssPeak.map((x) => round(x)),
        perLiveSessionKb: liveAtEnd ? round((loadedDelta * 1024) / liveAtEnd) : null,
      },
      cpu: {
        elapsedSeconds: round(elapsed),
        serversPercentOfOneCore: cpu.map((c) => round((100 * c) / elapsed)),
        postgresAndRedisPercentOfOneCore: round((100 * (svcCpu.postgres + svcCpu.redis)) / elapsed),
        postgresPercentOfOneCore: round((100 * svcCpu.postgres) / elapsed),
        redisPercentOfOneCore: round((100 * svcCpu.redis) / elapsed),
        cpuMsPerTurn: {
          servers: round((1000 * cpu.reduce((a, b) => a + b, 0)) / Math.max(1, measuredRtts), 3),
          postgres: round((1000 * svcCpu.postgres) / Math.max(1, measuredRtts), 3),
          redis: round((1000 * svcCpu.redis) / Math.max(1, measuredRtts), 3),
          client: round((self.user + self.system) / 1000 / Math.max(1, measuredRtts), 3),
        },
        clientPercentOfOneCore: round((100 * (self.user + self.system)) / 1e6 / elapsed),
        loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      },
      scoring: {
        interviewsCompleted: scoring.completed,
        scored: scoring.scored,
        ...(BACKGROUND === 'off'
          ? {
              drainSeconds: round(scoringSeconds),
              drainCpuMsPerRun: scoring.completed
                ? round((scoringCpu.user + scoringCpu.system) / 1000 / scoring.completed)
                : null,
            }
          : {}),
      },
      // Taken after the scoring drain, while the servers still run: ended interviews and those with their recording.
      recordings: recordingsAfter,
      sessionRowUpdates: upd[0] ?? null,
      ...(statements ? { statements } : {}),
      errors: Object.fromEntries(errors),
      serverWarnings: warnings,
      wallSeconds: round((Date.now() - wallStart) / 1000),
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await Promise.all(servers.map(stopServer));
    await ctx.close();
    const c = new pg.Client({ connectionString: baseDb });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
    rmSync(varDir, { recursive: true, force: true });
  }
}

/**
 * Copies of seeded interviews: a fresh invitation of the same case, already verified and consented, with its own
 * interview session token. Inserted in batches; seeding each the real way would take an hour at full size.
 */
async function cloneInterviews(databaseUrl: string, templates: string[], count: number): Promise<string[]> {
  if (count <= 0) return [];
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ session_token_hash: string; case_id: string }>(
      'select session_token_hash, case_id from invitations where session_token_hash = any($1)',
      [templates.map(sha)],
    );
    const caseOf = new Map(rows.map((r) => [r.session_token_hash, r.case_id]));
    const out: string[] = [];
    for (let k = 0; k < count; k += 1000) {
      const n = Math.min(1000, count - k);
      const ids: string[] = [];
      const cases: string[] = [];
      const tokenHashes: string[] = [];
      const sessionHashes: string[] = [];
      for (let i = 0; i < n; i++) {
        const token = randomBytes(24).toString('base64url');
        ids.push(randomUUID());
        cases.push(caseOf.get(sha(templates[(k + i) % templates.length]!))!);
        tokenHashes.push(sha(randomBytes(24).toString('base64url')));
        sessionHashes.push(sha(token));
        out.push(token);
      }
      await c.query(
        `insert into invitations (id, case_id, token_hash, status, expires_at, created_by, created_at, opened_at,
           used_at, failed_checks, session_token_hash, session_expires_at)
         select id, case_id, th, 'used', now() + interval '1 day', 'bench', now(), now(), now(), 0, sh,
           now() + interval '1 day'
         from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as t(id, case_id, th, sh)`,
        [ids, cases, tokenHashes, sessionHashes],
      );
    }
    return out;
  } finally {
    await c.end();
  }
}

/** Connects, optionally waiting before the hello (see docs/scale-out.md on the dropped-hello race). */
async function connectInterviewDelayed(
  base: string,
  token: string,
  lastSeq: number,
  localAddress: string,
  onFrame: (f: ServerFrame, at: number) => void,
): Promise<InterviewClient> {
  return connectInterview(base, token, { lastSeq, localAddress, onFrame, helloDelayMs: HELLO_DELAY_MS });
}

const watchdog = setTimeout(
  () => {
    console.error('bench/ws-load: watchdog — the run took too long; stopping');
    process.exit(3);
  },
  (SECONDS + 1800) * 1000,
);
watchdog.unref();

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
