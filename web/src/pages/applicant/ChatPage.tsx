/**
 * The applicant's page at /i/:token, opened from the invitation link or QR code: welcome and identity check, the
 * consents, the interview as a chat, the end. Made for a 375 px phone screen and an app WebView. What it needs to
 * resume after a reload is in sessionStorage (interview/storage.ts).
 */
import { Button, ConfigProvider, ErrorBlock, NavBar, SpinLoading, unstableSetRender } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { useParams } from 'react-router';
import { ApiError, createApi } from '../../api/client.js';
import { invitationApi, type ConsentText, type OpenedInvitation } from '../../api/invitations.js';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import {
  clearInterview,
  loadInterview,
  saveInterview,
  type StoredInterview,
} from '../../interview/storage.js';
import { Consents } from './Consents.js';
import { Interview } from './Interview.js';
import { Welcome } from './Welcome.js';
import './chat.css';

// antd-mobile renders Toast and Dialog with ReactDOM.render, which React 19 removed; this is its documented switch
// (https://mobile.ant.design/guide/v5-for-19).
unstableSetRender((node, container) => {
  const c = container as Element & { _wdRoot?: Root };
  c._wdRoot ??= createRoot(c);
  const root = c._wdRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete c._wdRoot;
  };
});

type Stage =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; retry: boolean }
  | { kind: 'welcome'; invitation: OpenedInvitation }
  | { kind: 'consents'; stored: StoredInterview }
  | { kind: 'chat'; stored: StoredInterview }
  | { kind: 'ended'; stored: StoredInterview };

/** Refusals that a retry cannot fix. */
const FINAL_CODES = new Set([
  'INVITATION_NOT_FOUND',
  'VALIDATION_FAILED',
  'INVITATION_USED',
  'INVITATION_REVOKED',
  'INVITATION_LOCKED',
  'INVITATION_EXPIRED',
  'TOO_MANY_ATTEMPTS',
]);

export default function ChatPage() {
  const { token = '' } = useParams();
  const { lang, setLang, t } = useI18n();
  const api = useMemo(() => createApi({ token: () => undefined, lang: () => lang }), [lang]);
  const inv = useMemo(() => invitationApi(api), [api]);
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const fail = useCallback(
    (e: unknown) => {
      const final = e instanceof ApiError && FINAL_CODES.has(e.code);
      setStage({ kind: 'error', message: errorText(t, e), retry: !final });
    },
    [t],
  );

  useEffect(() => {
    const stored = loadInterview(token);
    if (stored) {
      setStage({ kind: stored.stage, stored });
      return;
    }
    let live = true;
    setStage({ kind: 'loading' });
    inv.open(token).then(
      (invitation) => live && setStage({ kind: 'welcome', invitation }),
      (e: unknown) => live && fail(e),
    );
    return () => {
      live = false;
    };
    // Opened once per link and per retry; a language switch must not open it again.
  }, [token, attempt]);

  const goto = (stored: StoredInterview) => {
    saveInterview(token, stored);
    setStage({ kind: stored.stage, stored });
  };

  const sessionLost = (e: unknown) => {
    clearInterview(token);
    fail(e);
  };

  let body;
  switch (stage.kind) {
    case 'loading':
      body = (
        <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
          <SpinLoading />
        </div>
      );
      break;
    case 'error':
      body = (
        <div className="wd-section" data-testid="chat-error">
          <ErrorBlock status="default" title={t('chat.error.title')} description={stage.message}>
            {stage.retry && (
              <Button color="primary" onClick={() => setAttempt((n) => n + 1)}>
                {t('common.retry')}
              </Button>
            )}
          </ErrorBlock>
        </div>
      );
      break;
    case 'welcome':
      body = (
        <Welcome
          invitation={stage.invitation}
          api={inv}
          linkToken={token}
          onVerified={(v) =>
            goto({
              sessionToken: v.session_token,
              // Back to an interview whose consents are given: straight to the chat, which resumes it.
              stage: v.recording_consented ? 'chat' : 'consents',
              bankName: stage.invitation.bank.name,
              consentTexts: (v.consent_texts?.length
                ? v.consent_texts
                : stage.invitation.consent_texts) as ConsentText[],
              lastSeq: 0,
              pending: [],
              transcript: [],
            })
          }
          onFatal={fail}
        />
      );
      break;
    case 'consents':
      body = (
        <Consents
          texts={stage.stored.consentTexts ?? []}
          api={inv}
          sessionToken={stage.stored.sessionToken}
          onDone={() => goto({ ...stage.stored, stage: 'chat' })}
          onSessionLost={sessionLost}
        />
      );
      break;
    case 'chat':
    case 'ended':
      body = (
        <Interview
          linkToken={token}
          stored={stage.stored}
          onSessionLost={() => sessionLost(new ApiError('SESSION_INVALID', 401, 'session invalid'))}
        />
      );
      break;
  }

  return (
    <ConfigProvider locale={lang === 'en-US' ? enUS : zhCN}>
      <div className="wd-chat-page" data-stage={stage.kind}>
        <NavBar
          back={null}
          right={
            <button
              type="button"
              className="wd-lang"
              onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
              data-testid="lang-switch"
            >
              {t('lang.switch')}
            </button>
          }
        >
          {t('chat.title')}
        </NavBar>
        {body}
      </div>
    </ConfigProvider>
  );
}
