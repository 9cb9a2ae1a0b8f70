/**
 * The interview as a chat over the WebSocket protocol: questions on the left, answers on the right, quick replies
 * as buttons, a typing indicator, a banner while reconnecting, and an end screen. The protocol itself is in
 * interview/wsClient.ts; this component only shows what it reports and keeps it in sessionStorage.
 */
import { Button, DotLoading, NoticeBar, Result, TextArea, Toast } from 'antd-mobile';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ApiError } from '../../api/client.js';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import { ENDING_STATUS, endingOf } from '../../interview/ending.js';
import { interviewSocketUrl, newClientMsgId } from '../../interview/ids.js';
import { saveInterview, type ChatItem, type StoredInterview } from '../../interview/storage.js';
import {
  closeReasonKey,
  createWsClient,
  MAX_ANSWER_CHARS,
  type Choice,
  type ConnectionStatus,
  type SocketLike,
  type StopReason,
  type WsClient,
} from '../../interview/wsClient.js';

export function Interview(props: { linkToken: string; stored: StoredInterview; onSessionLost(): void }) {
  const { lang, t } = useI18n();
  const store = useRef<StoredInterview>(props.stored);
  const [transcript, setTranscript] = useState<ChatItem[]>(props.stored.transcript);
  const [end, setEnd] = useState(props.stored.stage === 'ended' ? (props.stored.end ?? null) : undefined);
  const [typing, setTyping] = useState(false);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [stopped, setStopped] = useState<StopReason>();
  const [generation, setGeneration] = useState(0);
  const [text, setText] = useState('');
  const client = useRef<WsClient | undefined>(undefined);
  const bottom = useRef<HTMLDivElement>(null);
  // The socket outlives renders; these let its callbacks see the current language and callbacks.
  const live = useRef({ t, lang, onSessionLost: props.onSessionLost });
  live.current = { t, lang, onSessionLost: props.onSessionLost };

  const write = (patch: Partial<StoredInterview>) => {
    store.current = { ...store.current, ...patch };
    saveInterview(props.linkToken, store.current);
  };
  const mutate = (f: (items: ChatItem[]) => ChatItem[]) => {
    const next = f(store.current.transcript);
    write({ transcript: next });
    setTranscript(next);
  };
  const finish = (e: { reason: string; text: string } | null) => {
    write({ stage: 'ended', ...(e ? { end: e } : {}) });
    setEnd(e);
    setTyping(false);
  };

  useEffect(() => {
    if (store.current.stage === 'ended') return;
    setStopped(undefined);
    const c = createWsClient({
      url: interviewSocketUrl(),
      token: store.current.sessionToken,
      lang: live.current.lang,
      resume: { lastSeq: store.current.lastSeq, pending: store.current.pending },
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      newId: newClientMsgId,
      onMessage: (m) =>
        mutate((items) =>
          items.some((i) => i.kind === 'bot' && i.seq === m.seq)
            ? items
            : [
                ...items,
                { kind: 'bot', seq: m.seq, text: m.text, ...(m.choices ? { choices: m.choices } : {}) },
              ],
        ),
      onAck: (id) =>
        mutate((items) =>
          items.map((i) => (i.kind === 'me' && i.clientMsgId === id ? { ...i, acked: true } : i)),
        ),
      onEcho: (e) =>
        mutate((items) =>
          items.some((i) => i.kind === 'me' && i.clientMsgId === e.clientMsgId)
            ? items.map((i) =>
                i.kind === 'me' && i.clientMsgId === e.clientMsgId ? { ...i, acked: true } : i,
              )
            : [...items, { kind: 'me', clientMsgId: e.clientMsgId, text: e.text, acked: true }],
        ),
      onTyping: setTyping,
      onStatus: setStatus,
      onServerError: (code, message) =>
        Toast.show({ content: errorText(live.current.t, new ApiError(code, 0, message)) }),
      onReset: () => mutate(() => []),
      onEnd: (e) => finish({ reason: e.reason, text: e.text }),
      onStop: (reason) => {
        if (reason === 'unauthenticated') return live.current.onSessionLost();
        if (reason === 'ended') {
          if (store.current.stage !== 'ended') finish(null);
          return;
        }
        if (reason !== 'closed') setStopped(reason);
      },
      onPersist: (s) => write({ lastSeq: s.lastSeq, pending: s.pending }),
    });
    client.current = c;
    c.start();
    const wake = () => {
      if (document.visibilityState === 'visible') c.reconnectNow();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    return () => {
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      c.stop();
      client.current = undefined;
    };
    // One client per generation; the callbacks read the latest values through refs.
  }, [generation]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [transcript.length, typing]);

  const send = (a: { text?: string; choice?: Choice }) => {
    const c = client.current;
    if (!c) return;
    const shown = a.choice ? a.choice.label : (a.text ?? '').trim();
    if (!shown) return;
    if (shown.length > MAX_ANSWER_CHARS) {
      Toast.show({ content: t('chat.input.tooLong', { n: MAX_ANSWER_CHARS }) });
      return;
    }
    const clientMsgId = a.choice ? c.answer({ choice: a.choice.id }) : c.answer({ text: shown });
    mutate((items) => [...items, { kind: 'me', clientMsgId, text: shown, acked: false }]);
    if (!a.choice) setText('');
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send({ text });
    }
  };

  if (end !== undefined) {
    const kind = endingOf(end?.reason);
    return (
      <div className="wd-section" data-testid="chat-end" data-ending={kind}>
        <Result
          status={ENDING_STATUS[kind]}
          title={t('chat.end.title')}
          description={
            <>
              <p style={{ fontSize: 16 }} data-testid="chat-end-text">
                {end?.text || t(`chat.end.${kind}`)}
              </p>
              <p className="wd-muted">{t('chat.end.closeHint')}</p>
            </>
          }
        />
      </div>
    );
  }

  const last = transcript[transcript.length - 1];
  const openChoices = last?.kind === 'bot' && last.choices?.length ? last.choices : undefined;

  return (
    <>
      {status === 'reconnecting' && !stopped && (
        <NoticeBar
          color="alert"
          content={t('chat.status.reconnecting')}
          wrap
          extra={
            <button type="button" className="wd-lang" onClick={() => client.current?.reconnectNow()}>
              {t('chat.status.reconnectNow')}
            </button>
          }
        />
      )}
      <div className="wd-messages" data-testid="messages" aria-live="polite">
        {transcript.length === 0 && status === 'connecting' && (
          <div className="wd-muted" style={{ textAlign: 'center' }}>
            {t('chat.status.connecting')}
          </div>
        )}
        {transcript.map((i) =>
          i.kind === 'bot' ? (
            <div className="wd-bubble-row bot" key={`b${i.seq}`} data-testid="bot-message" data-seq={i.seq}>
              <div className="wd-bubble">{i.text}</div>
            </div>
          ) : (
            <div
              className="wd-bubble-row me"
              key={`m${i.clientMsgId}`}
              data-testid="my-message"
              data-acked={i.acked}
            >
              {!i.acked && <span className="wd-bubble-meta">{t('chat.me.sending')}</span>}
              <div className="wd-bubble">{i.text}</div>
            </div>
          ),
        )}
        {openChoices && !stopped && (
          <div className="wd-choices" data-testid="choices">
            {openChoices.map((c) => (
              <Button
                key={c.id}
                size="middle"
                color="primary"
                fill="outline"
                onClick={() => send({ choice: c })}
              >
                {c.label}
              </Button>
            ))}
          </div>
        )}
        {typing && (
          <div className="wd-bubble-row bot" data-testid="typing">
            <div className="wd-bubble wd-typing">
              {t('chat.typing')}
              <DotLoading color="currentColor" />
            </div>
          </div>
        )}
        <div ref={bottom} />
      </div>
      {stopped ? (
        <div className="wd-stop" role="alert" data-testid="chat-stopped">
          {t(closeReasonKey(stopped))}
          {stopped !== 'ended' && (
            <Button block color="primary" onClick={() => setGeneration((g) => g + 1)}>
              {stopped === 'replaced' ? t('chat.stop.continueHere') : t('common.retry')}
            </Button>
          )}
        </div>
      ) : (
        <div className="wd-inputbar">
          <TextArea
            data-testid="answer-input"
            value={text}
            onChange={setText}
            onKeyDown={onKeyDown}
            placeholder={t('chat.input.placeholder')}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={MAX_ANSWER_CHARS}
            rows={1}
          />
          <Button color="primary" onClick={() => send({ text })} disabled={!text.trim()} data-testid="send">
            {t('chat.input.send')}
          </Button>
        </div>
      )}
    </>
  );
}
