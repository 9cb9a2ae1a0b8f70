/**
 * Shared by the two-instance test and bench/ws-load.ts: ready-to-talk interview session tokens seeded through the
 * cases service of a context (case → invitation → ID check and SMS code → recording consent), and a small
 * WebSocket client of the interview protocol (docs/ws-protocol.md) on the `ws` package.
 */
import { createRequire } from 'node:module';
import type { CaseCreateInput } from '../../../src/cases/schemas.js';
import { CaseCreateBody } from '../../../src/cases/schemas.js';
import { createCasesService } from '../../../src/cases/service.js';
import { createCapturingSmsSender } from '../../../src/cases/sms.js';
import type { AppContext } from '../../../src/platform/context.js';
import { DEMO_PASSWORD, seedDemoBank } from '../../../src/platform/identity/seed.js';
import { APPLICANT_ID, groceryCase } from '../../cases/helper.js';

const LAST4 = APPLICANT_ID.slice(-4);

/** A distinct valid mainland mobile per applicant: the OTP limit is five codes per number per hour. */
export const mobileFor = (i: number) => `137${String(i).padStart(8, '0')}`;

/**
 * Seeds `count` interviews that an applicant could open right now and returns their interview session tokens, in
 * order. `firstIndex` keeps mobiles distinct across calls on the same database. Runs `concurrency` at a time.
 */
export async function seedInterviewTokens(
  ctx: AppContext,
  count: number,
  opts: { firstIndex?: number; concurrency?: number } = {},
): Promise<string[]> {
  await seedDemoBank(ctx);
  const sms = createCapturingSmsSender();
  const cases = createCasesService({
    db: ctx.db,
    clock: ctx.clock,
    ids: ctx.ids,
    audit: ctx.audit,
    cipher: ctx.cipher,
    kv: ctx.kv,
    config: ctx.config,
    sms,
  });
  const { access_token } = await ctx.identity.login('loan_officer', DEMO_PASSWORD);
  const officer = await ctx.identity.authenticate(access_token);
  const first = opts.firstIndex ?? 0;
  const tokens: string[] = new Array<string>(count);

  async function one(i: number) {
    const mobile = mobileFor(first + i);
    const input: CaseCreateInput = CaseCreateBody.parse(groceryCase({ mobile }));
    const c = await cases.createCase(officer, input);
    const inv = await cases.createInvitation(officer, c.id);
    await cases.sendOtp(inv.token, LAST4);
    const code = sms.lastCodeTo(mobile);
    if (!code) throw new Error(`no SMS code was sent to applicant ${i}`);
    const { session_token } = await cases.verifyInvitation(inv.token, LAST4, code);
    await cases.recordApplicantConsents({
      session_token,
      channel: 'web',
      lang: 'zh-CN',
      consents: [{ kind: 'recording', text_id: 'recording', text_version: 1, granted: true }],
    });
    tokens[i] = session_token;
  }

  let next = 0;
  const worker = async () => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  return tokens;
}

/** A server frame of the interview protocol, as the client sees it. */
export interface ServerFrame {
  type: 'welcome' | 'message' | 'ack' | 'typing' | 'end' | 'error' | 'pong';
  seq?: number;
  sessionId?: string;
  lastSeq?: number;
  state?: string;
  text?: string;
  choices?: { id: string; label: string }[];
  clientMsgId?: string;
  code?: string;
  reason?: string;
}

interface WsSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', cb: () => void): void;
  on(event: 'message', cb: (data: Buffer) => void): void;
  on(event: 'close', cb: (code: number, reason: Buffer) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
}
type WsConstructor = new (
  url: string,
  opts?: { localAddress?: string; perMessageDeflate?: boolean },
) => WsSocket;

// `ws` ships no types and @types/ws is not installed: the few members used are typed above.
const WebSocketImpl = createRequire(import.meta.url)('ws') as WsConstructor;

export interface ConnectOptions {
  lastSeq?: number;
  /** Source address (any 127.x.y.z), so that per-address connection limits see many applicants. */
  localAddress?: string;
  /** Called for every frame as it arrives, with the arrival time from `performance.now()`. */
  onFrame?: (frame: ServerFrame, at: number) => void;
  /** Waits this long after the socket opens before sending `hello` (a real client sends it at once). */
  helloDelayMs?: number;
}

export type InterviewClient = Awaited<ReturnType<typeof connectInterview>>;

/** Opens /ws/interview on `baseUrl` (http://host:port), sends `hello` and resolves once the socket is open. */
export async function connectInterview(baseUrl: string, token: string, opts: ConnectOptions = {}) {
  const ws = new WebSocketImpl(`${baseUrl.replace(/^http/, 'ws')}/ws/interview`, {
    perMessageDeflate: false,
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  const frames: ServerFrame[] = [];
  const waiters = new Set<{ pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }>();
  let resolveClosed!: (c: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  let closeInfo: { code: number; reason: string } | null = null;

  ws.on('message', (data) => {
    const f = JSON.parse(data.toString('utf8')) as ServerFrame;
    frames.push(f);
    opts.onFrame?.(f, performance.now());
    for (const w of waiters)
      if (w.pred(f)) {
        waiters.delete(w);
        w.resolve(f);
      }
  });
  ws.on('close', (code, reason) => {
    closeInfo = { code, reason: reason.toString('utf8') };
    resolveClosed(closeInfo);
  });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
  });
  if (opts.helloDelayMs) await new Promise((r) => setTimeout(r, opts.helloDelayMs));
  ws.send(JSON.stringify({ type: 'hello', token, lastSeq: opts.lastSeq ?? 0 }));

  return {
    frames,
    /** Set by a caller that closes the socket on purpose, so its close is not counted as a failure. */
    dropping: false,
    closed,
    get closeInfo() {
      return closeInfo;
    },
    get isOpen() {
      return ws.readyState === 1;
    },
    /** Bot message seqs received on this connection, in arrival order. */
    messageSeqs: () => frames.filter((f) => f.type === 'message').map((f) => f.seq!),
    send: (frame: object) => ws.send(JSON.stringify(frame)),
    answer(clientMsgId: string, body: { text: string } | { choice: string }) {
      ws.send(JSON.stringify({ type: 'answer', clientMsgId, ...body }));
    },
    /** The first frame, received already or later, that matches; rejects after `timeoutMs`. */
    waitFor(pred: (f: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
      const seen = frames.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w))
            reject(
              new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`),
            );
        }, timeoutMs).unref();
      });
    },
    close: () => ws.close(1000, 'bye'),
    /** Drops the TCP connection without a close frame, as a phone losing its signal does. */
    terminate: () => ws.terminate(),
  };
}

/** What a simulated applicant says to a question: the first quick reply if there are any, else a figure. */
export function answerTo(question: ServerFrame): { text: string } | { choice: string } {
  const first = question.choices?.[0];
  return first ? { choice: first.id } : { text: '大概两万左右' };
}
