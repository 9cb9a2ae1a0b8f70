import { AppError } from '../errors.js';
import type { KvErrorHandler, MessageHandler } from './types.js';

export const kvClosed = () => new AppError('KV_CLOSED', 503, 'The key-value store has been closed');

export const kvUnavailable = (cause?: unknown) =>
  new AppError('KV_UNAVAILABLE', 503, 'The key-value store is not reachable', {
    cause: cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause),
  });

export const kvNotAnInteger = (key: string) =>
  new AppError('KV_NOT_AN_INTEGER', 500, 'The value at this key is not an integer counter', { key });

/** TTLs are whole milliseconds above zero; Redis refuses anything else, so the memory twin does too. */
export function checkTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new AppError('KV_BAD_TTL', 500, 'A TTL must be a positive number of milliseconds', { ttlMs });
  }
  return Math.ceil(ttlMs);
}

/**
 * Handler and connection errors are reported as process warnings unless the caller routes them to its logger:
 * a subscriber that throws must not take the process down, nor vanish.
 */
export const defaultKvErrorHandler: KvErrorHandler = (error, context) => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `kv ${context.source} error${context.channel ? ` on ${context.channel}` : ''}: ${message}`,
    {
      code: 'WEIDAI_KV',
    },
  );
};

/** Runs a subscription handler so that its failure, thrown or rejected, reaches `onError` and nothing else. */
export function deliver(handler: MessageHandler, message: string, channel: string, onError: KvErrorHandler) {
  try {
    Promise.resolve(handler(message)).catch((err: unknown) => onError(err, { channel, source: 'handler' }));
  } catch (err) {
    onError(err, { channel, source: 'handler' });
  }
}
