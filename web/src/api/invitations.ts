/**
 * The applicant's endpoints (src/cases/invitations.ts and src/cases/schemas.ts on the server), in one place so their
 * shapes are easy to adjust. They are called without the staff token: the invitation token and then the interview
 * session token travel in the body.
 */
import type { Api } from './client.js';

export interface LocalizedText {
  'zh-CN': string;
  'en-US': string;
}

export interface ConsentText {
  id: string;
  version: number;
  kind: 'screening' | 'recording';
  source?: string;
  title: LocalizedText | string;
  body: LocalizedText | string;
}

export interface OpenedInvitation {
  invitation_id: string;
  /** The applicant verified before: the identity check continues the interview begun then (another device). */
  resume?: boolean;
  bank: { name: string; name_en: string };
  /** Already masked by the server (张**). */
  applicant_name: string;
  expires_at: string;
  consent_texts: ConsentText[];
}

export interface OtpSent {
  /** The mobile on file, masked (138****5678). */
  sent_to: string;
  expires_in: number;
}

export interface Verified {
  session_token: string;
  expires_at: string;
  /** The interview began before; this device takes it over and any earlier one stops. */
  resume?: boolean;
  /** The recording consent is in force already: the consents need not be asked again. */
  recording_consented?: boolean;
  consent_texts: ConsentText[];
}

export interface ConsentDecision {
  kind: ConsentText['kind'];
  source?: string;
  text_id: string;
  text_version: number;
  granted: boolean;
}

export type Channel = 'web' | 'app' | 'wechat';

export const invitationApi = (api: Api) => ({
  open: (token: string) =>
    api.request<OpenedInvitation>('POST', '/api/v1/invitations/open', { token }, { auth: false }),
  sendOtp: (token: string, idLast4: string) =>
    api.request<OtpSent>('POST', '/api/v1/invitations/otp', { token, id_last4: idLast4 }, { auth: false }),
  verify: (token: string, idLast4: string, code: string) =>
    api.request<Verified>(
      'POST',
      '/api/v1/invitations/verify',
      { token, id_last4: idLast4, code },
      { auth: false },
    ),
  consents: (sessionToken: string, channel: Channel, lang: string, consents: ConsentDecision[]) =>
    api.request<unknown>(
      'POST',
      '/api/v1/invitations/consents',
      { session_token: sessionToken, channel, lang, consents },
      { auth: false },
    ),
});

/** The decision to record for a text, granted or not. */
export const decisionFor = (t: ConsentText, granted: boolean): ConsentDecision => ({
  kind: t.kind,
  ...(t.source ? { source: t.source } : {}),
  text_id: t.id,
  text_version: t.version,
  granted,
});

/** The recording consent is needed to hold the interview at all; each screening consent is the applicant's choice. */
export const isRequiredConsent = (t: ConsentText) => t.kind === 'recording';
