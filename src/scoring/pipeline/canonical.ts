/** Canonical JSON, its SHA-256, and a path-by-path comparison of two JSON documents. Pure. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/chain.js';

export { canonicalJson };

export const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** SHA-256 of the canonical JSON of a value: equal content hashes equally whatever the key order. */
export const hashOf = (v: unknown) => sha256Hex(canonicalJson(v));

/** What JSON keeps of a value (undefined fields dropped), as stored in a jsonb column. */
export const asStored = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export interface Difference {
  path: string;
  recorded: unknown;
  replayed: unknown;
}

/** Every leaf path at which two JSON documents differ (at most `limit`), in document order. */
export function differences(recorded: unknown, replayed: unknown, limit = 200): Difference[] {
  const out: Difference[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit) return;
    const objA = a !== null && typeof a === 'object';
    const objB = b !== null && typeof b === 'object';
    if (objA && objB && Array.isArray(a) === Array.isArray(b)) {
      const keys = Array.isArray(a)
        ? Array.from({ length: Math.max(a.length, (b as unknown[]).length) }, (_, i) => String(i))
        : [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
      for (const k of keys)
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      return;
    }
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null))
      out.push({ path, recorded: a ?? null, replayed: b ?? null });
  };
  walk(recorded, replayed, '');
  return out;
}
