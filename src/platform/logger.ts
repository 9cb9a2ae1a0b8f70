/**
 * pino options for the whole service: personal data and secrets are redacted by path, and request logs carry only
 * method, route and id (no query strings, no bodies).
 */
import type { DestinationStream, LoggerOptions } from 'pino';
import { redactionPaths } from './mask.js';

/** The shared personal-data paths of mask.ts, plus the snake_case names the HTTP API uses. */
export const REDACT_PATHS = [
  ...redactionPaths,
  ...[
    'id_number',
    'bank_card',
    'new_password',
    'current_password',
    'access_token',
    'otp',
    'code',
    'api_key',
  ].flatMap((k) => [k, `*.${k}`]),
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
