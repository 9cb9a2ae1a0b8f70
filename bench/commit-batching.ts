/**
 * Would committing several interviews' turns in one statement (a "group commit" across sessions) cut PostgreSQL's
 * cost per turn? Runs the turn's commit as the dialog store writes it (src/dialog/session/store.pg.ts: the session
 * row updated from its version, the turn's events appended, one statement) against the same statement for up to 32
 * sessions at once (rows from one JSON parameter), on copies of the two tables in a schema of its own, with 64
 * writers on a pool of 16 connections, and reports CPU per committed turn of this process and of PostgreSQL.
 *
 *   scripts/with-services.sh npx tsx bench/commit-batching.ts [--commits 20000] [--snapshot-kb 12]
 *
 * The snapshot is a real one's size: a grocery interview played to its end with the synthetic bank (about 12 KB of
 * JSON, the session row's largest column); `--snapshot-kb` pads or trims it to see how the cost follows its size.
 * PostgreSQL's CPU is read from /proc for the processes of the server on WEIDAI_DATABASE_URL's port. Needs
 * PostgreSQL (not PGlite).
 */
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { DEFAULT_ANSWER_MODEL } from '../src/dialog/belief/answer-model.js';
import { createNlu } from '../src/dialog/nlu/understand.js';
import { DEFAULT_DIALOG_CONFIG, applyTurn, openSession } from '../src/dialog/session/turn.js';
import type { SessionSnapshot } from '../src/dialog/session/types.js';
import { newSessionRecord, syntheticBank } from '../src/dialog/sim/fixtures.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const url = process.env.WEIDAI_DATABASE_URL;
if (!url) throw new Error('WEIDAI_DATABASE_URL must name a PostgreSQL server (scripts/with-services.sh)');
const COMMITS = Math.floor(arg('commits', 20_000));
const SESSIONS = 2000;
const WRITERS = 64;
const POOL = 16;
const BATCH_MAX = 32;
const BATCHES_IN_FLIGHT = 4;

