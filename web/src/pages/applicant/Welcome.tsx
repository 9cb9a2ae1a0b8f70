/**
 * First screen of the invitation: who invites whom, the consents to be given (in full), and the identity check —
 * the last four characters of the resident ID, then a one-time code sent to the mobile the bank has on file.
 */
import { Button, Card, Input } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.js';
import type { invitationApi, OpenedInvitation, Verified } from '../../api/invitations.js';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import { ConsentTextView } from './Consents.js';

const ID_LAST4 = /^\d{3}[\dXx]$/;
const CODE = /^\d{6}$/;
/** Seconds before another code may be asked for; the server limits codes per hour as well. */
const RESEND_AFTER_S = 60;

/** Refusals after which this invitation cannot be used any more: the page shows a full-screen error. */
const LOCKING = new Set([
  'TOO_MANY_ATTEMPTS',
  'INVITATION_LOCKED',
  'INVITATION_EXPIRED',
  'INVITATION_REVOKED',
]);

export function Welcome(props: {
  invitation: OpenedInvitation;
  api: ReturnType<typeof invitationApi>;
  linkToken: string;
  onVerified(v: Verified): void;
  onFatal(e: unknown): void;
}) {
  const { invitation, api, linkToken } = props;
  const { lang, t } = useI18n();
  const [idLast4, setIdLast4] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<{ mobile: string; min: number }>();
  const [cooldown, setCooldown] = useState(0);
  const [busy, setBusy] = useState<'otp' | 'verify'>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (cooldown <= 0) return;
    const id = setTimeout(() => setCooldown((s) => s - 1), 1000);
    return () => clearTimeout(id);
  }, [cooldown]);

  const bank = lang === 'en-US' ? invitation.bank.name_en : invitation.bank.name;
  const expires = new Date(invitation.expires_at).toLocaleString(lang, { hour12: false });

  const refusal = (e: unknown) => {
    if (e instanceof ApiError && LOCKING.has(e.code)) return props.onFatal(e);
    const left = e instanceof ApiError ? e.details.attempts_left : undefined;
    setError(
      errorText(t, e) + (typeof left === 'number' ? ` ${t('chat.identity.attemptsLeft', { n: left })}` : ''),
    );
  };

  const sendOtp = async () => {
    if (!ID_LAST4.test(idLast4)) return setError(t('chat.identity.idLast4Invalid'));
    setError(undefined);
    setBusy('otp');
    try {
      const r = await api.sendOtp(linkToken, idLast4.toUpperCase());
      setSentTo({ mobile: r.sent_to, min: Math.round(r.expires_in / 60) });
      setCooldown(RESEND_AFTER_S);
    } catch (e) {
      refusal(e);
    } finally {
      setBusy(undefined);
    }
  };

  const verify = async () => {
    if (!ID_LAST4.test(idLast4)) return setError(t('chat.identity.idLast4Invalid'));
    if (!CODE.test(code)) return setError(t('chat.identity.codeInvalid'));
    setError(undefined);
    setBusy('verify');
    try {
      props.onVerified(await api.verify(linkToken, idLast4.toUpperCase(), code));
    } catch (e) {
      refusal(e);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="wd-section" data-testid="welcome">
      <Card>
        <div className="wd-kv">
          <span>{t('chat.welcome.bank')}</span>
          <span data-testid="bank-name">{bank}</span>
        </div>
        <div className="wd-kv">
          <span>{t('chat.welcome.applicant')}</span>
          <span data-testid="applicant-name">{invitation.applicant_name}</span>
        </div>
        {invitation.resume ? (
          <p className="wd-intro" data-testid="resume-note">
            {t('chat.welcome.resume')}
          </p>
        ) : (
          <p className="wd-intro">{t('chat.welcome.intro', { bank })}</p>
        )}
        <p className="wd-muted">{t('chat.welcome.expires', { time: expires })}</p>
      </Card>

      <Card title={t('chat.identity.heading')}>
        <div className="wd-field">
          <label htmlFor="wd-id-last4">{t('chat.identity.idLast4')}</label>
          <div className="wd-row">
            <Input
              id="wd-id-last4"
              data-testid="id-last4"
              value={idLast4}
              maxLength={4}
              placeholder={t('chat.identity.idLast4Placeholder')}
              onChange={(v) => setIdLast4(v.replace(/[^\dXx]/g, ''))}
              autoComplete="off"
            />
            <Button
              size="small"
              color="primary"
              fill="outline"
              loading={busy === 'otp'}
              disabled={cooldown > 0 || busy !== undefined}
              onClick={sendOtp}
              data-testid="send-otp"
            >
              {cooldown > 0 ? t('chat.identity.resendIn', { s: cooldown }) : t('chat.identity.sendCode')}
            </Button>
          </div>
          {sentTo && (
            <div className="wd-note" data-testid="otp-sent">
              {t('chat.identity.codeSent', { mobile: sentTo.mobile, min: sentTo.min })}
            </div>
          )}
        </div>
        <div className="wd-field">
          <label htmlFor="wd-code">{t('chat.identity.code')}</label>
          <Input
            id="wd-code"
            data-testid="otp-code"
            value={code}
            maxLength={6}
            inputMode="numeric"
            autoComplete="one-time-code"
            placeholder={t('chat.identity.codePlaceholder')}
            onChange={(v) => setCode(v.replace(/\D/g, ''))}
          />
        </div>
        {error && (
          <div className="wd-error" role="alert" data-testid="identity-error">
            {error}
          </div>
        )}
        <Button
          block
          color="primary"
          size="large"
          style={{ marginTop: 12 }}
          loading={busy === 'verify'}
          disabled={busy !== undefined || !sentTo}
          onClick={verify}
          data-testid="verify"
        >
          {t('chat.identity.verify')}
        </Button>
      </Card>

      <Card title={t('chat.welcome.consentsHeading')}>
        <p className="wd-muted" style={{ marginTop: 0 }}>
          {t('chat.welcome.consentsNote')}
        </p>
        {invitation.consent_texts.map((c) => (
          <ConsentTextView key={`${c.id}@${c.version}`} text={c} />
        ))}
      </Card>
    </div>
  );
}
