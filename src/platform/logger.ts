/**
 * pino options for the whole service: personal data and secrets are redacted by path, and request logs carry only
 * method, route and id (no query strings, no bodies).
 */
import type { DestinationStream, LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  '*.password',
  '*.new_password',
  '*.current_password',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  '*.idNumber',
  '*.id_number',
  '*.residentId',
  '*.mobile',
  '*.phone',
  '*.name',
  '*.bankCard',
  '*.bank_card',
  '*.otp',
  '*.code_plain',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        // The path only: query strings may carry tokens.
        url: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export type LogDestination = DestinationStream;
