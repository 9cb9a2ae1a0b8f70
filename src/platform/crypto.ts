/**
 * Per-field encryption of personal data at rest (ID number, name, mobile, bank card) and a keyed "blind index"
 * for exact look-ups, both derived from one 32-byte master key.
 *
 * Token format: `v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url parts, AES-256-GCM with a random 96-bit IV
 * (NIST SP 800-38D §8.2.2). The `v1.<keyId>` header is bound as additional authenticated data, so a token cannot
 * be relabelled; an optional caller context (e.g. `applicant.mobile`) is bound the same way.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const TOKEN_VERSION = 'v1';
const INFO_FIELD_ENC = 'weidai/field-enc/v1';
const INFO_LOOKUP = 'weidai/lookup/v1';
const INFO_KEY_ID = 'weidai/key-id/v1';

export const SECRET_KEY_ENV = 'WEIDAI_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret.key';

export interface FieldCipher {
  /** Key id of the key new tokens are written with. */
  readonly keyId: string;
  /** Encrypts with a fresh random IV; `context`, if given, must be given again to decrypt. */
  encrypt(plain: string, context?: string): string;
  /** Verifies and decrypts; throws AppError `DECRYPTION_FAILED` on a malformed, foreign or tampered token. */
  decrypt(token: string, context?: string): string;
  /** HMAC-SHA256 of the normalised value (NFKC, trimmed, upper case), base64url: equal inputs give equal hashes. */
  lookupHash(plain: string): string;
}

export interface FieldCipherOptions {
  /** Retired master keys still accepted by `decrypt`, so tokens written before a key rotation stay readable. */
  previousKeys?: Uint8Array[];
}

/** The sub-key for `info`, by HKDF-SHA256 (RFC 5869) with an empty salt: the master key is already uniform. */
function subKey(master: Uint8Array, info: string, length = KEY_BYTES): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, length));
}

/** A short public name for a master key (HKDF-derived, so it reveals nothing of the key). */
export function keyIdOf(master: Uint8Array): string {
  assertKeyLength(master);
  return subKey(master, INFO_KEY_ID, 6).toString('base64url');
}

function assertKeyLength(master: Uint8Array) {
  if (master.length !== KEY_BYTES) {
    throw new AppError(
      'SECRET_KEY_INVALID',
      500,
      `The master key must be ${KEY_BYTES} bytes, got ${master.length}`,
    );
  }
}

const decryptionFailed = (reason: string) =>
  new AppError('DECRYPTION_FAILED', 500, 'A stored personal-data field could not be decrypted', { reason });

/** Normalisation before the blind index, so that `11010519491231002x ` finds `11010519491231002X`. */
export const normaliseForLookup = (plain: string) => plain.normalize('NFKC').trim().toUpperCase();

/**
 * A cipher for personal-data fields derived from `masterKey` (32 bytes). Holds its sub-keys in the closure; no
 * module state.
 */
export function createFieldCipher(masterKey: Uint8Array, options: FieldCipherOptions = {}): FieldCipher {
  assertKeyLength(masterKey);
  const keyId = keyIdOf(masterKey);
  const encKeys = new Map<string, Buffer>();
  for (const k of [masterKey, ...(options.previousKeys ?? [])]) {
    const id = keyIdOf(k);
    if (!encKeys.has(id)) encKeys.set(id, subKey(k, INFO_FIELD_ENC));
  }
  const encKey = encKeys.get(keyId)!;
  const lookupKey = subKey(masterKey, INFO_LOOKUP);

  const aad = (kid: string, context: string | undefined) =>
    Buffer.from(`${TOKEN_VERSION}.${kid}` + (context === undefined ? '' : `\u0000${context}`), 'utf8');

  return {
    keyId,

    encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(keyId, context));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        TOKEN_VERSION,
        keyId,
        iv.toString('base64url'),
        ct.toString('base64url'),
        tag.toString('base64url'),
      ].join('.');
    },

    decrypt(token, context) {
      if (typeof token !== 'string') throw decryptionFailed('malformed');
      const parts = token.split('.');
      if (parts.length !== 5 || parts[0] !== TOKEN_VERSION) throw decryptionFailed('malformed');
      const [, kid, ivB64, ctB64, tagB64] = parts as [string, string, string, string, string];
      const key = encKeys.get(kid);
      if (!key) throw decryptionFailed('unknown_key');
      const iv = Buffer.from(ivB64, 'base64url');
      const ct = Buffer.from(ctB64, 'base64url');
      const tag = Buffer.from(tagB64, 'base64url');
      // Node's base64 decoder skips stray characters and ignores padding bits; only the canonical text of each
      // part is accepted, so a token has exactly one spelling. A short tag is refused: GCM would verify it.
      if (
        iv.length !== IV_BYTES ||
        tag.length !== TAG_BYTES ||
        iv.toString('base64url') !== ivB64 ||
        ct.toString('base64url') !== ctB64 ||
        tag.toString('base64url') !== tagB64
      ) {
        throw decryptionFailed('malformed');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(kid, context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
      } catch {
        throw decryptionFailed('authentication_failed');
      }
    },

    lookupHash(plain) {
      return createHmac('sha256', lookupKey).update(normaliseForLookup(plain), 'utf8').digest('base64url');
    },
  };
}

