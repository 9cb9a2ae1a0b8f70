/**
 * The HTTP JSON provider against a partner played by a local node:http server on 127.0.0.1: the field mapping, and
 * each way a partner fails (a hang, malformed JSON, a 5xx, a business error, an answer about someone else) —
 * recorded as a failure, never thrown out of screening, never mixed into the subject's facts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/platform/crypto.js';
import { fakeClock, seededRng } from '../../src/platform/deps.js';
import type { Kv } from '../../src/platform/kv/index.js';
import { createBreaker } from '../../src/screening/breaker.js';
import { DEFAULT_VALIDITY_MS } from '../../src/screening/catalogue.js';
import { buildFacts } from '../../src/screening/facts.js';
import { DEFAULT_FETCHER, RAW_CONTEXT, createFetcher } from '../../src/screening/fetcher.js';
import { createHttpProvider, readPath, yuanToFen } from '../../src/screening/providers/http.js';
import { HttpProviderSettingsSchema, type HttpProviderSettingsInput } from '../../src/screening/schemas.js';
import type { ConsentRef } from '../../src/screening/types.js';
import { SUBJECT, START, testKv } from './helper.js';

const cipher = createFieldCipher(Buffer.alloc(32, 9));
const clock = fakeClock(START);
const consent: ConsentRef = { consentId: 'consent-42', grantedAt: START, expiresAt: null };
const maskedId = `${SUBJECT.idNumber.slice(0, 6)}********${SUBJECT.idNumber.slice(-4)}`;

interface Seen {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}
const seen: Seen[] = [];
const hits = new Map<string, number>();
let server: Server;
let base: string;
let kv: Kv;

/** The partner: one behaviour per path. */
function partner(req: IncomingMessage, res: ServerResponse) {
  let text = '';
  req.on('data', (c: Buffer) => (text += c.toString('utf8')));
  req.on('end', () => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    seen.push({ path, auth: req.headers['x-api-key'] as string | undefined, body: JSON.parse(text || '{}') });
    const json = (status: number, doc: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof doc === 'string' ? doc : JSON.stringify(doc));
    };
    switch (path) {
      case '/ok':
        return json(200, {
          code: '0000',
          data: {
            person: { idcard: maskedId, name: '张*国' },
            tax: {
              avgSales: '31250.50',
              months: [{ v: '30000' }, { v: '32500.5' }],
              taxPaid: 312.5,
            },
            reg: { status: '存续', since: '20170601', capital: '50万' },
            court: { dishonest: [{ caseNo: '(2023)豫0225执1号' }, { caseNo: '(2024)豫0225执9号' }] },
            mobile: { realName: 'Y' },
          },
        });
      case '/hang':
        return; // never answers
      case '/malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"code":"0000","data":{"avgSales":');
      case '/5xx':
        return json(503, '<html><body>Service Unavailable</body></html>');
      case '/other':
        return json(200, {
          code: '0000',
          data: { person: { idcard: '110101199003071234', name: '李*' }, tax: { avgSales: '999999' } },
        });
      case '/no-record':
        return json(200, { code: '2001', msg: '查无此人' });
      case '/biz-error':
        return json(200, { code: '9001', msg: '余额不足' });
      case '/bad-date':
        return json(200, {
          code: '0000',
          data: { person: { idcard: maskedId, name: '张建国' }, reg: { since: '2017-02-30' } },
        });
      default:
        return json(404, { code: '404' });
    }
  });
}

beforeAll(async () => {
  server = createServer(partner);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kv = await testKv(clock);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await kv.close();
});

