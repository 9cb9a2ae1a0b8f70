import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { findUnmaskedPersonalData } from '../../src/platform/mask.js';
import { DEMO_PASSWORD } from '../../src/platform/identity/seed.js';
import { type TestApp, buildTestApp } from '../helper.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('http surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ overrides: { bodyLimitBytes: 4096 } });
  });
  afterAll(async () => t?.close());

  it('answers /healthz and /readyz with the database check', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.database.status).toBe('ok');
    expect(ready.json().checks.redis.status).toBe(process.env.WEIDAI_REDIS_URL ? 'ok' : 'not_configured');
  });

  it('publishes the OpenAPI document with the login route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/users']),
    );
  });

  it('has every route of the OpenAPI document in the web client generated from it (web/src/api/schema.d.ts)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    const generated = readFileSync(join(ROOT, 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
    const inClient = new Set([...generated.matchAll(/^ {2}'(\/[^']*)': \{$/gm)].map((m) => m[1]));
    const missing = Object.keys(doc.paths).filter((path) => !inClient.has(path));
    expect(missing, 'run `npm run gen-api` in web/').toEqual([]);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MALFORMED_JSON');
  });

  it('names the fields of a body with wrong types', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 42, password: [] },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(new Set(body.details.fields.map((f: { path: string }) => f.path))).toEqual(
      new Set(['body.password', 'body.username']),
    );
  });

  it('refuses unknown fields on writes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD, role: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('refuses an oversize body with 413 BODY_TOO_LARGE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'x'.repeat(10_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('BODY_TOO_LARGE');
  });

  it('takes the client address from X-Forwarded-For only when a configured proxy sent it', async () => {
    const ipSeen = async (trustedProxies: string[], remoteAddress: string) => {
      const app = await buildApp({ ...t.ctx, config: { ...t.ctx.config, trustedProxies } });
      app.get('/__ip', async (req) => ({ ip: req.ip }));
      await app.ready();
      const res = await app.inject({
        method: 'GET',
        url: '/__ip',
        remoteAddress,
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      await app.close();
      return (res.json() as { ip: string }).ip;
    };
    expect(await ipSeen([], '198.51.100.7')).toBe('198.51.100.7');
    expect(await ipSeen(['10.0.0.0/8'], '198.51.100.7')).toBe('198.51.100.7');
    expect(await ipSeen(['10.0.0.0/8'], '10.1.2.3')).toBe('203.0.113.9');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers an unexpected error with INTERNAL_ERROR and the request id, logs it, and keeps serving', async () => {
    const logs: string[] = [];
    const app = await buildApp(t.ctx, {
      logStream: { write: (s: string) => void logs.push(s) },
    });
    app.get('/boom', async () => {
      throw new Error('database exploded: secret detail');
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(body.message).not.toContain('secret detail');
    expect(body.details.requestId).toBe(res.headers['x-request-id']);
    expect(logs.join('\n')).toContain(body.details.requestId);
    expect(logs.join('\n')).toContain('database exploded');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });

  it('never writes a password, a token or personal data to the log', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    const token = login.json().access_token as string;
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/me?token=${token}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: '11010519491231002X', password: '13812345678' },
    });
    const text = t.logs.join('\n');
    expect(text).not.toContain(DEMO_PASSWORD);
    expect(text).not.toContain(token);
    expect(findUnmaskedPersonalData(text)).toEqual([]);
  });
});

describe('web pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  it('serves index.html for client routes that want HTML and keeps JSON 404s for the API', async () => {
    const { existsSync } = await import('node:fs');
    const { WEB_DIST } = await import('../../src/platform/http/web.js');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.json().code).toBe('ROUTE_NOT_FOUND');
    const page = await t.app.inject({
      method: 'GET',
      url: '/i/some-invitation-token',
      headers: { accept: 'text/html' },
    });
    if (!existsSync(`${WEB_DIST}/index.html`)) {
      expect(page.statusCode).toBe(404);
      return;
    }
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<div id="root">');
  });
});
