/**
 * Every pair of dictionaries (web/src/locales: the shared one and one per console area): the same keys in Chinese and
 * English, each area's keys under its own prefix, no blank text, and the same placeholders in both languages.
 */
import { describe, expect, it } from 'vitest';
import caseEn from '../src/locales/case.en-US.json';
import caseZh from '../src/locales/case.zh-CN.json';
import deskEn from '../src/locales/desk.en-US.json';
import deskZh from '../src/locales/desk.zh-CN.json';
import recordingsEn from '../src/locales/recordings.en-US.json';
import recordingsZh from '../src/locales/recordings.zh-CN.json';

type Dict = Record<string, string>;
const AREAS: [string, Dict, Dict][] = [
  ['console.case.', caseZh, caseEn],
  ['console.desk.', deskZh, deskEn],
  ['console.recordings.', recordingsZh, recordingsEn],
];
const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(AREAS)('the %s dictionaries', (prefix, zh, en) => {
  it('have the same keys in Chinese and English, all under the area’s prefix, none blank', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) {
      expect(k.startsWith(prefix), k).toBe(true);
      expect(v.trim(), k).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const k of Object.keys(zh)) expect(vars(en[k]!), k).toEqual(vars(zh[k]!));
  });
});
