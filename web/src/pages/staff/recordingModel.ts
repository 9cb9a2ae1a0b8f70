/**
 * Pure parts of the compliance officer's recordings pages: the search filter as a URL and as the API's query,
 * the timeline's items, the link check of the hash chain against its anchor, and the export's file name. No I/O,
 * no clock: the pages pass in what they read.
 */
import type { paths } from '../../api/schema.js';

type Json<P> = P extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;
type Doc = Ok<paths['/api/v1/recordings/{sessionId}']['get']>;
type ServerEntry = Ok<paths['/api/v1/recordings/{sessionId}/timeline']['get']>['entries'][number];

export const OUTCOMES = ['approve', 'adjust', 'decline', 'send_back', 'second_interview', 'none'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The flag codes the server stores with a recording (src/review/analysis.ts transcriptFlagCodes). */
export const FLAG_CODES = [
  'answer_vs_answer',
  'answer_vs_source',
  'control_failed',
  'contradiction',
  'ended_wants_person',
  'ended_applicant_left',
  'ended_refused_all',
  'ended_flood',
  'ended_expired',
  'ended_abandoned',
] as const;

export const PAGE_SIZES = [20, 50, 100] as const;

/** What the compliance officer searches by; `page` counts from 1. Dates are ISO instants. */
export interface RecordingFilter {
  branchId?: string;
  officerId?: string;
  from?: string;
  to?: string;
  outcome?: Outcome;
  flag?: string;
  held?: boolean;
  page: number;
  pageSize: number;
}

export const EMPTY_FILTER: RecordingFilter = { page: 1, pageSize: 20 };

/** The API's query string parameters for a filter (GET /api/v1/recordings: limit and offset page it). */
export function filterToQuery(f: RecordingFilter) {
  return {
    ...(f.branchId ? { branch_id: f.branchId } : {}),
    ...(f.officerId ? { officer_id: f.officerId } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.flag ? { flag: f.flag } : {}),
    ...(f.held !== undefined ? { held: f.held ? ('true' as const) : ('false' as const) } : {}),
    limit: f.pageSize,
    offset: (f.page - 1) * f.pageSize,
  };
}

/** The filter as the page's own URL search, so a reload or the back button keeps it. Defaults are left out. */
export function filterToSearch(f: RecordingFilter): string {
  const p = new URLSearchParams();
  if (f.branchId) p.set('branch', f.branchId);
  if (f.officerId) p.set('officer', f.officerId);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.outcome) p.set('outcome', f.outcome);
  if (f.flag) p.set('flag', f.flag);
  if (f.held !== undefined) p.set('held', String(f.held));
  if (f.page !== EMPTY_FILTER.page) p.set('page', String(f.page));
  if (f.pageSize !== EMPTY_FILTER.pageSize) p.set('size', String(f.pageSize));
  return p.toString();
}

const isInstant = (s: string) =>
  /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(s) && !isNaN(Date.parse(s));
const positiveInt = (s: string | null) => (s !== null && /^[1-9]\d{0,5}$/.test(s) ? Number(s) : undefined);

/** Reads the filter back from a URL search; anything malformed (a hand-edited URL) is dropped, not sent on. */
export function filterFromSearch(search: string): RecordingFilter {
  const p = new URLSearchParams(search);
  const f: RecordingFilter = { ...EMPTY_FILTER };
  const text = (k: string) => {
    const v = p.get(k);
    return v && v.length <= 64 ? v : undefined;
  };
  const branch = text('branch');
  if (branch) f.branchId = branch;
  const officer = text('officer');
  if (officer) f.officerId = officer;
  const from = p.get('from');
  if (from && isInstant(from)) f.from = from;
  const to = p.get('to');
  if (to && isInstant(to)) f.to = to;
  const outcome = p.get('outcome');
  if (outcome && (OUTCOMES as readonly string[]).includes(outcome)) f.outcome = outcome as Outcome;
  const flag = text('flag');
  if (flag) f.flag = flag;
  const held = p.get('held');
  if (held === 'true' || held === 'false') f.held = held === 'true';
  f.page = positiveInt(p.get('page')) ?? EMPTY_FILTER.page;
  const size = positiveInt(p.get('size'));
  if (size !== undefined && (PAGE_SIZES as readonly number[]).includes(size)) f.pageSize = size;
  return f;
}

// ---------------------------------------------------------------------------------------------------------------
// The timeline

/** The policy's recorded reasons for a question (src/dialog/policy/types.ts DecisionReasons). */
export interface DecisionReasons {
  policy: string;
  rule: 'rephrase' | 'follow_up' | 'search' | 'stop';
  why: string;
  doubt: number;
  doubtShare: number;
  alternatives?: { questionId: string; visits: number; value: number; oneStep: number }[];
}

