/**
 * Where one-time codes go. A real SMS gateway plugs in behind `SmsSender`; the default only logs, with the number
 * and the code masked, so a log reader cannot open someone else's interview.
 */
import { maskMobile } from '../platform/mask.js';

export interface SmsMessage {
  /** Bare 11-digit mainland mobile. */
  to: string;
  /** The one-time code. */
  code: string;
  /** The full text, for gateways that take one. */
  text: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/** The minimum of a pino logger this needs. */
export interface InfoLogger {
  info(obj: Record<string, unknown>, msg: string): void;
}

/** Logs `to` masked (138****5678) and the code as stars; sends nothing. */
export function createLoggingSmsSender(log: InfoLogger): SmsSender {
  return {
    async send(m) {
      log.info(
        { sms: { to: maskMobile(m.to), otpCode: '*'.repeat(m.code.length) } },
        'one-time code not sent: no SMS gateway is configured',
      );
    },
  };
}

/** For tests and the demo: keeps every message in memory. */
export function createCapturingSmsSender() {
  const sent: SmsMessage[] = [];
  return {
    sent,
    lastCodeTo(mobile: string): string | undefined {
      return sent.filter((m) => m.to === mobile).at(-1)?.code;
    },
    async send(m: SmsMessage) {
      sent.push(m);
    },
  };
}
