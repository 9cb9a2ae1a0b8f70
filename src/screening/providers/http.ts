/**
 * A configurable HTTP JSON provider, so a bank plugs a vendor in by configuration: where to POST, which header
 * carries the credential, the request body built from the subject, and where in the partner's JSON each fact is
 * found. Every way a partner can fail is turned into a ProviderFailure with the payload as received, for the
 * record: a hang (aborted by the fetcher's timeout), a network error, a 4xx/5xx, a body that is not JSON, a
 * business error code, a value that does not fit the mapping, or an answer about someone else.
 */
import { echoMatches, nameEchoMatches, normaliseSubject } from '../subject.js';
import type { HttpProviderSettings, FactMapping } from '../schemas.js';
import { type FactValue, type Provider, ProviderFailure, type Subject } from '../types.js';

/** Largest body read from a partner; a larger one is refused as malformed. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Raw text kept of a failed answer. */
const RAW_SNIPPET = 4096;

/**
 * Reads `a.b[0].c` (or `a.b.0.c`) from parsed JSON; undefined when any step is missing. No evaluation: only
 * property names and array indexes.
 */
export function readPath(doc: unknown, path: string): unknown {
  const steps = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
  let cur: unknown = doc;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(step)) return undefined;
      cur = cur[Number(step)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, step)) return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

/** `"1234.5"` or `1234.5` yuan → 123450 fen, by decimal string arithmetic (no binary float in the result). */
export function yuanToFen(v: unknown): number | null {
  const s =
    typeof v === 'number'
      ? Number.isFinite(v)
        ? v.toFixed(2)
        : ''
      : typeof v === 'string'
        ? v.trim().replace(/,/g, '')
        : '';
  const m = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -fen : fen;
}

function toInteger(v: unknown): number | null {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
}

function toDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})/.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return null;
  return `${y}-${mo}-${d}`;
}

/** Converts one mapped value; null when absent (the fact is then "not provided"); throws MAPPING when it does not fit. */
export function convert(raw: unknown, m: FactMapping, key: string): FactValue | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const bad = () =>
    new ProviderFailure('MAPPING', `The value at ${m.path} does not fit ${m.type} for ${key}`);
  if (m.map) {
    const hit = m.map[String(raw)];
    if (hit === undefined) throw bad();
    return hit;
  }
  switch (m.type) {
    case 'integer':
    case 'fen': {
      const n = toInteger(raw);
      if (n === null) throw bad();
      return n;
    }
    case 'number': {
      const n = typeof raw === 'string' ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad();
      return n;
    }
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number') throw bad();
      return String(raw);
    case 'boolean': {
      if (m.trueValues?.some((t) => String(t) === String(raw))) return true;
      if (m.falseValues?.some((t) => String(t) === String(raw))) return false;
      if (typeof raw === 'boolean') return raw;
      throw bad();
    }
    case 'date': {
      const d = toDate(raw);
      if (d === null) throw bad();
      return d;
    }
    case 'yuan': {
      const fen = yuanToFen(raw);
      if (fen === null) throw bad();
      return fen;
    }
    case 'count':
      if (!Array.isArray(raw)) throw bad();
      return raw.length;
    case 'yuan_series':
    case 'fen_series': {
      if (!Array.isArray(raw)) throw bad();
      return raw.map((x: unknown) => {
        const item = m.itemPath ? readPath(x, m.itemPath) : x;
        const n = m.type === 'yuan_series' ? yuanToFen(item) : toInteger(item);
        if (n === null) throw bad();
        return n;
      });
    }
  }
}

const snippet = (text: string) => (text.length > RAW_SNIPPET ? `${text.slice(0, RAW_SNIPPET)}…` : text);

async function readBody(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new ProviderFailure('MALFORMED', 'The answer is too large');
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_BODY_BYTES) throw new ProviderFailure('MALFORMED', 'The answer is too large');
  return buf.toString('utf8');
}

