/**
 * Masking of personal data for output, the pino redaction list, and a scanner that finds unmasked personal data in
 * text (used by tests that read captured logs). Shown parts follow the usual Chinese banking practice
 * (JR/T 0171-2020 §6.1.4 display masking): ID first 3 and last 4, mobile first 3 and last 4, card first 6 and
 * last 4, name the surname only, address down to the county.
 */
import { isValidBankCard, isValidResidentId } from './validators.js';

export type PersonalFieldKind = 'residentId' | 'mobile' | 'bankCard' | 'name' | 'address' | 'uscc';

const STAR = '*';
/** Masked remainder of an address: a fixed width, so the length of the street part is not revealed. */
const ADDRESS_MASK = '****';

/** Keeps `head` leading and `tail` trailing characters and stars the middle; all stars when too short to hide. */
function keepEnds(s: string, head: number, tail: number): string {
  const chars = Array.from(s);
  if (chars.length <= head + tail) return STAR.repeat(chars.length);
  return (
    chars.slice(0, head).join('') +
    STAR.repeat(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

const stripSeparators = (s: string) => s.replace(/[\s-]/g, '');

/** `110105199001011234` → `110***********1234` (also for the old 15-digit form). */
export const maskResidentId = (id: string) => keepEnds(stripSeparators(id), 3, 4);

/** `13812345678` → `138****5678`. */
export const maskMobile = (mobile: string) => keepEnds(stripSeparators(mobile), 3, 4);

/** `6222021234561234` → `622202******1234`: the issuer (BIN) and the last 4, as printed on receipts. */
export const maskBankCard = (card: string) => keepEnds(stripSeparators(card), 6, 4);

/**
 * Two-character surnames (复姓) in present use, from the Hundred Family Surnames (百家姓) and the 2020 census
 * lists. Only consulted for names of three or more characters, so a two-character given name is never taken for
 * a surname.
 */
const COMPOUND_SURNAMES = new Set(
  (
    '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 ' +
    '呼延 万俟 闻人 赫连 申屠 太史 钟离 濮阳 淳于 单于 公冶 宗政 百里 东郭 鲜于 司空 闾丘 子车 亓官 ' +
    '司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 段干 东门 羊舌 微生 梁丘 左丘 第五'
  ).split(' '),
);

/**
 * Keeps the surname and stars each character of the given name: `张三` → `张*`, `欧阳娜娜` → `欧阳**`. Separators
 * in transliterated names (`·`, space) are kept so the shape stays readable; a one-character name becomes `*`.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return STAR.repeat(chars.length);
  const surnameLength = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return (
    chars.slice(0, surnameLength).join('') +
    chars
      .slice(surnameLength)
      .map((c) => (/[\s·•.]/.test(c) ? c : STAR))
      .join('')
  );
}

/** Characters that end an administrative name or start a sub-county part, so never inside a unit's name. */
const NAME = '[^\\s\\d省市区县旗盟路街道巷号村镇乡组栋楼室]';
/** Province level (省, 自治区, 特别行政区, or one of the four municipalities). */
const PROVINCE = new RegExp(`^(?:${NAME}{2,10}?(?:省|自治区|特别行政区)|(?:北京|天津|上海|重庆)市?)`);
/** Prefecture level (地级市, 地区, 自治州, 盟). */
const PREFECTURE = new RegExp(`^${NAME}{1,10}?(?:自治州|地区|盟|市)`);
/** County level (区, 县, 县级市, 旗 and their autonomous forms). */
const COUNTY = new RegExp(`^${NAME}{1,10}?(?:自治县|自治旗|新区|县|区|旗|市)`);

/**
 * Keeps the address down to the district or county and replaces the rest with `****`:
 * `陕西省西安市雁塔区科技路48号` → `陕西省西安市雁塔区****`. When no county is recognised, keeps the province and
 * city found, if any; an address with no recognisable unit is masked whole.
 */
export function maskAddress(address: string): string {
  const s = address.trim();
  let kept = 0;
  for (const re of [PROVINCE, PREFECTURE, COUNTY]) {
    const m = re.exec(s.slice(kept));
    if (m) kept += m[0].length;
  }
  if (kept === 0) return ADDRESS_MASK;
  return s.slice(0, kept) + (kept < s.length ? ADDRESS_MASK : '');
}

/** The code of a business is public registration data (国家企业信用信息公示系统), shown as is. */
export const maskUscc = (code: string) => code;

const MASKERS: Record<PersonalFieldKind, (s: string) => string> = {
  residentId: maskResidentId,
  mobile: maskMobile,
  bankCard: maskBankCard,
  name: maskName,
  address: maskAddress,
  uscc: maskUscc,
};

/** Masks one value by kind. */
export const maskValue = (kind: PersonalFieldKind, value: string) => MASKERS[kind](value);

/**
 * A shallow copy of `obj` with the named fields masked by kind. Strings and numbers are masked; null and
 * undefined are kept; any other value in a personal field is replaced by `****` rather than passed through.
 */
export function maskPersonalFields<T extends Record<string, unknown>>(
  obj: T,
  fieldKinds: Partial<Record<keyof T & string, PersonalFieldKind>>,
): T {
  const out: Record<string, unknown> = { ...obj };
  for (const [field, kind] of Object.entries(fieldKinds) as [string, PersonalFieldKind | undefined][]) {
    if (!kind || !(field in out)) continue;
    const v = out[field];
    if (v === null || v === undefined) continue;
    out[field] = typeof v === 'string' || typeof v === 'number' ? maskValue(kind, String(v)) : ADDRESS_MASK;
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Logging

/** Property names that hold personal data or secrets anywhere in a logged object. */
const REDACTED_KEYS = [
  'idNumber',
  'residentId',
  'idCard',
  'mobile',
  'phone',
  'name',
  'applicantName',
  'realName',
  'bankCard',
  'cardNumber',
  'address',
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
];

/**
 * Paths for pino's `redact` option. Pino has no recursive wildcard, so each key is listed at the top level and one
 * and two levels down. `*.name` also hides `err.name` on AppError: a cost accepted, since `err.type` remains.
 */
export const redactionPaths: readonly string[] = [
  ...REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

export type UnmaskedKind = 'residentId' | 'mobile' | 'bankCard';

export interface UnmaskedFinding {
  kind: UnmaskedKind;
  /** The matched text, as found. */
  match: string;
  /** Offset of the match in the scanned text. */
  index: number;
}

/** 18 characters, not inside a longer run of digits. */
const RESIDENT_ID_RE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/**
 * 11 digits 1[3-9]… (also as 3-4-4 groups), optionally after +86 / 86, not inside a longer run of digits nor after
 * a decimal point (the fraction digits of a float, such as pino's responseTime, are no phone number).
 */
// Not inside a hex or alphanumeric run either: the last group of a UUID can be all digits.
const MOBILE_RE = /(?<![0-9A-Za-z.-])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])/g;
/**
 * 12–19 digits, optionally in groups separated by single spaces or hyphens, starting with a card-issuer major
 * industry digit (3 travel, 4–5 banking, 6 merchandising/UnionPay 62, 9 domestic legacy cards). Cards starting
 * 1, 2, 7, 8 or 0 are not looked for: log timestamps in milliseconds (13 digits, starting 1) are Luhn-valid one
 * time in ten. Not after a decimal point either, as for mobiles.
 */
const BANK_CARD_RE = /(?<![0-9A-Za-z.-])[34569](?:[ -]?\d){11,18}(?![0-9A-Za-z])/g;

/**
 * Scans text (e.g. captured log output) for personal data that is not masked: resident IDs with a valid check
 * character and birth date, mobile numbers, and Luhn-valid card numbers. A string recognised as a resident ID is
 * not reported again as a card.
 */
export function findUnmaskedPersonalData(text: string): UnmaskedFinding[] {
  const findings: UnmaskedFinding[] = [];
  const idSpans: [number, number][] = [];
  for (const m of text.matchAll(RESIDENT_ID_RE)) {
    if (isValidResidentId(m[0])) {
      findings.push({ kind: 'residentId', match: m[0], index: m.index });
      idSpans.push([m.index, m.index + m[0].length]);
    }
  }
  const insideId = (start: number, end: number) => idSpans.some(([a, b]) => start < b && end > a);
  for (const m of text.matchAll(MOBILE_RE)) {
    findings.push({ kind: 'mobile', match: m[0], index: m.index });
  }
  for (const m of text.matchAll(BANK_CARD_RE)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (isValidBankCard(digits) && !insideId(m.index, m.index + m[0].length)) {
      findings.push({ kind: 'bankCard', match: m[0], index: m.index });
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}
