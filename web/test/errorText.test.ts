/**
 * The sentences shown for the server's refusals (`error.<CODE>` in the shared dictionaries): each names a code the
 * server really sends, in both languages, and errorText shows it instead of the server's English message.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_ERROR } from '../src/api/client.js';
import { errorText } from '../src/components/errorText.js';
import { translate } from '../src/i18n.js';
import en from '../src/locales/en-US.json';
import zh from '../src/locales/zh-CN.json';

/** Every TypeScript file of the server (../src), read as text. */
function serverSource(dir = new URL('../../src', import.meta.url).pathname): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out += serverSource(path);
    else if (name.endsWith('.ts')) out += readFileSync(path, 'utf8');
  }
  return out;
}

const codes = Object.keys(zh as Record<string, string>)
  .filter((k) => k.startsWith('error.') && k !== 'error.generic')
  .map((k) => k.slice('error.'.length));

describe('error texts', () => {
  it('name only codes the server sends (or the client’s own network error)', () => {
    const source = serverSource();
    // A not-found code is built from its entity: notFound('case') sends CASE_NOT_FOUND.
    const entities = new Set(
      [...source.matchAll(/notFound\('([a-z_]+)'/g)].map((m) => `${m[1]!.toUpperCase()}_NOT_FOUND`),
    );
    const unknown = codes.filter(
      (c) =>
        c !== NETWORK_ERROR && !entities.has(c) && !source.includes(`'${c}'`) && !source.includes(`"${c}"`),
    );
    expect(unknown).toEqual([]);
    expect(codes.length).toBeGreaterThan(50);
  });

  it('are shown in the reader’s language in place of the server’s English message', () => {
    const enDict = en as Record<string, string>;
    for (const code of codes) {
      const e = new ApiError(code, 409, 'English from the server');
      expect(errorText((k, v) => translate('zh-CN', k, v), e)).toBe(
        (zh as Record<string, string>)[`error.${code}`],
      );
      expect(errorText((k, v) => translate('en-US', k, v), e)).toBe(enDict[`error.${code}`]);
    }
    // A code without a text of its own still says what the server said.
    expect(errorText((k, v) => translate('zh-CN', k, v), new ApiError('SOMETHING_NEW', 409, 'boom'))).toBe(
      '操作失败：boom',
    );
  });
});