/** A finished interview's snapshot as the store writes it (the bank apart), as JSON. */
function realSnapshot(): string {
  const at = new Date('2026-05-01T02:00:00Z');
  const session = newSessionRecord('s', 'i', at, { caseId: 'c', seed: 7 });
  const deps = { nlu: createNlu(), model: DEFAULT_ANSWER_MODEL, config: DEFAULT_DIALOG_CONFIG };
  let snap: SessionSnapshot = openSession(session, syntheticBank('grocery'), deps).snapshot;
  for (let i = 0; i < 12 && snap.awaiting; i++) {
    const input = { sessionId: 's', clientMsgId: `m${i}`, channel: 'bench', text: '大概两万左右' };
    snap = applyTurn(snap, input, new Date(at.getTime() + (i + 1) * 2000), deps).snapshot;
  }
  const { bank: _bank, ...state } = snap.state;
  let json = JSON.stringify({ ...snap, session: undefined, state });
  const want = process.argv.includes('--snapshot-kb') ? arg('snapshot-kb', 12) * 1024 : json.length;
  if (want < json.length) json = JSON.stringify({ trimmed: json.slice(0, want).replace(/[\\"]/g, '') });
  else if (want > json.length)
    json = JSON.stringify({ ...JSON.parse(json), pad: 'x'.repeat(want - json.length) });
  return json;
}

const snapshot = realSnapshot();
const event = (seq: number, kind: string) =>
  JSON.stringify({
    kind,
    seq,
    at: new Date().toISOString(),
    text: '您这个店一个月大概能卖多少钱的货？请大概说一下。',
    questionId: 'sales.monthly.stated',
    reasons: { rule: 'mcts', alternatives: [{ questionId: 'a', value: 0.12 }] },
  });

const SCHEMA = `weidai_commit_batching_${process.pid}`;
const SINGLE = `WITH d AS (SELECT EXISTS (SELECT 1 FROM ge e WHERE e.session_id = $7 AND e.client_msg_id = $10::text) AS dup),
 u AS (UPDATE gs SET status = $1, last_activity_at = $2::timestamptz, ended_at = $3::timestamptz, end_reason = $4,
   last_seq = $5, snapshot = $6::json WHERE id = $7 AND last_seq = $8 AND NOT (SELECT dup FROM d) RETURNING id),
 ins AS (INSERT INTO ge (session_id, seq, kind, client_msg_id, at, event, prev_hash, hash)
   SELECT u.id, r.seq, r.kind, r.client_msg_id, r.at, r.event, r.prev_hash, r.hash FROM u, jsonb_to_recordset($9::jsonb)
   AS r(seq integer, kind text, client_msg_id text, at timestamptz, event jsonb, prev_hash text, hash text) RETURNING 1)
 SELECT (SELECT count(*) FROM u)::int AS written`;
const BATCH = `WITH p AS (SELECT * FROM json_to_recordset($1::json) AS p(id text, expected int, status text,
   last_activity_at timestamptz, ended_at timestamptz, end_reason text, last_seq int, snapshot json, events json,
   client_msg_id text)),
 d AS (SELECT p.id, EXISTS (SELECT 1 FROM ge e WHERE e.session_id = p.id AND e.client_msg_id = p.client_msg_id) AS dup FROM p),
 u AS (UPDATE gs s SET status = p.status, last_activity_at = p.last_activity_at, ended_at = p.ended_at,
   end_reason = p.end_reason, last_seq = p.last_seq, snapshot = p.snapshot
   FROM p JOIN d ON d.id = p.id WHERE s.id = p.id AND s.last_seq = p.expected AND NOT d.dup RETURNING s.id),
 ins AS (INSERT INTO ge (session_id, seq, kind, client_msg_id, at, event, prev_hash, hash)
   SELECT u.id, r.seq, r.kind, r.client_msg_id, r.at, r.event, r.prev_hash, r.hash FROM u JOIN p ON p.id = u.id,
   jsonb_to_recordset(p.events::jsonb) AS r(seq integer, kind text, client_msg_id text, at timestamptz, event jsonb,
   prev_hash text, hash text) RETURNING 1)
 SELECT p.id, (u.id IS NOT NULL)::int AS written FROM p LEFT JOIN u ON u.id = p.id`;

interface Turn {
  id: string;
  expected: number;
  clientMsgId: string;
  events: string;
  at: string;
}

function postgresCpuMs(port: string): number {
  let ticks = 0;
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const cmd = (pid: string) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  const stat = (pid: string) => {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  };
  const master = pids.find((p) => {
    try {
      return /postgres/.test(cmd(p)) && cmd(p).includes(`-p ${port}`);
    } catch {
      return false;
    }
  });
  for (const p of pids) {
    try {
      const f = stat(p);
      if (p !== master && f[1] !== master) continue;
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* gone */
    }
  }
  return ticks * 10;
}

async function run(mode: 'single' | 'batch') {
  const pool = new pg.Pool({ connectionString: url, max: POOL, options: `-c search_path=${SCHEMA}` });
  await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA};
    CREATE TABLE ${SCHEMA}.gs (id text PRIMARY KEY, status text, last_activity_at timestamptz, ended_at timestamptz,
      end_reason text, last_seq int, snapshot json COMPRESSION lz4) WITH (fillfactor = 70);
    CREATE TABLE ${SCHEMA}.ge (session_id text, seq int, kind text, client_msg_id text, at timestamptz, event jsonb,
      prev_hash text, hash text, PRIMARY KEY (session_id, seq));
    CREATE UNIQUE INDEX ON ${SCHEMA}.ge (session_id, client_msg_id);`);
  await pool.query(
    `INSERT INTO gs SELECT 's' || g, 'in_progress', now(), null, null, 0, $1::json FROM generate_series(1, ${SESSIONS}) g`,
    [snapshot],
  );
  // Earlier interviews' events, so the planner sees tables of a running service.
  await pool.query(
    `INSERT INTO ge SELECT 's' || (g % ${SESSIONS} + 1), 100000 + g, 'bot', null, now(), '{"a":1}', 'x', 'y'
       FROM generate_series(1, 60000) g; ANALYZE gs; ANALYZE ge;`,
  );
  const seqs = new Array<number>(SESSIONS).fill(0);
  let made = 0;
  const nextTurn = (): Turn => {
    const s = made % SESSIONS;
    const expected = seqs[s]!;
    seqs[s] = expected + 2;
    const at = new Date().toISOString();
    const clientMsgId = `c${made++}`;
    const row = (seq: number, kind: string, cm: string | null) =>
      `{"seq":${seq},"kind":"${kind}","client_msg_id":${cm ? `"${cm}"` : 'null'},"at":"${at}",` +
      `"event":${event(seq, kind)},"prev_hash":"${'a'.repeat(64)}","hash":"${'b'.repeat(64)}"}`;
    return {
      id: `s${s + 1}`,
      expected,
      clientMsgId,
      at,
      events: `[${row(expected + 1, 'applicant', clientMsgId)},${row(expected + 2, 'bot', null)}]`,
    };
  };

  // Batching as a store would do it: commits wait while BATCHES_IN_FLIGHT statements run, then go together.
  const queue: { t: Turn; done: (written: boolean) => void; fail: (e: unknown) => void }[] = [];
  let inFlight = 0;
  const flush = () => {
    while (inFlight < BATCHES_IN_FLIGHT && queue.length > 0) {
      const b = queue.splice(0, BATCH_MAX);
      inFlight++;
      const json = `[${b
        .map(
          ({ t }) =>
            `{"id":"${t.id}","expected":${t.expected},"status":"in_progress","last_activity_at":"${t.at}",` +
            `"ended_at":null,"end_reason":null,"last_seq":${t.expected + 2},"snapshot":${snapshot},` +
            `"events":${t.events},"client_msg_id":"${t.clientMsgId}"}`,
        )
        .join(',')}]`;
      pool.query<{ id: string; written: number }>({ name: 'batch', text: BATCH, values: [json] }).then(
        (r) => {
          inFlight--;
          const written = new Map(r.rows.map((x) => [x.id, x.written === 1]));
          for (const x of b) x.done(written.get(x.t.id) ?? false);
          flush();
        },
        (e: unknown) => {
          inFlight--;
          for (const x of b) x.fail(e);
          flush();
        },
      );
    }
  };
  const commit = async (t: Turn): Promise<boolean> => {
    if (mode === 'batch') {
      return new Promise((done, fail) => {
        queue.push({ t, done, fail });
        flush();
      });
    }
    const values = [
      'in_progress',
      t.at,
      null,
      null,
      t.expected + 2,
      snapshot,
      t.id,
      t.expected,
      t.events,
      t.clientMsgId,
    ];
    const r = await pool.query<{ written: number }>({ name: 'single', text: SINGLE, values });
    return r.rows[0]?.written === 1;
  };

  const port = new URL(url!).port || '5432';
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs(port);
  const wall0 = performance.now();
  let refused = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (made < COMMITS) if (!(await commit(nextTurn()))) refused++;
    }),
  );
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const pgMs = postgresCpuMs(port) - pg0;
  await pool.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await pool.end();
  return {
    mode,
    commits: made,
    refused,
    perSecond: Math.round((made / wallMs) * 1000),
    clientCpuUsPerCommit: Math.round((cpu.user + cpu.system) / made),
    postgresCpuUsPerCommit: Math.round((pgMs * 1000) / made),
  };
}

const results = [];
for (const mode of ['single', 'batch', 'single', 'batch'] as const) results.push(await run(mode));
console.log(
  JSON.stringify(
    {
      bench: 'commit-batching',
      command: `npx tsx bench/commit-batching.ts ${process.argv.slice(2).join(' ')}`.trim(),
      snapshotBytes: snapshot.length,
      writers: WRITERS,
      pool: POOL,
      batchMax: BATCH_MAX,
      results,
    },
    null,
    2,
  ),
);
