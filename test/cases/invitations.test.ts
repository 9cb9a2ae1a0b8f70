import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoggingSmsSender } from '../../src/cases/sms.js';
import { invitations } from '../../src/cases/tables.js';
import { auditEvents } from '../../src/platform/audit/tables.js';
import { fakeClock } from '../../src/platform/deps.js';
import {
  APPLICANT_ID,
  APPLICANT_MOBILE,
  type CasesTestApp,
  buildCasesTestApp,
  groceryCase,
  personalDataIn,
} from './helper.js';

const LAST4 = APPLICANT_ID.slice(-4);

describe('interview invitations and consents', () => {
  const clock = fakeClock(new Date('2026-03-12T02:00:00Z'));
  let t: CasesTestApp;
  let officer: { authorization: string };
  beforeAll(async () => {
    t = await buildCasesTestApp({ clock });
    officer = await t.loginAs('loan_officer');
  });
  afterAll(async () => t?.close());

  const newCase = async (over: Record<string, unknown> = {}) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: officer,
        payload: groceryCase(over),
      })
    ).json().id as string;
  const invite = (caseId: string, payload: object = {}, headers = officer) =>
    t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/invitations`, headers, payload });
  const pub = (path: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/invitations/${path}`, payload });
  const otp = async (token: string, idLast4 = LAST4, mobile = APPLICANT_MOBILE) => {
    const res = await pub('otp', { token, id_last4: idLast4 });
    return { res, code: t.sms.lastCodeTo(mobile) };
  };

  it('issues a link, QR codes (PNG and SVG) and deep links, and stores only the token’s hash', async () => {
    const caseId = await newCase();
    const res = await invite(caseId);
    expect(res.statusCode).toBe(201);
    const inv = res.json();
    expect(inv.link).toBe(`${t.config.publicUrl}/i/${inv.token}`);
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(inv.app_link).toBe(`weidai://interview?t=${inv.token}`);
    expect(inv.wechat_link).toContain(inv.token);
    expect(inv.qr_png_data_url).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(inv.qr_png_data_url.split(',')[1], 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(inv.qr_svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(inv.expires_at).toBe('2026-03-15T02:00:00.000Z');
    const rows = await t.ctx.db.select().from(invitations);
    expect(JSON.stringify(rows)).not.toContain(inv.token);
  });

  it('works once, for the right person, before it expires: open → code → verify → session → consents', async () => {
    const caseId = await newCase();
    const { token } = (await invite(caseId)).json();
    const open = await pub('open', { token });
    expect(open.statusCode).toBe(200);
    expect(open.json()).toMatchObject({ applicant_name: '张**', bank: { name: '兰考城关支行' } });
    expect(open.json().consent_texts.map((c: { id: string }) => c.id)).toContain('recording');
    expect(open.body).not.toContain('张建国');

    const { res, code } = await otp(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sent_to: '139****5678', expires_in: 300 });
    expect(code).toMatch(/^\d{6}$/);

    const verified = await pub('verify', { token, id_last4: LAST4, code });
    expect(verified.statusCode).toBe(200);
    const session = verified.json().session_token as string;
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.ctx.cases.resolveInterviewSession(session)).toMatchObject({
      caseId,
      recordingConsented: false,
    });

    expect(verified.json()).toMatchObject({ resume: false, recording_consented: false });
    // The code is single-use: verifying with it again is a wrong answer.
    const replay = await pub('verify', { token, id_last4: LAST4, code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('OTP_INVALID');

    expect(await t.ctx.cases.hasValidConsent(caseId, 'recording')).toBe(false);
    const consent = await pub('consents', {
      session_token: session,
      channel: 'wechat',
      lang: 'zh-CN',
      consents: [
        { kind: 'recording', text_id: 'recording', text_version: 1, granted: true },
        { kind: 'screening', source: 'credit', text_id: 'screening.credit', text_version: 1, granted: true },
        { kind: 'screening', source: 'tax', text_id: 'screening.tax', text_version: 1, granted: false },
      ],
    });
    expect(consent.statusCode).toBe(201);
    expect(consent.json()[0]).toMatchObject({ kind: 'recording', channel: 'wechat', text_version: 1 });
    expect(consent.json()[0].evidence_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await t.ctx.cases.hasValidConsent(caseId, 'recording')).toBe(true);
    expect(await t.ctx.cases.resolveInterviewSession(session)).toMatchObject({
      caseId,
      recordingConsented: true,
    });
    expect(await t.ctx.cases.hasValidConsent(caseId, 'screening', 'credit')).toBe(true);
    expect(await t.ctx.cases.hasValidConsent(caseId, 'screening', 'tax')).toBe(false);
    expect(await t.ctx.cases.hasValidConsent(caseId, 'screening', 'court')).toBe(false);

    // A later withdrawal is in force; the officer sees the history.
    await pub('consents', {
      session_token: session,
      channel: 'wechat',
      consents: [
        { kind: 'screening', source: 'credit', text_id: 'screening.credit', text_version: 1, granted: false },
      ],
    });
    expect(await t.ctx.cases.hasValidConsent(caseId, 'screening', 'credit')).toBe(false);
    const history = await t.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/consents`,
      headers: officer,
    });
    expect(history.json()).toHaveLength(4);
    const c = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: officer });
    expect(c.json().status).toBe('interviewing');
  });

  it('opens again after use for the same identity check, continuing the interview on the new device only', async () => {
    // A mobile of its own: the codes sent here must not use up the hourly quota of the other tests' mobile (in Redis,
    // the quota's expiry follows the real clock, not this file's).
    const mobile = '13722223333';
    const caseId = await newCase({ mobile });
    const { token } = (await invite(caseId)).json();
    await pub('open', { token });
    const first = await pub('verify', {
      token,
      id_last4: LAST4,
      code: (await otp(token, LAST4, mobile)).code,
    });
    const phoneA = first.json().session_token as string;
    await pub('consents', {
      session_token: phoneA,
      channel: 'web',
      lang: 'zh-CN',
      consents: [{ kind: 'recording', text_id: 'recording', text_version: 1, granted: true }],
    });

    // Another phone: the link opens as a resumption, and the same check is asked.
    const reopened = await pub('open', { token });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ resume: true, applicant_name: '张**' });
    expect((await otp(token, '0000', mobile)).res.json().code).toBe('ID_MISMATCH');
    const { res, code } = await otp(token, LAST4, mobile);
    expect(res.statusCode).toBe(200);
    const second = await pub('verify', { token, id_last4: LAST4, code });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ resume: true, recording_consented: true });
    const phoneB = second.json().session_token as string;
    expect(phoneB).not.toBe(phoneA);

    // The same interview (same invitation) on phone B; phone A's token no longer works.
    const a = await t.ctx.cases.resolveInterviewSession(phoneB);
    expect(a).toMatchObject({ caseId, recordingConsented: true });
    await expect(t.ctx.cases.resolveInterviewSession(phoneA)).rejects.toMatchObject({
      code: 'SESSION_INVALID',
    });
    const c = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: officer });
    expect(c.json().status).toBe('interviewing');
    const actions = (await t.ctx.db.select().from(auditEvents))
      .filter((e) => e.entityId === caseId)
      .map((e) => e.action);
    expect(actions.filter((x) => x.startsWith('invitation.'))).toEqual([
      'invitation.create',
      'invitation.open',
      'invitation.otp_sent',
      'invitation.verified',
      'invitation.check_failed',
      'invitation.otp_sent',
      'invitation.reverified',
    ]);

    // Wrong answers still count towards the lock, across both uses.
    for (let i = 0; i < 4; i++) await otp(token, '0000', mobile);
    const locked = await pub('open', { token });
    expect(locked.statusCode).toBe(410);
    expect(locked.json().code).toBe('INVITATION_LOCKED');
  });

  it('refuses a used invitation once it expires or a newer one replaces it', async () => {
    const mobile = '13722224444';
    const caseId = await newCase({ mobile });
    const { token } = (await invite(caseId)).json();
    await pub('verify', { token, id_last4: LAST4, code: (await otp(token, LAST4, mobile)).code });
    const { token: newer } = (await invite(caseId)).json();
    expect((await pub('open', { token })).json().code).toBe('INVITATION_REVOKED');
    const verified = await pub('verify', {
      token: newer,
      id_last4: LAST4,
      code: (await otp(newer, LAST4, mobile)).code,
    });
    expect(verified.statusCode).toBe(200);
    clock.advance(73 * 3600_000);
    try {
      const late = await pub('open', { token: newer });
      expect(late.statusCode).toBe(410);
      expect(late.json().code).toBe('INVITATION_EXPIRED');
    } finally {
      clock.advance(-73 * 3600_000); // the clock is shared by this file's tests
    }
  });

  it('refuses an expired invitation with 410 INVITATION_EXPIRED', async () => {
    const caseId = await newCase();
    const { token } = (await invite(caseId, { expires_in_hours: 2 })).json();
    clock.advance(2 * 3600_000 + 1);
    const res = await pub('open', { token });
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('INVITATION_EXPIRED');
    expect((await pub('otp', { token, id_last4: LAST4 })).json().code).toBe('INVITATION_EXPIRED');
  });

  it('revokes the previous invitation when a new one is issued', async () => {
    const caseId = await newCase();
    const first = (await invite(caseId)).json().token;
    const second = (await invite(caseId)).json().token;
    const res = await pub('open', { token: first });
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('INVITATION_REVOKED');
    expect((await pub('open', { token: second })).statusCode).toBe(200);
  });

  it('lists a case’s invitations to its staff, newest first, without tokens, the stale one as expired', async () => {
    const caseId = await newCase();
    const first = (await invite(caseId)).json();
    await pub('open', { token: first.token });
    clock.advance(1000);
    const second = (await invite(caseId, { expires_in_hours: 1 })).json();
    const list = async (headers = officer) =>
      t.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/invitations`, headers });
    const res = await list();
    expect(res.statusCode).toBe(200);
    const rows = res.json<Record<string, unknown>[]>();
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [second.id, 'active'],
      [first.id, 'revoked'],
    ]);
    expect(rows[1]).toMatchObject({
      opened_at: expect.any(String),
      revoked_at: expect.any(String),
      used_at: null,
    });
    // Nothing a token or a code could be read from.
    expect(JSON.stringify(rows)).not.toContain(first.token);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      [
        'created_at',
        'created_by',
        'expires_at',
        'failed_checks',
        'id',
        'opened_at',
        'revoked_at',
        'status',
        'used_at',
      ].sort(),
    );
    clock.advance(2 * 3600_000);
    expect((await list()).json<{ status: string }[]>()[0]!.status).toBe('expired');
    // Another branch's officer does not see the case; a role without case:read is refused.
    expect((await list(await t.loginAs('loan_officer_b'))).statusCode).toBe(404);
    expect((await list(await t.loginAs('admin'))).statusCode).toBe(403);
  });

  it('refuses wrong last-4 and wrong codes with 401 and locks the invitation after 5 wrong answers', async () => {
    const caseId = await newCase();
    const { token } = (await invite(caseId)).json();
    const wrongId = await pub('otp', { token, id_last4: LAST4 === '0000' ? '1111' : '0000' });
    expect(wrongId.statusCode).toBe(401);
    expect(wrongId.json()).toMatchObject({ code: 'ID_MISMATCH', details: { attempts_left: 4 } });
    const { code } = await otp(token);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (const left of [3, 2, 1]) {
      const res = await pub('verify', { token, id_last4: LAST4, code: wrongCode });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'OTP_INVALID', details: { attempts_left: left } });
    }
    const last = await pub('verify', { token, id_last4: LAST4, code: wrongCode });
    expect(last.statusCode).toBe(429);
    expect(last.json().code).toBe('TOO_MANY_ATTEMPTS');
    // Even the right code no longer opens it.
    const after = await pub('verify', { token, id_last4: LAST4, code });
    expect(after.statusCode).toBe(410);
    expect(after.json().code).toBe('INVITATION_LOCKED');
  });

  it('refuses an expired code with 401 OTP_EXPIRED', async () => {
    const caseId = await newCase();
    const { token } = (await invite(caseId)).json();
    const { code } = await otp(token);
    clock.advance(5 * 60_000 + 1);
    const res = await pub('verify', { token, id_last4: LAST4, code });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('OTP_EXPIRED');
  });

  it('sends at most 5 codes per mobile per hour (429 OTP_RATE_LIMITED)', async () => {
    // A different applicant mobile, so earlier tests’ codes do not count.
    const mobile = '13712345678';
    const caseId = await newCase({ mobile });
    const { token } = (await invite(caseId)).json();
    for (let i = 0; i < 5; i++) expect((await pub('otp', { token, id_last4: LAST4 })).statusCode).toBe(200);
    const sixth = await pub('otp', { token, id_last4: LAST4 });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('OTP_RATE_LIMITED');
    expect(t.sms.sent.filter((m) => m.to === mobile)).toHaveLength(5);
  });

  it('refuses an unknown token with 404, a session token that is not one with 401, and invitations across branches', async () => {
    expect((await pub('open', { token: 'x'.repeat(43) })).statusCode).toBe(404);
    const bad = await pub('consents', {
      session_token: 'y'.repeat(43),
      channel: 'web',
      consents: [{ kind: 'recording', text_id: 'recording', text_version: 1, granted: true }],
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('SESSION_INVALID');
    const caseId = await newCase();
    expect((await invite(caseId, {}, await t.loginAs('loan_officer_b'))).statusCode).toBe(404);
    expect((await invite(caseId, {}, await t.loginAs('remote_expert'))).statusCode).toBe(403);
  });

  it('records consents an officer collected on paper, and refuses a text of another kind', async () => {
    const caseId = await newCase();
    const post = (consents: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/consents`,
        headers: officer,
        payload: { channel: 'paper', evidence_sha256: 'a'.repeat(64), consents },
      });
    const ok = await post([
      { kind: 'screening', source: 'court', text_id: 'screening.court', text_version: 1, granted: true },
    ]);
    expect(ok.statusCode).toBe(201);
    expect(await t.ctx.cases.hasValidConsent(caseId, 'screening', 'court')).toBe(true);
    const mismatch = await post([
      { kind: 'screening', source: 'tax', text_id: 'screening.court', text_version: 1, granted: true },
    ]);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().code).toBe('CONSENT_TEXT_MISMATCH');
    const unknown = await post([
      { kind: 'recording', text_id: 'recording', text_version: 99, granted: true },
    ]);
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps personal data, codes and tokens out of the audit chain', async () => {
    // Payloads only: the chain's hex hashes hold digit runs the scanner would take for phone numbers.
    const rows = await t.ctx.db.select().from(auditEvents);
    const events = JSON.stringify(
      rows.map((r) => ({ actor: r.actor, action: r.action, payload: r.payload })),
    );
    expect(events).toContain('invitation.verified');
    for (const secret of [
      APPLICANT_ID,
      APPLICANT_MOBILE,
      '张建国',
      '李秀英',
      ...t.sms.sent.map((m) => m.code),
    ])
      expect(events).not.toContain(secret);
    expect(personalDataIn(events)).toEqual([]);
  });

  it('keeps codes, tokens and personal data out of the logs', () => {
    const text = t.logs.join('\n');
    expect(personalDataIn(text)).toEqual([]);
    for (const m of t.sms.sent) expect(text).not.toContain(`"${m.code}"`);
  });

  it('the default SMS sender logs the number and the code masked', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _e, cb) {
          lines.push(chunk.toString());
          cb();
        },
      }),
    );
    await createLoggingSmsSender(log).send({ to: APPLICANT_MOBILE, code: '482913', text: '验证码 482913' });
    const text = lines.join('');
    expect(text).toContain('139****5678');
    expect(text).toContain('******');
    expect(text).not.toContain('482913');
    expect(personalDataIn(text)).toEqual([]);
  });
});
