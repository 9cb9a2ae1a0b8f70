import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aesKeyOf,
  decryptMessage,
  encryptMessage,
  signatureMatches,
  wechatSignature,
} from '../../../src/channels/wechat/crypto.js';

// Vectors from WeChat's sample code (WXBizMsgCrypt Java test, Python Sample.py) as collected in a public test suite.
const A = {
  key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: 'aaaabbbbccccdddd',
  message: '我是中文abcd123',
  cipher: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
};
const B = {
  token: 'QDG6eK',
  key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  appId: 'wx5823bf96d3bd56c7',
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echo: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plain: '1616140317555161061',
};
const C = {
  token: 'spamtest',
  timestamp: '1409735669',
  nonce: '1320562132',
  appId: 'wx2c2769f8efd9abc2',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  plain:
    '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>',
};

describe('WeChat message crypto', () => {
  it('encrypts the published vector byte for byte', () => {
    expect(encryptMessage(aesKeyOf(A.key), A.appId, A.message, Buffer.from(A.random))).toBe(A.cipher);
  });

  it('decrypts the published vector and reports its appId', () => {
    expect(decryptMessage(aesKeyOf(A.key), A.cipher)).toEqual({ message: A.message, appId: A.appId });
  });

  it('checks the msg_signature of the published URL-verification vector and decrypts its echostr', () => {
    expect(wechatSignature(B.token, B.timestamp, B.nonce, B.echo)).toBe(B.msgSignature);
    expect(decryptMessage(aesKeyOf(B.key), B.echo)).toEqual({ message: B.plain, appId: B.appId });
  });

  it('checks the msg_signature of the published message vector and decrypts it exactly, newlines kept', () => {
    expect(wechatSignature(C.token, C.timestamp, C.nonce, C.encrypt)).toBe(C.msgSignature);
    expect(decryptMessage(aesKeyOf(A.key), C.encrypt)).toEqual({ message: C.plain, appId: C.appId });
  });

  it('round-trips any message and appId (property)', () => {
    const key = aesKeyOf(A.key);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (msg, rnd) => {
          const enc = encryptMessage(key, A.appId, msg, Buffer.from(rnd));
          expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
          expect(decryptMessage(key, enc)).toEqual({ message: msg, appId: A.appId });
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ['not a multiple of the block', 'YWJj'],
    ['empty', ''],
    ['bad padding', 'AAAAAAAAAAAAAAAAAAAAAA=='],
  ])('refuses a ciphertext that is %s with WECHAT_DECRYPT_FAILED', (_name, enc) => {
    expect(() => decryptMessage(aesKeyOf(A.key), enc)).toThrow(
      expect.objectContaining({ code: 'WECHAT_DECRYPT_FAILED' }),
    );
  });

  it('does not decrypt with another key', () => {
    const other = aesKeyOf('A'.repeat(43));
    expect(() => decryptMessage(other, A.cipher)).toThrow(
      expect.objectContaining({ code: 'WECHAT_DECRYPT_FAILED' }),
    );
  });

  it('compares signatures in full and case-insensitively', () => {
    const sig = wechatSignature('t', '1', 'n');
    expect(signatureMatches(sig.toUpperCase(), sig)).toBe(true);
    expect(signatureMatches(sig.slice(0, 39), sig)).toBe(false);
    expect(signatureMatches(undefined, sig)).toBe(false);
  });
});
