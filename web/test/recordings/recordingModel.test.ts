import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import zh from '../../src/locales/recordings.zh-CN.json';
import {
  EMPTY_FILTER,
  EVENT_GENESIS,
  FLAG_CODES,
  OUTCOMES,
  PAGE_SIZES,
  type ChainedEvent,
  type ConsentView,
  type RecordingFilter,
  type TimelineEntry,
  chainStatus,
  exportFileName,
  filterFromSearch,
  filterToQuery,
  filterToSearch,
  formatOffset,
  progressPercent,
  timelineItems,
} from '../../src/pages/staff/recordingModel.js';

const instant = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const id = fc.stringMatching(/^[0-9a-f-]{1,36}$/);

const filterArb: fc.Arbitrary<RecordingFilter> = fc.record(
  {
    branchId: id,
    officerId: id,
    from: instant,
    to: instant,
    outcome: fc.constantFrom(...OUTCOMES),
    flag: fc.constantFrom(...FLAG_CODES),
    held: fc.boolean(),
    page: fc.integer({ min: 1, max: 10_000 }),
    pageSize: fc.constantFrom(...PAGE_SIZES),
  },
  { requiredKeys: ['page', 'pageSize'] },
);

describe('the search filter', () => {
  it('reads back from the URL exactly as it was written', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        expect(filterFromSearch(filterToSearch(f))).toEqual(f);
      }),
    );
  });

  it('leaves the defaults out of the URL', () => {
    expect(filterToSearch(EMPTY_FILTER)).toBe('');
    expect(filterFromSearch('')).toEqual(EMPTY_FILTER);
  });

  it('drops what a hand-edited URL gets wrong instead of sending it to the server', () => {
    expect(
      filterFromSearch('?outcome=maybe&held=yes&from=yesterday&to=2026-13-45T00:00:00Z&page=0&size=7&flag='),
    ).toEqual(EMPTY_FILTER);
    expect(filterFromSearch(`?branch=${'x'.repeat(65)}`)).toEqual(EMPTY_FILTER);
  });

  it('pages the API by limit and offset, and sends held as the strings it accepts', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        const q = filterToQuery(f);
        expect(q.limit).toBe(f.pageSize);
        expect(q.offset).toBe((f.page - 1) * f.pageSize);
        expect(q.offset % q.limit).toBe(0);
        if (f.held === undefined) expect('held' in q).toBe(false);
        else expect(q.held).toBe(String(f.held));
      }),
    );
    expect(filterToQuery(EMPTY_FILTER)).toEqual({ limit: 20, offset: 0 });
    expect(filterToQuery({ ...EMPTY_FILTER, branchId: 'b1', outcome: 'none', held: false, page: 3 })).toEqual(
      {
        branch_id: 'b1',
        outcome: 'none',
        held: 'false',
        limit: 20,
        offset: 40,
      },
    );
  });
});

const at = (s: number) => new Date(Date.UTC(2026, 2, 12, 2, 0, s)).toISOString();
const bot = (seq: number, s: number): TimelineEntry => ({
  kind: 'bot',
  seq,
  at: at(s),
  offsetMs: s * 1000,
  hash: `h${seq}`,
  text: `q${seq}`,
  questionId: `Q${seq}`,
  mode: null,
  reasons: null,
});
const consent = (cid: string, s: number): ConsentView => ({
  id: cid,
  kind: 'recording',
  source: null,
  granted: true,
  text_id: 'recording',
  text_version: 1,
  channel: 'paper',
  evidence_hash: 'b'.repeat(64),
  at: at(s),
});

describe('the timeline', () => {
  it('places the consents among the lines by time, a consent before a line of the same instant', () => {
    const items = timelineItems(
      [bot(2, 10), bot(1, 5)],
      [consent('late', 99), consent('first', 0), consent('same', 5)],
    );
    expect(items.map((i) => i.key)).toEqual([
      'consent-first',
      'consent-same',
      'line-1',
      'line-2',
      'consent-late',
    ]);
  });

  it('keeps every line and consent once, lines in seq order, in time order overall', () => {
    const gen = fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 5 }),
      )
      .map(([ls, cs]) => {
        // Lines are recorded in time order: seq follows the clock.
        const times = [...ls].sort((a, b) => a - b);
        return {
          lines: times.map((s, i) => bot(i + 1, s)),
          consents: cs.map((s, i) => consent(`c${i}`, s)),
        };
      });
    fc.assert(
      fc.property(gen, ({ lines, consents }) => {
        const items = timelineItems([...lines].reverse(), consents);
        expect(items).toHaveLength(lines.length + consents.length);
        expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
        const seqs = items.flatMap((i) => (i.kind === 'line' ? [i.line.seq] : []));
        expect(seqs).toEqual(lines.map((l) => l.seq));
        const times = items.map((i) => Date.parse(i.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }),
    );
  });

  it('writes an offset from the start as m:ss, and h:mm:ss past the hour', () => {
    expect(formatOffset(0)).toBe('+0:00');
    expect(formatOffset(65_400)).toBe('+1:05');
    expect(formatOffset(3_726_000)).toBe('+1:02:06');
    expect(formatOffset(-5)).toBe('+0:00');
  });
});