/**
 * A line of GET /recordings/:id/timeline (src/review/analysis.ts TranscriptLine, with offset and hash). The policy's
 * reasons are recorded as they were and typed `unknown` by the server; the page reads them as DecisionReasons.
 */
export type TimelineEntry = ServerEntry extends infer E
  ? E extends { kind: 'bot' }
    ? Omit<E, 'reasons'> & { reasons: DecisionReasons | null }
    : E
  : never;

/** A consent as the timeline places it (src/cases/presenter.ts toConsentDto; its language is not shown). */
export type ConsentView = Omit<Doc['consents'][number], 'lang'>;

export type TimelineItem =
  | { key: string; at: string; kind: 'consent'; consent: ConsentView }
  | { key: string; at: string; kind: 'line'; line: TimelineEntry };

/**
 * The interview as one timeline: its lines in seq order with the consents placed by time among them (a consent
 * given before the interview comes first). Stable: a consent and a line at the same instant keep the consent first,
 * since it was the condition of the line.
 */
export function timelineItems(
  entries: readonly TimelineEntry[],
  consents: readonly ConsentView[],
): TimelineItem[] {
  const lines = [...entries].sort((a, b) => a.seq - b.seq);
  const cs = [...consents].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const out: TimelineItem[] = [];
  let i = 0;
  for (const line of lines) {
    while (i < cs.length && Date.parse(cs[i]!.at) <= Date.parse(line.at)) {
      const c = cs[i++]!;
      out.push({ key: `consent-${c.id}`, at: c.at, kind: 'consent', consent: c });
    }
    out.push({ key: `line-${line.seq}`, at: line.at, kind: 'line', line });
  }
  for (; i < cs.length; i++)
    out.push({ key: `consent-${cs[i]!.id}`, at: cs[i]!.at, kind: 'consent', consent: cs[i]! });
  return out;
}

/** An offset from the interview's start as m:ss (or h:mm:ss), for the timeline's labels. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `+${h}:${two(m)}:${two(s)}` : `+${m}:${two(s)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The chain and its anchor

export type ChainedEvent = Doc['events'][number];

/** What the link check reads of the audit record that anchors the chain. */
export type AnchorRecord = Pick<Doc['anchor'], 'seq' | 'at' | 'action' | 'payload' | 'hash'>;

/** The dialog's chain starts from this hash (src/dialog/session/store.ts EVENT_GENESIS). */
export const EVENT_GENESIS = 'GENESIS';

export type ChainStatus =
  | { ok: true; lines: number; lastSeq: number; lastHash: string; anchorSeq: number }
  | {
      ok: false;
      problem: 'empty' | 'gap' | 'broken_link' | 'no_anchor' | 'anchor_mismatch';
      seq?: number;
    };

/**
 * What the browser can check of a recording without hashing its lines: the seqs run 1…n without a gap, each line
 * names the previous line's hash, and the anchor in the audit chain names the last seq and hash. Rehashing each
 * line (and checking the signature) is the export bundle's verification on the server.
 */
export function chainStatus(events: readonly ChainedEvent[], anchor: AnchorRecord | null): ChainStatus {
  if (events.length === 0) return { ok: false, problem: 'empty' };
  let prev = EVENT_GENESIS;
  let seq = 0;
  for (const e of events) {
    if (e.event.seq !== seq + 1) return { ok: false, problem: 'gap', seq: e.event.seq };
    if (e.prevHash !== prev) return { ok: false, problem: 'broken_link', seq: e.event.seq };
    prev = e.hash;
    seq = e.event.seq;
  }
  if (!anchor || anchor.action !== 'recording.anchor') return { ok: false, problem: 'no_anchor' };
  const p = (anchor.payload ?? {}) as { lastSeq?: unknown; lastHash?: unknown };
  if (p.lastSeq !== seq || p.lastHash !== prev) return { ok: false, problem: 'anchor_mismatch', seq };
  return { ok: true, lines: events.length, lastSeq: seq, lastHash: prev, anchorSeq: anchor.seq };
}

// ---------------------------------------------------------------------------------------------------------------
// The export

/**
 * The file an export is saved as: `recording-<session>-<UTC time of export>.json`, with anything outside
 * [A-Za-z0-9_-] in the session id replaced, so that the name is safe on every file system and two exports of the
 * same recording do not overwrite each other.
 */
export function exportFileName(sessionId: string, exportedAt: string): string {
  const id = sessionId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'unknown';
  const d = new Date(exportedAt);
  const stamp = isNaN(d.getTime())
    ? 'undated'
    : d
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/[-:]/g, '');
  return `recording-${id}-${stamp}.json`;
}

/** Bytes received against the expected length, as a whole percent; null when the length is unknown. */
export function progressPercent(received: number, total: number | null): number | null {
  if (total === null || !(total > 0)) return null;
  return Math.min(100, Math.floor((received / total) * 100));
}