let n = 0;
function settings(path: string, over: Partial<HttpProviderSettingsInput> = {}): HttpProviderSettingsInput {
  return {
    kind: 'http',
    id: `vendor${++n}.tax`,
    category: 'tax',
    url: `${base}${path}`,
    auth: { header: 'X-Api-Key', value: 'secret-key' },
    timeoutMs: 150,
    costFen: 450,
    request: { fields: { idcard: 'idNumber', name: 'name', creditCode: 'uscc' }, consentField: 'authId' },
    response: {
      statusPath: 'code',
      okValues: ['0000'],
      noRecordValues: ['2001'],
      subject: { idNumber: 'data.person.idcard', name: 'data.person.name' },
      facts: {
        'tax.invoiced_sales.monthly': { path: 'data.tax.avgSales', type: 'yuan' },
        'tax.invoiced_sales.last_12m': { path: 'data.tax.months', type: 'yuan_series', itemPath: 'v' },
        'tax.tax_paid.monthly': { path: 'data.tax.taxPaid', type: 'yuan' },
      },
    },
    ...over,
  };
}

function fetcher() {
  const breaker = createBreaker({ kv, clock, options: { failureThreshold: 100 } });
  return createFetcher({
    kv,
    clock,
    cipher,
    rng: seededRng(3),
    breaker,
    sleep: async () => undefined,
    options: { ...DEFAULT_FETCHER, retries: 1, validityMs: DEFAULT_VALIDITY_MS },
  });
}

const provider = (s: HttpProviderSettingsInput) => createHttpProvider(HttpProviderSettingsSchema.parse(s));

describe('HTTP provider mapping', () => {
  it('sends the subject, the credential and the consent, and maps the partner’s JSON into facts in fen', async () => {
    const out = await fetcher().fetch(provider(settings('/ok')), SUBJECT, consent);
    expect(out).toMatchObject({ status: 'ok', costFen: 450, cacheHit: false });
    expect(out.facts).toEqual({
      'tax.invoiced_sales.monthly': 3_125_050,
      'tax.invoiced_sales.last_12m': [3_000_000, 3_250_050],
      'tax.tax_paid.monthly': 31_250,
    });
    const req = seen.find((s) => s.path === '/ok')!;
    expect(req.auth).toBe('secret-key');
    expect(req.body).toEqual({
      idcard: SUBJECT.idNumber,
      name: SUBJECT.name,
      creditCode: SUBJECT.uscc,
      authId: 'consent-42',
    });
    expect(JSON.parse(cipher.decrypt(out.rawEnc!, RAW_CONTEXT))).toMatchObject({ code: '0000' });
  });

  it('maps codes, dates, booleans and list lengths of other categories', async () => {
    const reg = provider(
      settings('/ok', {
        category: 'registration',
        response: {
          statusPath: 'code',
          okValues: ['0000'],
          facts: {
            'registration.status': {
              path: 'data.reg.status',
              type: 'string',
              map: { 存续: 'active', 注销: 'cancelled' },
            },
            'registration.established_date': { path: 'data.reg.since', type: 'date' },
            'registration.registered_capital': { path: 'data.reg.missing', type: 'yuan' },
          },
        },
      }),
    );
    const court = provider(
      settings('/ok', {
        category: 'court',
        response: {
          okValues: [],
          facts: { 'court.dishonest_records': { path: 'data.court.dishonest', type: 'count' } },
        },
      }),
    );
    const mobile = provider(
      settings('/ok', {
        category: 'mobile',
        response: {
          okValues: [],
          facts: {
            'mobile.real_name_match': {
              path: 'data.mobile.realName',
              type: 'boolean',
              trueValues: ['Y'],
              falseValues: ['N'],
            },
          },
        },
      }),
    );
    const f = fetcher();
    expect((await f.fetch(reg, SUBJECT, consent)).facts).toEqual({
      'registration.status': 'active',
      'registration.established_date': '2017-06-01',
      'registration.registered_capital': null,
    });
    expect((await f.fetch(court, SUBJECT, consent)).facts).toEqual({ 'court.dishonest_records': 2 });
    expect((await f.fetch(mobile, SUBJECT, consent)).facts).toEqual({ 'mobile.real_name_match': true });
  });

  it('refuses settings that name an unknown fact or a non-HTTP URL', () => {
    const bad = settings('/ok');
    expect(HttpProviderSettingsSchema.safeParse({ ...bad, url: 'file:///etc/passwd' }).success).toBe(false);
    expect(
      HttpProviderSettingsSchema.safeParse({
        ...bad,
        response: { ...bad.response, facts: { 'made.up': { path: 'a', type: 'integer' } } },
      }).success,
    ).toBe(false);
  });

  it('treats the partner’s no-record code as an answer without facts', async () => {
    const out = await fetcher().fetch(provider(settings('/no-record')), SUBJECT, consent);
    expect(out).toMatchObject({ status: 'no_record', costFen: 450, facts: {} });
  });
});