const chain = (n: number): ChainedEvent[] => {
  const out: ChainedEvent[] = [];
  let prev = EVENT_GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const hash = `hash-${seq}`;
    out.push({ event: { seq, kind: 'bot' }, prevHash: prev, hash });
    prev = hash;
  }
  return out;
};
const anchorOf = (events: ChainedEvent[]) => ({
  seq: 42,
  at: at(0),
  action: 'recording.anchor',
  payload: { lastSeq: events.at(-1)!.event.seq, lastHash: events.at(-1)!.hash },
  hash: 'a',
});

describe('the chain and its anchor', () => {
  it('is intact when every line links to the one before and the anchor names the last', () => {
    const events = chain(5);
    expect(chainStatus(events, anchorOf(events))).toEqual({
      ok: true,
      lines: 5,
      lastSeq: 5,
      lastHash: 'hash-5',
      anchorSeq: 42,
    });
  });

  it('finds the first broken link, a gap, a missing or stale anchor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.nat(), (n, k) => {
        const events = chain(n);
        const anchor = anchorOf(events);
        const at = (k % n) + 1;
        const broken = events.map((e) => (e.event.seq === at ? { ...e, prevHash: 'tampered' } : e));
        expect(chainStatus(broken, anchor)).toEqual({ ok: false, problem: 'broken_link', seq: at });
        const gap = events.filter((e) => e.event.seq !== at);
        const expected = at === n ? 'anchor_mismatch' : 'gap';
        expect(chainStatus(gap, anchor)).toMatchObject({ ok: false, problem: expected });
      }),
    );
    const events = chain(3);
    expect(chainStatus(events, null)).toEqual({ ok: false, problem: 'no_anchor' });
    expect(chainStatus(events, anchorOf(chain(2)))).toEqual({
      ok: false,
      problem: 'anchor_mismatch',
      seq: 3,
    });
    expect(chainStatus([], null)).toEqual({ ok: false, problem: 'empty' });
  });
});

describe('the export', () => {
  it('names the file after the recording and the time of export, safe on any file system', () => {
    expect(exportFileName('9b1f7c2e-1d3a-4c55-9e0f-1234567890ab', '2026-03-12T02:03:04.567Z')).toBe(
      'recording-9b1f7c2e-1d3a-4c55-9e0f-1234567890ab-20260312T020304Z.json',
    );
    expect(exportFileName('', 'not a date')).toBe('recording-unknown-undated.json');
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), instant, (sid, when) => {
        const name = exportFileName(sid, when);
        expect(name).toMatch(/^recording-[A-Za-z0-9_-]{1,64}-\d{8}T\d{6}Z\.json$/);
      }),
    );
  });

  it('gives distinct names to exports of one recording at distinct seconds', () => {
    fc.assert(
      fc.property(id, instant, instant, (sid, a, b) => {
        const sec = (s: string) => Math.floor(Date.parse(s) / 1000);
        if (sec(a) !== sec(b)) expect(exportFileName(sid, a)).not.toBe(exportFileName(sid, b));
      }),
    );
  });

  it('shows progress as a whole percent, never past 100, and none without a length', () => {
    expect(progressPercent(512, 1024)).toBe(50);
    expect(progressPercent(10, null)).toBeNull();
    expect(progressPercent(10, 0)).toBeNull();
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1 }), (r, total) => {
        const p = progressPercent(r, total)!;
        expect(Number.isInteger(p) && p >= 0 && p <= 100).toBe(true);
      }),
    );
  });
});

describe('the dictionaries', () => {
  it('name every outcome and flag code the filter offers', () => {
    for (const o of OUTCOMES) expect(zh).toHaveProperty([`console.recordings.outcome.${o}`]);
    for (const f of FLAG_CODES) expect(zh).toHaveProperty([`console.recordings.flag.${f}`]);
  });
});
