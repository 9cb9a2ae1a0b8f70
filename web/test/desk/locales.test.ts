import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/locales/desk.en-US.json';
import zh from '../../src/locales/desk.zh-CN.json';
import { CHECK_CODES, DESK_ERROR_CODES, OPINION_KINDS } from '../../src/pages/staff/deskModel.js';

const STAFF = join(import.meta.dirname, '../../src/pages/staff');
const SOURCES = ['ExpertDesk.tsx', 'DeskInterview.tsx', 'deskModel.ts'].map((f) =>
  readFileSync(join(STAFF, f), 'utf8'),
);

describe('the expert desk’s dictionaries', () => {
  it('have the same keys in Chinese and English, all under console.desk., none blank', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) {
      expect(k.startsWith('console.desk.')).toBe(true);
      expect(v.trim()).not.toBe('');
    }
  });

  it('keep the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh))
      expect(vars((en as Record<string, string>)[k]!), k).toEqual(vars((zh as Record<string, string>)[k]!));
  });

  it('hold every literal key the desk’s pages use', () => {
    const used = new Set(
      SOURCES.flatMap((s) => [...s.matchAll(/'(console\.desk\.[\w.]+\w)'/g)].map((m) => m[1]!)),
    );
    expect(used.size).toBeGreaterThan(50);
    for (const k of used) expect(zh, k).toHaveProperty([k]);
  });

  it('name every opinion kind, check code and review error', () => {
    for (const k of OPINION_KINDS) expect(zh).toHaveProperty([`console.desk.opinion.kinds.${k}`]);
    for (const c of CHECK_CODES) expect(zh).toHaveProperty([`console.desk.checkCode.${c}`]);
    for (const c of DESK_ERROR_CODES) expect(zh).toHaveProperty([`console.desk.error.${c}`]);
  });
});