/** Constant-time comparison of two lookup hashes (for callers that compare in memory rather than in SQL). */
export function lookupHashesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

// ---------------------------------------------------------------------------------------------------------------
// Master key loading

export interface LoadedMasterKey {
  key: Buffer;
  keyId: string;
  source: 'env' | 'file';
  /** The key file's path when `source` is `file`. */
  path?: string;
  /** True when this call generated the key file. */
  created: boolean;
  /** Things the operator should hear about (e.g. permissions that were tightened); log them at warn level. */
  warnings: string[];
}

export interface LoadMasterKeyOptions {
  env: Record<string, string | undefined>;
  /** The service's state folder; the key file is `<varDir>/secret.key`. */
  varDir: string;
}

/** Parses 64 hex characters or base64/base64url of exactly 32 bytes; null for anything else. */
export function parseKeyText(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t) || /^[A-Za-z0-9_-]{43}$/.test(t)) {
    const buf = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    // Node's decoder is lenient; round-tripping refuses non-canonical trailing bits.
    const canonical = buf.toString('base64url');
    if (
      buf.length === KEY_BYTES &&
      canonical === t.replace(/=$/, '').replace(/\+/g, '-').replace(/\//g, '_')
    ) {
      return buf;
    }
  }
  return null;
}

const octal = (mode: number) => '0' + (mode & 0o777).toString(8);

/**
 * The master key, from `WEIDAI_SECRET_KEY` (64 hex characters or base64 of 32 bytes) or else from
 * `<varDir>/secret.key`, which is generated (mode 0600, folder created 0700) on first run. A key file readable by
 * group or others is tightened to 0600 and a warning says so. A set-but-invalid environment key is refused with
 * `SECRET_KEY_INVALID`, never silently replaced by the file.
 */
export function loadMasterKey({ env, varDir }: LoadMasterKeyOptions): LoadedMasterKey {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined) {
    const key = parseKeyText(fromEnv);
    if (!key) {
      throw new AppError(
        'SECRET_KEY_INVALID',
        500,
        `${SECRET_KEY_ENV} must be 64 hex characters or the base64 of 32 random bytes` +
          (fromEnv.trim() === '' ? ' (it is set but empty; unset it to use the key file)' : ''),
        { variable: SECRET_KEY_ENV },
      );
    }
    return { key, keyId: keyIdOf(key), source: 'env', created: false, warnings: [] };
  }

  const path = join(varDir, SECRET_KEY_FILE);
  mkdirSync(varDir, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  let created = false;
  if (!fileExists(path)) created = createKeyFileExclusively(path);

  const mode = statSync(path).mode;
  if ((mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    warnings.push(
      `The key file ${path} had mode ${octal(mode)} (readable by others); it was changed to 0600.`,
    );
  }
  const key = parseKeyText(readFileSync(path, 'utf8'));
  if (!key) {
    throw new AppError(
      'SECRET_KEY_FILE_INVALID',
      500,
      `The key file ${path} does not hold 64 hex characters or the base64 of 32 bytes`,
      { path },
    );
  }
  return { key, keyId: keyIdOf(key), source: 'file', path, created, warnings };
}

function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Writes a new key to a private temporary file and hard-links it into place, so two instances starting at once
 * never see a half-written key and only one key wins. Returns false when another process won.
 */
function createKeyFileExclusively(path: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(KEY_BYTES).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(tmp, 0o600);
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}
