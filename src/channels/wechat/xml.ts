/**
 * WeChat's XML, parsed and built. Parsing refuses what WeChat never sends and attackers like: a DOCTYPE or ENTITY
 * declaration (entity expansion, external entities), a body over the size limit, and anything not well formed.
 * Every value stays a string (parseTagValue: false), so a 64-bit MsgId keeps all its digits.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, badRequest } from '../../platform/errors.js';

export const MAX_XML_BYTES = 64 * 1024;

const parserOptions = {
  parseTagValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  // With DOCTYPE refused first, only XML's five predefined and numeric entities remain to expand.
  processEntities: true,
  htmlEntities: false,
} as const;

export type WechatXml = Record<string, string | undefined>;

/** Parses `<xml>…</xml>` into its top-level fields (nested fields of unknown events are dropped). */
export function parseWechatXml(body: string): WechatXml {
  if (Buffer.byteLength(body, 'utf8') > MAX_XML_BYTES) {
    throw new AppError('WECHAT_BODY_TOO_LARGE', 413, 'The message is larger than WeChat sends', {
      limit: MAX_XML_BYTES,
    });
  }
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(body)) {
    throw badRequest('WECHAT_XML_FORBIDDEN', 'Document type and entity declarations are not accepted');
  }
  const valid = body.trim().length > 0 ? XMLValidator.validate(body) : false;
  if (valid !== true) throw badRequest('WECHAT_XML_MALFORMED', 'The body is not well-formed XML');
  let doc: unknown;
  try {
    doc = new XMLParser(parserOptions).parse(body);
  } catch {
    throw badRequest('WECHAT_XML_MALFORMED', 'The body is not well-formed XML');
  }
  const root = (doc as { xml?: unknown }).xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw badRequest('WECHAT_XML_MALFORMED', 'The body has no <xml> root with fields');
  }
  const out: WechatXml = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

/** A CDATA section holding any text: "]]>" is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** The passive text reply (被动回复文本消息). */
export function textReplyXml(to: string, from: string, createTime: number, content: string): string {
  return (
    `<xml><ToUserName>${cdata(to)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${cdata(content)}</Content></xml>`
  );
}

/** The envelope of an encrypted passive reply. */
export function encryptedReplyXml(
  encrypt: string,
  msgSignature: string,
  timestamp: number,
  nonce: string,
): string {
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(msgSignature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}
