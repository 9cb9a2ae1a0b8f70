/**
 * Input hygiene before any parsing: length limit, width folding, spacing typos, emoji and markup detection.
 * Pure string functions; nothing here executes or renders the text.
 */
import type { NluNote } from './types.js';

/** Replies longer than this are cut: an interview answer is a sentence, not a document. */
export const MAX_INPUT_CHARS = 2000;

export interface Prepared {
  /** The reply as typed, cut to the limit and trimmed (kept for text and place answers). */
  raw: string;
  /** Width-folded (NFKC), lower-cased, spacing and thousands separators repaired: what the parsers read. */
  norm: string;
  notes: NluNote[];
  /** Nothing but emoji, WeChat stickers ([微笑]), punctuation or whitespace. */
  empty: boolean;
  /** Looks like HTML/script or SQL: treated as inert text, never as a figure. */
  markupLike: boolean;
}

const EMOJI = /\p{Extended_Pictographic}|\u200d|\ufe0f|[\u{1F3FB}-\u{1F3FF}]|[\u{1F1E6}-\u{1F1FF}]/gu;
/** WeChat renders its stickers as bracketed words, e.g. [捂脸] or [Smile]. */
const WECHAT_STICKER = /\[[\p{Script=Han}a-zA-Z]{1,6}\]/gu;
const PUNCT_OR_SPACE = /[\p{P}\p{S}\p{Z}\s]/gu;

const MARKUP = [
  /<\s*\/?\s*(script|iframe|img|svg|object|embed|style|link|meta|body|html|a|div|form|input)\b/i,
  /\bjavascript\s*:/i,
  /\bon(error|load|click|mouseover)\s*=/i,
  /\$\{[^}]*\}|\{\{[^}]*\}\}/,
];
const SQL = [
  /\b(select|insert|update|delete|drop|union|alter|truncate|exec)\b[\s\S]{0,80}\b(from|into|table|set|where|select|database)\b/i,
  /['"]\s*(or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+/i,
  /;\s*--|\/\*[\s\S]*\*\//,
  /\bor\s+1\s*=\s*1\b/i,
];

export function looksLikeMarkupOrSql(text: string): boolean {
  return MARKUP.some((re) => re.test(text)) || SQL.some((re) => re.test(text));
}

export function truncate(text: string, limit = MAX_INPUT_CHARS): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  let cut = text.slice(0, limit);
  // Never leave half of a surrogate pair at the end.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return { text: cut, truncated: true };
}

/** Width folding, spacing repair and separator removal for the parsers. */
export function normalizeForParsing(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[\u3000\u00a0]/g, ' ');
  s = s.replace(/[¥￥]/g, '¥');
  // Digit groups (2,000 / ２，０００ / 30 000 / 1'500) join; a comma between other figures stays a separator.
  s = s.replace(/(\d)[,'’ ](?=\d{3}(?!\d))/g, '$1');
  // Spacing typos inside Chinese (三 万 多, 3 万): drop spaces next to Han characters.
  s = s.replace(/(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})/gu, '');
  s = s.replace(/\s+/g, ' ').trim();
  // Idioms built of numerals are no figures: 八九不离十 / 十之八九 / 七七八八 say "about", the others nothing.
  s = s.replace(/八九不离十|十之八九|十有八九|七七八八|差不离/g, '大概');
  s = s.replace(/乱七八糟|七上八下|一清二楚|一五一十|三番五次|三番两次|一干二净/g, '');
  return s;
}

export function prepare(input: string): Prepared {
  const notes: NluNote[] = [];
  const cut = truncate(input ?? '');
  if (cut.truncated) notes.push('truncated');
  const raw = cut.text.trim();
  const withoutEmoji = raw.replace(WECHAT_STICKER, '').replace(EMOJI, '');
  const hadEmoji = withoutEmoji.length !== raw.length;
  const empty = withoutEmoji.replace(PUNCT_OR_SPACE, '').length === 0;
  if (empty && hadEmoji) notes.push('emoji_only');
  const markupLike = looksLikeMarkupOrSql(raw);
  if (markupLike) notes.push('markup_or_sql_like');
  return { raw, norm: normalizeForParsing(withoutEmoji), notes, empty, markupLike };
}
