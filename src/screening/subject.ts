/**
 * Subjects: normalisation, the keyed subject hash used for cache keys (never the identifiers themselves), and the
 * check that a provider's answer is about the subject asked about.
 */
import type { Subject } from './types.js';

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

export function normaliseSubject(s: Subject): Subject {
  return {
    idNumber: norm(s.idNumber),
    name: s.name.normalize('NFKC').trim(),
    mobile: norm(s.mobile).replace(/^(?:\+86|0086)/, ''),
    uscc: s.uscc ? norm(s.uscc) : undefined,
  };
}

/** The canonical text of a subject, to be hashed with a key (`FieldCipher.lookupHash`): equal subjects, equal text. */
export const subjectText = (s: Subject) => {
  const n = normaliseSubject(s);
  return [n.idNumber, n.name, n.mobile, n.uscc ?? ''].join('\u0001');
};

/**
 * Whether an identifier echoed by a provider names the subject. Partners often mask the middle of an ID number
 * (`410225********1234`): masked characters (`*`, `X` is not a mask) match anything, the rest must be equal, and
 * at least half of the characters must be visible so that an all-stars echo proves nothing.
 */
export function echoMatches(echo: string, expected: string): boolean {
  const e = norm(echo);
  const x = norm(expected);
  if (e.length !== x.length || e.length === 0) return false;
  let visible = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === '*') continue;
    if (e[i] !== x[i]) return false;
    visible++;
  }
  return visible * 2 >= e.length;
}

/** Name echoes: masked names (`张*`, `*三`) compare the visible characters; a full name must be equal. */
export function nameEchoMatches(echo: string, expected: string): boolean {
  const e = echo.normalize('NFKC').trim();
  const x = expected.normalize('NFKC').trim();
  if (e.length !== x.length || e.length === 0) return false;
  let visible = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === '*') continue;
    if (e[i] !== x[i]) return false;
    visible++;
  }
  return visible > 0;
}
