/**
 * The message signature and encryption of the WeChat Official Account platform, after WeChat's documented
 * algorithm (消息加解密说明, WXBizMsgCrypt): signature = SHA-1 of the sorted, concatenated token, timestamp,
 * nonce (and Encrypt for msg_signature); message = AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the
 * key's first 16 bytes, plaintext = 16 random bytes ‖ 4-byte big-endian length ‖ message ‖ appId, PKCS#7 padded to
 * 32-byte blocks. Pure functions: the random bytes are passed in.
 */
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors.js';

const BLOCK = 32;

export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(received: string | undefined, expected: string): boolean {
  if (!received) return false;
  const a = Buffer.from(received.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function aesKeyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  return key;
}

function pad(buf: Buffer): Buffer {
  const n = BLOCK - (buf.length % BLOCK);
  return Buffer.concat([buf, Buffer.alloc(n, n)]);
}

const decryptFailed = (why: string) =>
  new AppError('WECHAT_DECRYPT_FAILED', 400, 'The message cannot be decrypted', { why });

/** Encrypts `message` for `appId`; `random16` is 16 bytes of randomness. Returns base64. */
export function encryptMessage(key: Buffer, appId: string, message: string, random16: Buffer): string {
  if (random16.length !== 16) throw new Error('random16 must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  const plain = pad(Buffer.concat([random16, len, body, Buffer.from(appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts and returns the message and the appId it was sealed for; throws WECHAT_DECRYPT_FAILED. */
export function decryptMessage(key: Buffer, encrypted: string): { message: string; appId: string } {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw decryptFailed('length');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw decryptFailed('cipher');
  }
  const n = plain[plain.length - 1]!;
  if (n < 1 || n > BLOCK || n > plain.length) throw decryptFailed('padding');
  const content = plain.subarray(0, plain.length - n);
  if (content.length < 20) throw decryptFailed('short');
  const len = content.readUInt32BE(16);
  if (20 + len > content.length) throw decryptFailed('length');
  return {
    message: content.subarray(20, 20 + len).toString('utf8'),
    appId: content.subarray(20 + len).toString('utf8'),
  };
}
