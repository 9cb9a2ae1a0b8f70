import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/platform/deps.js';
import { DEMO_PASSWORD } from '../../src/platform/identity/seed.js';
import { type TestApp, buildTestApp } from '../helper.js';

const ROLES = ['admin', 'loan_officer', 'remote_expert', 'compliance', 'risk_manager', 'auditor'];

describe('identity', () => {
  const clock = fakeClock(new Date('2026-03-01T08:00:00Z'));
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ clock });
  });
  afterAll(async () => t?.close());

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

  it.each(ROLES)('logs in the demo user %s and returns a bearer token', async (role) => {
    const res = await login(role, DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 8 * 3600 });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: role, role });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const a = await login('remote_expert', 'not-the-password');
    const b = await login('nobody_here', 'not-the-password');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().code).toBe('INVALID_CREDENTIALS');
    expect(b.json()).toEqual(a.json());
  });

  it('locks the account for 15 minutes after 5 failed logins, then lets the right password in', async () => {
    for (let i = 0; i < 5; i++) expect((await login('risk_manager', `wrong-${i}`)).statusCode).toBe(401);
    const locked = await login('risk_manager', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    clock.advance(14 * 60_000);
    expect((await login('risk_manager', DEMO_PASSWORD)).statusCode).toBe(423);
    clock.advance(2 * 60_000);
    expect((await login('risk_manager', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('revokes the session on logout', async () => {
    const h = await t.loginAs('compliance');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h })).statusCode).toBe(
      204,
    );
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('TOKEN_INVALID');
  });

  it('expires a token after its lifetime', async () => {
    const h = await t.loginAs('auditor');
    clock.advance(8 * 3600_000 + 1000);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('TOKEN_EXPIRED');
  });

  it('revokes every session of a user whose password changes', async () => {
    const first = await t.loginAs('loan_officer_b');
    const second = await t.loginAs('loan_officer_b');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: first,
      payload: { current_password: DEMO_PASSWORD, new_password: 'a-new-long-password' },
    });
    expect(res.statusCode).toBe(204);
    for (const h of [first, second]) {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h })).statusCode).toBe(401);
    }
    expect((await login('loan_officer_b', 'a-new-long-password')).statusCode).toBe(200);
  });

  it('answers 401 UNAUTHORIZED without a token and TOKEN_INVALID with a made-up one', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHORIZED');
    const fake = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
    });
    expect(fake.json().code).toBe('TOKEN_INVALID');
  });

  describe('permissions and branch data scope', () => {
    it('lets only an administrator create users', async () => {
      const body = {
        username: 'new_officer',
        display_name: '新经理',
        role: 'loan_officer',
        branch_id: t.demo.branches.outletA!.id,
        password: 'long-enough-pw',
      };
      for (const role of ['loan_officer', 'remote_expert', 'auditor', 'compliance']) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: await t.loginAs(role),
          payload: body,
        });
        expect(res.statusCode, role).toBe(403);
        expect(res.json().code).toBe('PERMISSION_DENIED');
      }
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: await t.loginAs('admin'),
        payload: body,
      });
      expect(ok.statusCode).toBe(201);
      const dup = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: await t.loginAs('admin'),
        payload: body,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('USERNAME_TAKEN');
    });

    it('lets an auditor read everything and write nothing', async () => {
      const h = await t.loginAs('auditor');
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: h })).statusCode).toBe(200);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/branches', headers: h })).json(),
      ).toHaveLength(7);
      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/branches',
        headers: h,
        payload: { parent_id: t.demo.branches.union!.id, code: 'AUD-1', name: '审计', name_en: 'Audit' },
      });
      expect(write.statusCode).toBe(403);
    });

    it('shows a loan officer only its own outlet and answers 404 for another outlet', async () => {
      const h = await t.loginAs('loan_officer');
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/branches', headers: h });
      expect(list.json().map((b: { id: string }) => b.id)).toEqual([t.demo.branches.outletA!.id]);
      const other = await t.app.inject({
        method: 'GET',
        url: `/api/v1/branches/${t.demo.branches.outletB!.id}`,
        headers: h,
      });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('BRANCH_NOT_FOUND');
      const missing = await t.app.inject({
        method: 'GET',
        url: '/api/v1/branches/no-such-branch',
        headers: h,
      });
      // Another outlet's branch and a branch that does not exist look the same from outside.
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe(other.json().code);
    });

    it('scopes a county expert to its county subtree', async () => {
      const h = await t.loginAs('remote_expert');
      const ids = (await t.app.inject({ method: 'GET', url: '/api/v1/branches', headers: h }))
        .json()
        .map((b: { id: string }) => b.id);
      expect(new Set(ids)).toEqual(
        new Set([t.demo.branches.countyA!.id, t.demo.branches.outletA!.id, t.demo.branches.outletA2!.id]),
      );
    });

    it('keeps a county administrator out of users of another county', async () => {
      const admin = await t.loginAs('admin');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: {
          username: 'county_admin',
          display_name: '县管理员',
          role: 'admin',
          branch_id: t.demo.branches.countyB!.id,
          password: 'long-enough-pw',
        },
      });
      expect(created.statusCode).toBe(201);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'county_admin', password: 'long-enough-pw' },
      });
      const h = { authorization: `Bearer ${res.json().access_token}` };
      const users = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: h });
      expect(
        users
          .json()
          .map((u: { username: string }) => u.username)
          .sort(),
      ).toEqual(['county_admin', 'loan_officer_b']);
      const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: admin })).json();
      const outside = await t.app.inject({ method: 'GET', url: `/api/v1/users/${me.id}`, headers: h });
      expect(outside.statusCode).toBe(404);
    });
  });
});
