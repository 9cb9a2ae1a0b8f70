/**
 * The consents, each shown in full with its own choice (《个人信息保护法》 art. 14: consent is specific to its purpose),
 * recorded with the interview session token. The recording consent is required to hold the interview.
 */
import { Button, Card, Checkbox, Tag } from 'antd-mobile';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../api/client.js';
import {
  decisionFor,
  isRequiredConsent,
  type ConsentText,
  type invitationApi,
} from '../../api/invitations.js';
import { errorText } from '../../components/errorText.js';
import { localized, useI18n } from '../../i18n.js';

const keyOf = (c: ConsentText) => `${c.id}@${c.version}`;

export function ConsentTextView({ text, children }: { text: ConsentText; children?: ReactNode }) {
  const { lang, t } = useI18n();
  const required = isRequiredConsent(text);
  return (
    <div className="wd-consent" data-testid={`consent-${text.id}`}>
      <h4>
        {localized(text.title, lang)}
        <Tag color={required ? 'danger' : 'default'} fill="outline">
          {required ? t('chat.consents.required') : t('chat.consents.optional')}
        </Tag>
      </h4>
      <p>{localized(text.body, lang)}</p>
      {children}
    </div>
  );
}

export function Consents(props: {
  texts: ConsentText[];
  api: ReturnType<typeof invitationApi>;
  sessionToken: string;
  onDone(): void;
  onSessionLost(e: unknown): void;
}) {
  const { lang, t } = useI18n();
  const [granted, setGranted] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const missingRequired = props.texts.some((c) => isRequiredConsent(c) && !granted[keyOf(c)]);

  const submit = async () => {
    if (missingRequired) return setError(t('chat.consents.needRequired'));
    setError(undefined);
    setBusy(true);
    try {
      await props.api.consents(
        props.sessionToken,
        'web',
        lang,
        props.texts.map((c) => decisionFor(c, Boolean(granted[keyOf(c)]))),
      );
      props.onDone();
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'SESSION_INVALID' || e.code === 'SESSION_EXPIRED'))
        return props.onSessionLost(e);
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wd-section" data-testid="consents">
      <Card title={t('chat.consents.heading')}>
        <p className="wd-muted" style={{ marginTop: 0 }}>
          {t('chat.consents.intro')}
        </p>
        <Button
          size="small"
          fill="outline"
          onClick={() => {
            setGranted(Object.fromEntries(props.texts.map((c) => [keyOf(c), true])));
            setError(undefined);
          }}
          data-testid="agree-all"
        >
          {t('chat.consents.agreeAll')}
        </Button>
        {props.texts.map((c) => (
          <ConsentTextView key={keyOf(c)} text={c}>
            <Checkbox
              checked={Boolean(granted[keyOf(c)])}
              onChange={(v) => {
                setGranted((g) => ({ ...g, [keyOf(c)]: v }));
                setError(undefined);
              }}
            >
              {t('chat.consents.agree')}
            </Checkbox>
          </ConsentTextView>
        ))}
        {error && (
          <div className="wd-error" role="alert">
            {error}
          </div>
        )}
        <Button
          block
          color="primary"
          size="large"
          style={{ marginTop: 12 }}
          loading={busy}
          onClick={submit}
          data-testid="consents-submit"
        >
          {t('chat.consents.submit')}
        </Button>
      </Card>
    </div>
  );
}
