/**
 * Check-character validators for the identifiers a Chinese lending case carries: the mainland resident ID,
 * the unified social credit code, the mobile number and the bank card number. Pure: no clock is read; a caller
 * that wants "not born in the future" passes `today`.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------------
// Resident ID (公民身份号码)

/** Weights W_i = 2^(18-i) mod 11 for positions 1..17, GB 11643-1999 §7.2. */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (Σ a_i·W_i) mod 11, GB 11643-1999 §7.2 (ISO 7064 MOD 11-2). */
const RESIDENT_ID_CHECK_CHARS = '10X98765432';
/** IDs of people born before this year are not issued in the 18-digit form a bank will meet. */
const EARLIEST_BIRTH_YEAR = 1900;
/** China has one civil time zone (UTC+8); a birth date in an ID is a date there. */
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface BirthDate {
  year: number;
  month: number;
  day: number;
  /** `YYYY-MM-DD` */
  iso: string;
}

/**
 * The check character for the first 17 digits of a resident ID: "10X98765432"[Σ a_i·W_i mod 11] with
 * W = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (GB 11643-1999). Throws a RangeError unless given exactly 17 digits.
 */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  return RESIDENT_ID_CHECK_CHARS[sum % 11]!;
}

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The birth date in positions 7–14 of an 18-character resident ID, or null if those digits are not a real
 * calendar date (Gregorian, leap years included). Does not check the check character.
 */
export function birthDateFromResidentId(id: string): BirthDate | null {
  const digits = id.trim();
  if (!/^\d{17}[\dXx]$/.test(digits)) return null;
  const year = Number(digits.slice(6, 10));
  const month = Number(digits.slice(10, 12));
  const day = Number(digits.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return {
    year,
    month,
    day,
    iso: digits.slice(6, 10) + '-' + digits.slice(10, 12) + '-' + digits.slice(12, 14),
  };
}

/** The calendar date in China at the instant `today`, as `YYYY-MM-DD`. */
function chinaDateIso(today: Date): string {
  return new Date(today.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * An 18-character mainland resident ID: 17 digits, a GB 11643-1999 check character (`x` accepted for `X`), and a
 * real birth date not before 1900 and — when `today` is given — not after today's date in China. Whitespace is
 * not accepted here; the zod schema trims.
 */
export function isValidResidentId(s: string, today?: Date): boolean {
  if (typeof s !== 'string' || !/^\d{17}[\dXx]$/.test(s)) return false;
  if (residentIdCheckChar(s.slice(0, 17)) !== s[17]!.toUpperCase()) return false;
  const birth = birthDateFromResidentId(s);
  if (!birth || birth.year < EARLIEST_BIRTH_YEAR) return false;
  if (today && birth.iso > chinaDateIso(today)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码)

/** The code's 31-character alphabet (no I, O, Z, S, V), value = index; GB 32100-2015 §4.2 / Table 1. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights W_i = 3^(i-1) mod 31 for i = 1..17, GB 32100-2015 §5 (ISO 7064 hybrid, modulus 31). */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/**
 * The check character for the first 17 characters of a USCC: C18 = 31 − (Σ C_i·W_i mod 31), with 31 written as 0
 * (GB 32100-2015 §5). Throws a RangeError unless given 17 characters from the code's alphabet (upper case).
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError(`usccCheckChar: '${first17[i]}' is not in the USCC alphabet`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_ALPHABET[check === 31 ? 0 : check]!;
}

/**
 * An 18-character unified social credit code (GB 32100-2015) with a correct check character. Upper case only;
 * the zod schema upper-cases. The embedded organisation code's own GB 11714 check is not tested.
 */
export function isValidUscc(s: string): boolean {
  if (typeof s !== 'string' || s.length !== 18) return false;
  for (const ch of s) if (!USCC_ALPHABET.includes(ch)) return false;
  return usccCheckChar(s.slice(0, 17)) === s[17];
}

// ---------------------------------------------------------------------------------------------------------------
// Mobile and bank card

/** A mainland mobile number: 11 digits, 1 then 3–9 (MIIT numbering plan). */
export function isValidMobile(s: string): boolean {
  return typeof s === 'string' && /^1[3-9]\d{9}$/.test(s);
}

/**
 * The Luhn check digit to append to `payload` (ISO/IEC 7812-1 Annex B): double every second digit from the right
 * of the full number, i.e. starting with the payload's last digit. Throws a RangeError unless given digits.
 */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('luhnCheckDigit needs digits');
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(payload[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A bank card number: 12–19 digits whose last digit is the Luhn check digit (ISO/IEC 7812-1). */
export function isValidBankCard(s: string): boolean {
  if (typeof s !== 'string' || !/^\d{12,19}$/.test(s)) return false;
  return luhnCheckDigit(s.slice(0, -1)) === s.slice(-1);
}

// ---------------------------------------------------------------------------------------------------------------
// zod schemas: normalise, then check. The issue message is the stable error code.

export const INVALID_RESIDENT_ID = 'INVALID_RESIDENT_ID';
export const INVALID_USCC = 'INVALID_USCC';
export const INVALID_MOBILE = 'INVALID_MOBILE';
export const INVALID_BANK_CARD = 'INVALID_BANK_CARD';

/** Full-width digits and letters (common from Chinese input methods) become ASCII under NFKC. */
const nfkcTrim = (s: string) => s.normalize('NFKC').trim();

/** A resident ID schema that also refuses birth dates after `today` (in China). */
export function residentIdSchemaAsOf(today?: Date) {
  return z
    .string()
    .transform((s) => nfkcTrim(s).toUpperCase())
    .refine((s) => isValidResidentId(s, today), {
      error: INVALID_RESIDENT_ID,
      params: { code: INVALID_RESIDENT_ID },
    });
}

/** Trims, upper-cases a trailing x, and checks the ID (no future-date check: that needs `residentIdSchemaAsOf`). */
export const residentIdSchema = residentIdSchemaAsOf();

export const usccSchema = z
  .string()
  .transform((s) => nfkcTrim(s).toUpperCase())
  .refine(isValidUscc, { error: INVALID_USCC, params: { code: INVALID_USCC } });

/** Accepts `138 1234 5678`, `138-1234-5678` and a `+86`/`0086` prefix; yields the bare 11 digits. */
export const mobileSchema = z
  .string()
  .transform((s) =>
    nfkcTrim(s)
      .replace(/[\s-]/g, '')
      .replace(/^(?:\+86|0086)/, ''),
  )
  .refine(isValidMobile, { error: INVALID_MOBILE, params: { code: INVALID_MOBILE } });

/** Accepts digits grouped by spaces or hyphens, as printed on a card; yields the bare digits. */
export const bankCardSchema = z
  .string()
  .transform((s) => nfkcTrim(s).replace(/[\s-]/g, ''))
  .refine(isValidBankCard, { error: INVALID_BANK_CARD, params: { code: INVALID_BANK_CARD } });