describe('HTTP provider failures', () => {
  it('times out a partner that hangs, on each attempt, and records TIMEOUT', async () => {
    const t0 = performance.now();
    const out = await fetcher().fetch(provider(settings('/hang')), SUBJECT, consent);
    expect(out).toMatchObject({ status: 'failed', attempts: 2, costFen: 0, error: { code: 'TIMEOUT' } });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(hits.get('/hang')).toBe(2);
  });

  it('records malformed JSON with the text received, without retrying', async () => {
    const out = await fetcher().fetch(provider(settings('/malformed')), SUBJECT, consent);
    expect(out).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'MALFORMED' } });
    expect(cipher.decrypt(out.rawEnc!, RAW_CONTEXT)).toContain('avgSales');
  });

  it('retries a 5xx and records it', async () => {
    const before = hits.get('/5xx') ?? 0;
    const out = await fetcher().fetch(provider(settings('/5xx')), SUBJECT, consent);
    expect(out).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'UPSTREAM_5XX' } });
    expect((hits.get('/5xx') ?? 0) - before).toBe(2);
  });

  it('discards an answer about a different subject and reports it in the facts', async () => {
    const p = provider(settings('/other'));
    const out = await fetcher().fetch(p, SUBJECT, consent);
    expect(out).toMatchObject({ status: 'failed', facts: {}, error: { code: 'SUBJECT_MISMATCH' } });
    expect(cipher.decrypt(out.rawEnc!, RAW_CONTEXT)).toContain('110101199003071234');
    const doc = buildFacts('case-1', START, [
      { category: 'tax', kind: 'answered', outcome: out, mandatory: false },
    ]);
    expect(doc.facts['tax.invoiced_sales.monthly']).toMatchObject({
      value: null,
      status: 'missing',
      reason: 'subject_mismatch',
    });
  });

  it('records a business error code and a value that does not fit its mapping', async () => {
    const f = fetcher();
    expect((await f.fetch(provider(settings('/biz-error')), SUBJECT, consent)).error?.code).toBe(
      'PROVIDER_ERROR',
    );
    const reg = provider(
      settings('/bad-date', {
        category: 'registration',
        response: {
          statusPath: 'code',
          okValues: ['0000'],
          subject: { idNumber: 'data.person.idcard', name: 'data.person.name' },
          facts: { 'registration.established_date': { path: 'data.reg.since', type: 'date' } },
        },
      }),
    );
    expect((await f.fetch(reg, SUBJECT, consent)).error?.code).toBe('MAPPING');
  });

  it('reports an unreachable partner as NETWORK', async () => {
    const out = await fetcher().fetch(
      provider({ ...settings('/ok'), url: 'http://127.0.0.1:9/none' }),
      SUBJECT,
      consent,
    );
    expect(out.error?.code).toBe('NETWORK');
  });
});

describe('paths and amounts', () => {
  it('reads dotted paths with array indexes and nothing else', () => {
    const doc = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(readPath(doc, 'a.b[1].c')).toBe(2);
    expect(readPath(doc, 'a.b.0.c')).toBe(1);
    expect(readPath(doc, 'a.constructor')).toBeUndefined();
    expect(readPath(doc, 'a.b.x')).toBeUndefined();
  });

  it('turns any yuan amount with up to two decimals into the same number of fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const sign = fen < 0 ? '-' : '';
        const a = Math.abs(fen);
        const text = `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
        expect(yuanToFen(text)).toBe(fen);
      }),
    );
    expect(yuanToFen('1,234.5')).toBe(123_450);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen('abc')).toBeNull();
  });
});
