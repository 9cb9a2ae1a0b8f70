import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/cases/templates/index.js';
import { reconstructFinancials, runCrossChecks } from '../../src/scoring/ipc/index.js';
import { fakeClock } from '../../src/platform/deps.js';
import { groceryAnswers } from '../scoring/ipc/cases.js';
import { type CasesTestApp, buildCasesTestApp, groceryCase, personalDataIn } from './helper.js';
import { encodeJpeg } from './jpeg-encode.js';
import { encodePng, scene } from './png.js';

const GPS = { lat: 34.8213, lng: 114.8123, accuracy: 12 };

describe('cases: the officer’s survey, photos, financials and cross-checks', () => {
  const clock = fakeClock(new Date('2026-03-12T02:00:00Z'));
  let t: CasesTestApp;
  let officer: { authorization: string };
  let caseId: string;
  beforeAll(async () => {
    t = await buildCasesTestApp({ clock });
    officer = await t.loginAs('loan_officer');
    caseId = (
      await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: officer, payload: groceryCase() })
    ).json().id;
  });
  afterAll(async () => t?.close());

  const put = (answers: Record<string, unknown>, id = caseId, headers = officer) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${id}/survey/answers`,
      headers,
      payload: {
        answers: Object.fromEntries(Object.entries(answers).map(([k, value]) => [k, { value, gps: GPS }])),
      },
    });
  const get = (path: string, headers = officer) =>
    t.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}${path}`, headers });

  it('starts with the newest template of the case’s sector and no answers', async () => {
    const res = await get('/survey');
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ status: 'draft', answers: {}, rejected: {}, template: { sector: 'grocery' } });
    expect(s.visible_questions).toContain('takings_normal_day');
    expect(s.issues.some((i: { code: string }) => i.code === 'REQUIRED')).toBe(true);
  });

  it('saves answers in parts and resumes them, each with its time and GPS position', async () => {
    const entries = Object.entries(groceryAnswers);
    const half = Math.floor(entries.length / 2);
    expect((await put(Object.fromEntries(entries.slice(0, half)))).statusCode).toBe(200);
    clock.advance(15 * 60_000);
    const second = await put(Object.fromEntries(entries.slice(half)));
    expect(second.statusCode).toBe(200);
    const s = (await get('/survey')).json();
    expect(Object.keys(s.answers).sort()).toEqual(Object.keys(groceryAnswers).sort());
    expect(s.answers[entries[0]![0]]).toMatchObject({ answered_at: '2026-03-12T02:00:00.000Z', gps: GPS });
    expect(s.answers[entries[half]![0]].answered_at).toBe('2026-03-12T02:15:00.000Z');
    expect(s.issues).toEqual([]);
    expect(Object.keys(s.computed).length).toBeGreaterThan(0);
    const c = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: officer });
    expect(c.json().status).toBe('surveying');
  });

  it.each([
    ['a margin over 100%', { gross_margin_claimed_pct: 120 }, 'MARGIN_OVER_100'],
    ['a unit that does not measure money', { takings_normal_day: { value: 4, unit: 'kg' } }, 'UNIT_MISMATCH'],
    ['a negative quantity', { takings_normal_day: -4000 }, 'IMPOSSIBLE_QUANTITY'],
    ['a fractional number of days', { trading_days_per_month: 27.5 }, 'IMPOSSIBLE_QUANTITY'],
    ['an unknown question', { no_such_question: 1 }, 'UNKNOWN_QUESTION'],
  ])(
    'refuses %s with 422 %s, keeps it aside, and saves the good answer sent with it',
    async (_, bad, code) => {
      const res = await put({ ...bad, rent_monthly: 2100 });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe(code);
      const [qid] = Object.keys(bad);
      expect(res.json().details).toMatchObject({
        saved: ['rent_monthly'],
        issues: [{ question_id: qid, code }],
      });
      const s = (await get('/survey')).json();
      expect(s.answers.rent_monthly.value).toBe(2100);
      expect(s.rejected[qid!]).toMatchObject({ value: Object.values(bad)[0], issues: [{ code }] });
      // The earlier good answer to the same question is still there.
      if (qid! in groceryAnswers) expect(s.answers[qid!].value).toEqual(groceryAnswers[qid!]);
      expect(
        (
          await put({
            rent_monthly: 2000,
            ...(qid! in groceryAnswers ? { [qid!]: groceryAnswers[qid!] } : {}),
          })
        ).statusCode,
      ).toBe(200);
    },
  );

  it('rebuilds the financials from the saved answers exactly as the pure function does', async () => {
    const res = await get('/financials');
    expect(res.statusCode).toBe(200);
    const expected = reconstructFinancials(getTemplate('ipc_grocery'), groceryAnswers);
    expect(res.json().financials).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(res.json().financials.pnlMonthly.revenue.amountFen).toBeGreaterThan(0);
  });

  it('runs the cross-checks and lists the doubts the interview will aim at', async () => {
    const res = await get('/crosschecks');
    expect(res.statusCode).toBe(200);
    const expected = runCrossChecks(reconstructFinancials(getTemplate('ipc_grocery'), groceryAnswers));
    expect(res.json().checks).toEqual(JSON.parse(JSON.stringify(expected)));
    for (const d of res.json().doubts) expect(['warn', 'fail']).toContain(d.level);
  });

  it('gives the interview the same analysis without a caller, and no financials for a case without a survey', async () => {
    const a = await t.ctx.cases.analysisForInterview(caseId);
    expect(a?.sector).toBe('grocery');
    expect(JSON.parse(JSON.stringify(a!.checks))).toEqual((await get('/crosschecks')).json().checks);
    const empty = (
      await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: officer, payload: groceryCase() })
    ).json().id;
    const bare = await t.ctx.cases.analysisForInterview(empty);
    expect(bare).toMatchObject({ sector: 'grocery', answers: {}, doubts: [] });
    expect(bare.financials).toBeUndefined();
    const blocked = await t.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${empty}/financials`,
      headers: officer,
    });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().code).toBe('SURVEY_NOT_STARTED');
  });

  it('fails the sales check and raises a sales doubt when account inflows are 40% below the takings', async () => {
    const other = (
      await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: officer, payload: groceryCase() })
    ).json().id;
    expect((await put(groceryAnswers, other)).statusCode).toBe(200);
    const revenueFen = (
      await t.app.inject({ method: 'GET', url: `/api/v1/cases/${other}/financials`, headers: officer })
    ).json().financials.pnlMonthly.revenue.amountFen as number;
    // inflows / (1 − cash share 40%) = 60% of the reported sales.
    const wechat = Math.round((revenueFen / 100) * 0.6 * 0.6);
    expect((await put({ inflow_bank: 0, inflow_alipay: 0, inflow_wechat: wechat }, other)).statusCode).toBe(
      200,
    );
    const cc = (
      await t.app.inject({ method: 'GET', url: `/api/v1/cases/${other}/crosschecks`, headers: officer })
    ).json();
    const inflowCheck = cc.checks.find((c: { name: string }) => c.name === 'sales.inflows');
    expect(inflowCheck.verdict).toBe('fail');
    expect(inflowCheck.deviationPct).toBeCloseTo(40, 0);
    expect(cc.doubts.find((d: { factId: string }) => d.factId === 'sales.monthly')).toMatchObject({
      level: 'fail',
    });
  });

  it('refuses the survey of another outlet’s case with 404 and survey writes by the remote expert with 403', async () => {
    const b = await get('/survey', await t.loginAs('loan_officer_b'));
    expect(b.statusCode).toBe(404);
    const expert = await put({ rent_monthly: 1 }, caseId, await t.loginAs('remote_expert'));
    expect(expert.statusCode).toBe(403);
    expect((await get('/survey', await t.loginAs('remote_expert'))).statusCode).toBe(200);
  });

  it('refuses to submit an incomplete survey with 422 SURVEY_INCOMPLETE', async () => {
    const fresh = (
      await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: officer, payload: groceryCase() })
    ).json().id;
    expect((await put({ takings_normal_day: 3000 }, fresh)).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${fresh}/survey/submit`,
      headers: officer,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('SURVEY_INCOMPLETE');
    expect(res.json().details.issues.some((i: { code: string }) => i.code === 'REQUIRED')).toBe(true);
  });

  it('submits a complete survey, after which answers cannot change', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/survey/submit`,
      headers: officer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('submitted');
    const c = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: officer });
    expect(c.json().status).toBe('surveyed');
    const late = await put({ rent_monthly: 2500 });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('SURVEY_SUBMITTED');
  });

  describe('photos', () => {
    const upload = (body: Buffer | string | object, type: string, id = caseId, query = '') =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/photos${query}`,
        headers: { ...officer, 'content-type': type },
        payload: body as string,
      });

    it('stores a PNG with its SHA-256 and dHash, and reads it back', async () => {
      const png = encodePng(120, 90, scene(5));
      const res = await upload(
        png,
        'image/png',
        caseId,
        '?question_id=premises_photo&lat=34.82&lng=114.81&accuracy=8',
      );
      expect(res.statusCode).toBe(201);
      const p = res.json();
      expect(p).toMatchObject({
        mime: 'image/png',
        size_bytes: png.length,
        width: 120,
        height: 90,
        question_id: 'premises_photo',
      });
      expect(p.phash).toMatch(/^[0-9a-f]{16}$/);
      expect(p.gps).toEqual({ lat: 34.82, lng: 114.81, accuracy: 8 });
      const back = await t.app.inject({
        method: 'GET',
        url: `/api/v1/cases/${caseId}/photos/${p.id}`,
        headers: officer,
      });
      expect(back.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(back.rawPayload, png)).toBe(0);
    });

    it('flags the same premises photo reused on another case', async () => {
      const other = (
        await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: officer, payload: groceryCase() })
      ).json().id;
      const brighter = encodePng(
        240,
        180,
        (x, y) => scene(5)(x >> 1, y >> 1).map((v) => Math.min(255, v + 4)) as [number, number, number],
      );
      const res = await upload(brighter, 'image/png', other);
      expect(res.statusCode).toBe(201);
      expect(res.json().similar[0]).toMatchObject({ case_id: caseId, same_case: false });
      expect(res.json().similar[0].distance).toBeLessThan(5);
    });

    it('hashes a JPEG of the same premises and flags it against the PNG', async () => {
      const big = (x: number, y: number) => scene(6)(x >> 2, y >> 2);
      const first = await upload(encodePng(384, 256, big), 'image/png');
      const res = await upload(encodeJpeg(384, 256, big, { color: true }), 'image/jpeg');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ mime: 'image/jpeg', width: 384, height: 256 });
      expect(res.json().phash).toMatch(/^[0-9a-f]{16}$/);
      expect(res.json().similar.map((s: { photo_id: string }) => s.photo_id)).toContain(first.json().id);
    });

    it('accepts a JPEG it cannot decode, without a perceptual hash', async () => {
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
      const res = await upload(jpeg, 'image/jpeg');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ mime: 'image/jpeg', phash: null });
    });

    it.each([
      ['a PDF sent as image/jpeg', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'image/jpeg'],
      ['JSON', { photo: 'x' }, 'application/json'],
      ['an empty body', Buffer.alloc(0), 'application/octet-stream'],
    ])('refuses %s with 415 NOT_AN_IMAGE', async (_, body, type) => {
      const res = await upload(body, type);
      expect(res.statusCode).toBe(415);
      expect(res.json().code).toBe('NOT_AN_IMAGE');
    });

    it('refuses a photo over 5 MB with 413 PHOTO_TOO_LARGE', async () => {
      const big = Buffer.concat([encodePng(10, 10, scene(1)), Buffer.alloc(5 * 1024 * 1024)]);
      const res = await upload(big, 'image/png');
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('PHOTO_TOO_LARGE');
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/v1/cases/${caseId}/photos`,
        headers: officer,
      });
      expect(list.json().every((p: { size_bytes: number }) => p.size_bytes < 5 * 1024 * 1024)).toBe(true);
    });
  });

  it('never writes personal data to the logs', () => {
    expect(personalDataIn(t.logs.join('\n'))).toEqual([]);
  });
});