/** The provider described by `settings`. `fetchImpl` is the global fetch unless a test passes another. */
export function createHttpProvider(
  settings: HttpProviderSettings,
  fetchImpl: typeof fetch = fetch,
): Provider {
  const s = settings;
  return {
    id: s.id,
    category: s.category,
    costFen: s.costFen,
    timeoutMs: s.timeoutMs,
    async query(subjectIn, ctx) {
      const subject = normaliseSubject(subjectIn);
      const body: Record<string, unknown> = { ...(s.request.static ?? {}) };
      for (const [field, from] of Object.entries(s.request.fields)) {
        const v = subject[from];
        if (v !== undefined) body[field] = v;
      }
      if (s.request.consentField) body[s.request.consentField] = ctx.consent.consentId;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (s.auth) headers[s.auth.header.toLowerCase()] = s.auth.value;

      let res: Response;
      try {
        res = await fetchImpl(s.url, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: ctx.signal,
        });
      } catch (e) {
        if (ctx.signal.aborted) throw new ProviderFailure('TIMEOUT', 'The partner did not answer in time');
        throw new ProviderFailure('NETWORK', `The partner could not be reached: ${(e as Error).message}`);
      }
      const text = await readBody(res).catch((e: unknown) => {
        if (e instanceof ProviderFailure) throw e;
        if (ctx.signal.aborted)
          throw new ProviderFailure('TIMEOUT', 'The partner did not finish its answer in time');
        throw new ProviderFailure('NETWORK', 'The answer was cut off');
      });
      if (res.status >= 500)
        throw new ProviderFailure('UPSTREAM_5XX', `The partner answered ${res.status}`, snippet(text));
      if (res.status >= 400)
        throw new ProviderFailure('UPSTREAM_4XX', `The partner answered ${res.status}`, snippet(text));

      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        throw new ProviderFailure('MALFORMED', 'The answer is not JSON', snippet(text));
      }
      if (doc === null || typeof doc !== 'object')
        throw new ProviderFailure('MALFORMED', 'The answer is not a JSON object', snippet(text));

      const r = s.response;
      if (r.statusPath) {
        const code = String(readPath(doc, r.statusPath));
        if (r.noRecordValues?.some((v) => String(v) === code))
          return { status: 'no_record', facts: {}, raw: doc };
        if (!r.okValues.some((v) => String(v) === code))
          throw new ProviderFailure('PROVIDER_ERROR', `The partner reported code ${code}`, doc);
      }
      checkSubject(doc, r.subject, subject);

      const facts: Record<string, FactValue | null> = {};
      for (const [key, m] of Object.entries(r.facts)) {
        try {
          facts[key] = convert(readPath(doc, m.path), m, key);
        } catch (e) {
          if (e instanceof ProviderFailure) throw new ProviderFailure(e.code, e.message, doc);
          throw e;
        }
      }
      return { status: 'ok', facts, raw: doc };
    },
  };
}

/** SUBJECT_MISMATCH unless every configured echo names the subject: an answer about someone else is never used. */
function checkSubject(doc: unknown, paths: HttpProviderSettings['response']['subject'], subject: Subject) {
  if (!paths) return;
  const fail = (field: string) =>
    new ProviderFailure('SUBJECT_MISMATCH', `The answer is about another subject (${field} differs)`, doc);
  for (const field of ['idNumber', 'mobile', 'uscc'] as const) {
    const path = paths[field];
    if (!path) continue;
    const echo = readPath(doc, path);
    const expected = subject[field];
    if (typeof echo !== 'string' && typeof echo !== 'number') throw fail(field);
    if (!expected || !echoMatches(String(echo), expected)) throw fail(field);
  }
  if (paths.name) {
    const echo = readPath(doc, paths.name);
    if (typeof echo !== 'string' || !nameEchoMatches(echo, subject.name)) throw fail('name');
  }
}
