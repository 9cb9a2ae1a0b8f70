import { ApiError, NETWORK_ERROR } from '../api/client.js';
import { hasKey, type Translate } from '../i18n.js';

/** The sentence shown for an error: ours for a known code, else the server's message, else a generic one. */
export function errorText(t: Translate, e: unknown): string {
  if (e instanceof ApiError) {
    const key = `error.${e.code}`;
    if (hasKey(key)) return t(key);
    if (e.code === NETWORK_ERROR) return t('error.NETWORK_ERROR');
    return t('error.generic', { message: e.message });
  }
  return t('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

/** The code of an ApiError, for branching on a refusal. */
export const errorCode = (e: unknown): string | undefined => (e instanceof ApiError ? e.code : undefined);
