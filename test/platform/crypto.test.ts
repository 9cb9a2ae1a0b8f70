import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createFieldCipher, keyIdOf, loadMasterKey, parseKeyText } from '../../src/platform/crypto.js';
import { isAppError } from '../../src/platform/errors.js';

const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const otherKey = Buffer.alloc(32, 7);

const arbChineseName = fc.string({
  unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)),
  minLength: 1,
  maxLength: 4,
});

/** Expects `fn` to throw AppError DECRYPTION_FAILED and returns its reason. */
function decryptionFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isAppError(e) && e.code === 'DECRYPTION_FAILED') return String(e.details.reason);
    throw e;
  }
  throw new Error('expected DECRYPTION_FAILED, but nothing was thrown');
}

describe('createFieldCipher', () => {
  const cipher = createFieldCipher(key);

  it('round-trips any unicode string, Chinese names included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), arbChineseName),
        (s) => {
          expect(cipher.decrypt(cipher.encrypt(s))).toBe(s);
        },
      ),
      { numRuns: 300 },
    );
    expect(cipher.decrypt(cipher.encrypt('欧阳娜娜'))).toBe('欧阳娜娜');
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('writes the compact versioned form v1.<keyId>.<iv>.<ciphertext>.<tag>', () => {
    const token = cipher.encrypt('张三');
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(token.split('.')[1]).toBe(keyIdOf(key));
    expect(token).not.toContain('张三');
  });

  it('uses a different IV, and so a different token, every time', () => {
    const tokens = Array.from({ length: 50 }, () => cipher.encrypt('13812345678'));
    expect(new Set(tokens).size).toBe(50);
    expect(new Set(tokens.map((t) => t.split('.')[2])).size).toBe(50);
  });

  it('detects a change to any character of the IV, ciphertext or tag, padding bits included', () => {
    const token = cipher.encrypt('11010519491231002X');
    const headerLength = token.indexOf('.', 3) + 1;
    fc.assert(
      fc.property(
        fc.integer({ min: headerLength, max: token.length - 1 }),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/='),
        (pos, ch) => {
          fc.pre(token[pos] !== '.' && token[pos] !== ch);
          const tampered = token.slice(0, pos) + ch + token.slice(pos + 1);
          expect(decryptionFailure(() => cipher.decrypt(tampered))).toMatch(
            /authentication_failed|malformed/,
          );
        },
      ),
    );
  });

  it('refuses a token relabelled with another version or key id, or cut short', () => {
    const token = cipher.encrypt('13812345678');
    const [, , iv, ct, tag] = token.split('.') as [string, string, string, string, string];
    expect(decryptionFailure(() => cipher.decrypt(['v2', keyIdOf(key), iv, ct, tag].join('.')))).toBe(
      'malformed',
    );
    expect(decryptionFailure(() => cipher.decrypt(['v1', 'AAAAAAAA', iv, ct, tag].join('.')))).toBe(
      'unknown_key',
    );
    expect(decryptionFailure(() => cipher.decrypt(token.slice(0, -4)))).toBe('malformed');
    expect(decryptionFailure(() => cipher.decrypt('not a token'))).toBe('malformed');
  });

  it('refuses a token written under another master key', () => {
    const token = createFieldCipher(otherKey).encrypt('13812345678');
    expect(decryptionFailure(() => cipher.decrypt(token))).toBe('unknown_key');
  });

  it('binds the optional context: a token moved to another field does not decrypt', () => {
    const token = cipher.encrypt('13812345678', 'applicant.mobile');
    expect(cipher.decrypt(token, 'applicant.mobile')).toBe('13812345678');
    expect(decryptionFailure(() => cipher.decrypt(token, 'guarantor.mobile'))).toBe('authentication_failed');
    expect(decryptionFailure(() => cipher.decrypt(token))).toBe('authentication_failed');
  });

  it('still decrypts tokens of a retired key given as a previous key, and writes with the new one', () => {
    const oldToken = createFieldCipher(otherKey).encrypt('李四');
    const rotated = createFieldCipher(key, { previousKeys: [otherKey] });
    expect(rotated.decrypt(oldToken)).toBe('李四');
    expect(rotated.encrypt('李四').split('.')[1]).toBe(keyIdOf(key));
  });

  it('gives a stable lookup hash that ignores surrounding space, case and full-width forms', () => {
    const h = cipher.lookupHash('11010519491231002X');
    expect(createFieldCipher(key).lookupHash('11010519491231002X')).toBe(h);
    expect(cipher.lookupHash(' 11010519491231002x\t')).toBe(h);
    expect(cipher.lookupHash('１１０１０５１９４９１２３１００２ｘ')).toBe(h);
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives different lookup hashes for different values and under different keys', () => {
    expect(cipher.lookupHash('13812345678')).not.toBe(cipher.lookupHash('13812345679'));
    expect(createFieldCipher(otherKey).lookupHash('13812345678')).not.toBe(cipher.lookupHash('13812345678'));
  });

  it('derives the lookup hash from the HKDF sub-key labelled weidai/lookup/v1, not from the master key', () => {
    const lookupKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'weidai/lookup/v1', 32));
    const expected = createHmac('sha256', lookupKey).update('13812345678').digest('base64url');
    expect(cipher.lookupHash('13812345678')).toBe(expected);
    expect(cipher.lookupHash('13812345678')).not.toBe(
      createHmac('sha256', key).update('13812345678').digest('base64url'),
    );
  });

  it('refuses a master key of the wrong length', () => {
    expect(() => createFieldCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('loadMasterKey', () => {
  const dirs: string[] = [];
  const tempVarDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'weidai-key-'));
    dirs.push(d);
    return join(d, 'var');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the folder and a 0600 key file on first run, and reads the same key afterwards', () => {
    const varDir = tempVarDir();
    const first = loadMasterKey({ env: {}, varDir });
    expect(first.source).toBe('file');
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(join(varDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(varDir).mode & 0o077).toBe(0);

    const second = loadMasterKey({ env: {}, varDir });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.keyId).toBe(first.keyId);
  });

  it('tightens a key file readable by others to 0600 and says so', () => {
    const varDir = tempVarDir();
    loadMasterKey({ env: {}, varDir });
    const path = join(varDir, 'secret.key');
    chmodSync(path, 0o644);
    const loaded = loadMasterKey({ env: {}, varDir });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loaded.warnings.join(' ')).toMatch(/0644.*0600/);
  });

  it('refuses a key file that does not hold a key', () => {
    const varDir = tempVarDir();
    loadMasterKey({ env: {}, varDir });
    writeFileSync(join(varDir, 'secret.key'), 'hunter2\n', { mode: 0o600 });
    expect(() => loadMasterKey({ env: {}, varDir })).toThrow(
      expect.objectContaining({ code: 'SECRET_KEY_FILE_INVALID' }),
    );
  });

  it('takes the key from WEIDAI_SECRET_KEY as hex or base64 and writes no file', () => {
    const raw = randomBytes(32);
    for (const text of [
      raw.toString('hex'),
      raw.toString('hex').toUpperCase(),
      raw.toString('base64'),
      raw.toString('base64url'),
    ]) {
      const varDir = tempVarDir();
      const loaded = loadMasterKey({ env: { WEIDAI_SECRET_KEY: text }, varDir });
      expect(loaded.source).toBe('env');
      expect(loaded.key.equals(raw)).toBe(true);
      expect(existsSync(join(varDir, 'secret.key'))).toBe(false);
    }
  });

  it('refuses a bad WEIDAI_SECRET_KEY with SECRET_KEY_INVALID rather than falling back to the file', () => {
    const varDir = tempVarDir();
    const bad = [
      '',
      'secret',
      'ab'.repeat(31), // 31 bytes of hex
      'ab'.repeat(33),
      'zz'.repeat(32),
      randomBytes(24).toString('base64'),
      randomBytes(33).toString('base64'),
    ];
    for (const value of bad) {
      expect(() => loadMasterKey({ env: { WEIDAI_SECRET_KEY: value }, varDir }), value).toThrow(
        expect.objectContaining({
          code: 'SECRET_KEY_INVALID',
          message: expect.stringContaining('WEIDAI_SECRET_KEY'),
        }),
      );
    }
    expect(existsSync(join(varDir, 'secret.key'))).toBe(false);
  });

  it('parses only canonical key texts', () => {
    const raw = Buffer.alloc(32, 0xab);
    expect(parseKeyText(raw.toString('base64'))?.equals(raw)).toBe(true);
    expect(parseKeyText(' ' + raw.toString('hex') + '\n')?.equals(raw)).toBe(true);
    // Same length as a valid base64 key but with non-zero padding bits.
    const b64 = raw.toString('base64');
    expect(parseKeyText(b64.slice(0, 42) + 'v=')).toBeNull();
  });
});
