import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import zh from '../../src/locales/desk.zh-CN.json';
import { CHECK_CODES, DESK_ERROR_CODES, OPINION_KINDS } from '../../src/pages/staff/deskModel.js';

const STAFF = join(import.meta.dirname, '../../src/pages/staff');
const SOURCES = ['ExpertDesk.tsx', 'DeskInterview.tsx', 'deskModel.ts'].map((f) =>
  readFileSync(join(STAFF, f), 'utf8'),
);

describe('the expert desk’s dictionaries', () => {
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
