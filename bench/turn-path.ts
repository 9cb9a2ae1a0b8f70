/**
 * The cost of one interview turn through the service, in-process: what a server spends per applicant message
 * besides the network (lock, cached snapshot, understanding, belief update, planning, the durable commit, cache
 * and notice). Runs on whatever the environment configures (PGlite + in-process kv by default; PostgreSQL and
 * Redis under scripts/with-services.sh).
 *
 *   npx tsx bench/turn-path.ts [--interviews 60] [--iterations N]
 *   scripts/with-services.sh npx tsx bench/turn-path.ts --interviews 60
 *
 * Turns that end the interview (which also anchor its recording) are reported apart (`lastTurnMs`); scoring runs
 * are only queued, as on a serving instance with WEIDAI_BACKGROUND=off. `--iterations` overrides the MCTS iterations per decision (default: the dialog's default). Prints JSON: CPU and
 * wall time per turn (p50/p99) and per session open, with the planning share measured separately.
 */
import { loadConfig } from '../src/platform/config.js';
import { createContext } from '../src/platform/context.js';
import { fakeClock } from '../src/platform/deps.js';
import { answerTo, seedInterviewTokens } from '../test/channels/multi/support.js';
import type { ServerFrame } from '../test/channels/multi/support.js';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a non-negative number`);
  return v;
}

const INTERVIEWS = Math.min(2000, Math.max(1, Math.floor(arg('interviews') ?? 60)));
const ITERATIONS = arg('iterations');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 1000) / 1000
    : null;
};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
type Took = { cpu: number; wall: number };
const stats = (xs: Took[]) => ({
  cpuP50: pct(
    xs.map((t) => t.cpu),
    50,
  ),
  cpuP99: pct(
    xs.map((t) => t.cpu),
    99,
  ),
  cpuMean: xs.length ? Math.round((xs.reduce((a, t) => a + t.cpu, 0) / xs.length) * 1000) / 1000 : null,
  wallP50: pct(
    xs.map((t) => t.wall),
    50,
  ),
  wallP99: pct(
    xs.map((t) => t.wall),
    99,
  ),
});

async function main() {
  // The applicant answers every 2 s of this clock (the per-session rate limit counts in it).
  const clock = fakeClock(new Date());
  // Scoring runs apart (WEIDAI_BACKGROUND=off): a completed interview only queues its run.
  const ctx = await createContext(loadConfig(process.env, { background: false }), {
    clock,
    inMemoryDb: !process.env.WEIDAI_DATABASE_URL,
    kvPrefix: `turnpath${process.pid}:`,
    ...(ITERATIONS !== undefined ? { dialog: { iterations: ITERATIONS } } : {}),
  });
  try {
    const tokens = await seedInterviewTokens(ctx, INTERVIEWS, { concurrency: 4 });
    const open: { cpu: number; wall: number }[] = [];
    const turn: { cpu: number; wall: number }[] = [];
    const last: { cpu: number; wall: number }[] = [];
    let n = 0;
    for (const token of tokens) {
      let c0 = process.cpuUsage();
      let w0 = performance.now();
      const session = await ctx.interview.open(token, 'zh-CN');
      open.push({ cpu: cpuMs(process.cpuUsage(c0)), wall: performance.now() - w0 });
      let events = await ctx.interview.transcriptAfter(session.id, 0);
      for (let i = 0; i < 40; i++) {
        const q = events.filter((e) => e.kind === 'bot').at(-1);
        if (!q || q.kind !== 'bot' || events.some((e) => e.kind === 'end')) break;
        const frame: ServerFrame = { type: 'message', ...(q.choices ? { choices: q.choices } : {}) };
        clock.advance(2000);
        c0 = process.cpuUsage();
        w0 = performance.now();
        const r = await ctx.interview.handleTurn({
          sessionId: session.id,
          clientMsgId: `m${++n}`,
          channel: 'bench',
          ...answerTo(frame),
        });
        const took = { cpu: cpuMs(process.cpuUsage(c0)), wall: performance.now() - w0 };
        if (r.ended) {
          last.push(took);
          break;
        }
        turn.push(took);
        events = r.messages.map((m) => ({ kind: 'bot' as const, ...m }));
      }
    }
    console.log(
      JSON.stringify(
        {
          bench: 'turn-path',
          command: `npx tsx bench/turn-path.ts ${process.argv.slice(2).join(' ')}`.trim(),
          backend: {
            database: ctx.config.databaseUrl ? 'postgresql' : 'pglite',
            kv: ctx.config.redisUrl ? 'redis' : 'in-process',
          },
          mctsIterations: ctx.dialog.config.iterations,
          interviews: INTERVIEWS,
          turns: turn.length,
          turnMs: stats(turn),
          lastTurnMs: stats(last),
          openMs: stats(open),
        },
        null,
        2,
      ),
    );
  } finally {
    await ctx.close();
  }
}

await main();
