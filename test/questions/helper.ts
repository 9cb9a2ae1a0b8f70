/**
 * Cases and interviews through the real API and services, for the catalogue and report tests: an officer
 * registers a grocery case with its IPC survey, and an interview session opens (its bank generated) without turns.
 */
import { expect } from 'vitest';
import type { Actor } from '../../src/platform/identity/permissions.js';
import { groceryCase } from '../cases/helper.js';
import type { TestApp } from '../helper.js';
import { groceryAnswers } from '../scoring/ipc/cases.js';

type Headers = { authorization: string };

export async function saveSurvey(
  t: TestApp,
  headers: Headers,
  caseId: string,
  answers: Record<string, unknown>,
) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/cases/${caseId}/survey/answers`,
    headers,
    payload: { answers: Object.fromEntries(Object.entries(answers).map(([k, value]) => [k, { value }])) },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A grocery case with the worked IPC survey answers; returns its id. */
export async function registerGroceryCase(t: TestApp, headers: Headers): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers,
    payload: groceryCase(),
  });
  expect(created.statusCode, created.body).toBe(201);
  const caseId = created.json<{ id: string }>().id;
  await saveSurvey(t, headers, caseId, groceryAnswers);
  return caseId;
}

/** Invites the applicant and opens the interview, which generates and stores its bank. */
export async function openInterview(t: TestApp, officer: Actor, caseId: string) {
  const inv = await t.ctx.cases.createInvitation(officer, caseId);
  return t.ctx.dialog.startOrResume({
    caseId,
    invitationId: inv.id,
    branchPath: officer.branchPath,
    lang: 'zh-CN',
  });
}

export async function actorOf(t: TestApp, headers: Headers): Promise<Actor> {
  return t.ctx.identity.authenticate(headers.authorization.slice('Bearer '.length));
}
