import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  USCC_ALPHABET,
  bankCardSchema,
  birthDateFromResidentId,
  isValidBankCard,
  isValidMobile,
  isValidResidentId,
  isValidUscc,
  luhnCheckDigit,
  mobileSchema,
  residentIdCheckChar,
  residentIdSchema,
  residentIdSchemaAsOf,
  usccCheckChar,
  usccSchema,
} from '../../src/platform/validators.js';

/** Builds an ID from parts, computing the check character. */
const makeId = (region: string, yyyymmdd: string, seq: string) => {
  const first17 = region + yyyymmdd + seq;
  return first17 + residentIdCheckChar(first17);
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');

const digitString = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const arbValidResidentId = fc
  .record({
    region: digitString(6),
    birth: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2025-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    seq: digitString(3),
  })
  .map(({ region, birth, seq }) => makeId(region, birth.toISOString().slice(0, 10).replace(/-/g, ''), seq));

const arbValidUscc = fc
  .string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 17, maxLength: 17 })
  .map((s) => s + usccCheckChar(s));

const arbValidCard = digitString(11, 18).map((p) => p + luhnCheckDigit(p));

/** Replaces the character at `pos` with a different one from `alphabet` (case-insensitively different). */
const arbOneCharChange = (s: string, alphabet: string) =>
  fc
    .record({ pos: fc.nat({ max: s.length - 1 }), ch: fc.constantFrom(...alphabet) })
    .filter(({ pos, ch }) => ch.toUpperCase() !== s[pos]!.toUpperCase())
    .map(({ pos, ch }) => s.slice(0, pos) + ch + s.slice(pos + 1));

describe('resident ID', () => {
  it('accepts the classic GB 11643-1999 example 11010519491231002X, with upper or lower x', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('11010519491231002x')).toBe(true);
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('rejects the classic example with a wrong check character', () => {
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('11010519491231002Y')).toBe(false);
  });

  it('rejects wrong lengths, letters in the body and surrounding whitespace', () => {
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(isValidResidentId('11010519491231002X1')).toBe(false);
    expect(isValidResidentId('1101051949123100AX')).toBe(false);
    expect(isValidResidentId(' 11010519491231002X')).toBe(false);
    expect(isValidResidentId('')).toBe(false);
  });

  it('accepts any generated ID with a correct check character and real birth date', () => {
    fc.assert(fc.property(arbValidResidentId, (id) => isValidResidentId(id)));
  });

  it('rejects every generated ID after any single character is changed', () => {
    fc.assert(
      fc.property(
        arbValidResidentId.chain((id) => arbOneCharChange(id, '0123456789X')),
        (changed) => !isValidResidentId(changed),
      ),
    );
  });

  it('checks the birth date against the calendar, leap years included', () => {
    expect(isValidResidentId(makeId('110105', '20000229', '001'))).toBe(true); // divisible by 400
    expect(isValidResidentId(makeId('110105', '20240229', '001'))).toBe(true);
    expect(isValidResidentId(makeId('110105', '20230229', '001'))).toBe(false);
    expect(isValidResidentId(makeId('110105', '19000229', '001'))).toBe(false); // divisible by 100, not 400
    expect(isValidResidentId(makeId('110105', '19800431', '001'))).toBe(false);
    expect(isValidResidentId(makeId('110105', '19801301', '001'))).toBe(false);
    expect(isValidResidentId(makeId('110105', '19800100', '001'))).toBe(false);
  });

  it('rejects birth dates before 1900', () => {
    expect(isValidResidentId(makeId('110105', '18991231', '001'))).toBe(false);
    expect(isValidResidentId(makeId('110105', '19000101', '001'))).toBe(true);
  });

  it('rejects a birth date after today, judged by the date in China', () => {
    const id = makeId('110105', '20260102', '001');
    expect(isValidResidentId(id)).toBe(true);
    // 2026-01-01T20:00Z is already 2 January in Beijing.
    expect(isValidResidentId(id, new Date('2026-01-01T20:00:00Z'))).toBe(true);
    expect(isValidResidentId(id, new Date('2026-01-01T15:59:59Z'))).toBe(false);
  });

  it('extracts the birth date, or null for an impossible one', () => {
    expect(birthDateFromResidentId('11010519491231002X')).toEqual({
      year: 1949,
      month: 12,
      day: 31,
      iso: '1949-12-31',
    });
    expect(birthDateFromResidentId(makeId('110105', '20230229', '001'))).toBeNull();
    expect(birthDateFromResidentId('abc')).toBeNull();
  });

  it('refuses to compute a check character from anything but 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('unified social credit code', () => {
  it('accepts real-format codes', () => {
    for (const code of ['91350100M000100Y43', '91110000802100433B', '91440300708461136T']) {
      expect(isValidUscc(code)).toBe(true);
    }
  });

  it('maps a computed check value of 31 to the character 0', () => {
    // Search the first few codes of a family for one whose sum is ≡ 0 (mod 31): its check must be '0'.
    const found = Array.from({ length: 200 }, (_, i) => '9111000000000' + pad(i, 4)).find(
      (body) => usccCheckChar(body) === '0',
    );
    expect(found).toBeDefined();
    expect(isValidUscc(found + '0')).toBe(true);
  });

  it('rejects letters outside the alphabet (I, O, S, V, Z), lower case and wrong lengths', () => {
    expect(isValidUscc('91350100M000100Y4I')).toBe(false);
    expect(isValidUscc('91350100m000100y43')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(() => usccCheckChar('91350100O000100Y4')).toThrow(RangeError);
  });

  it('accepts any generated code with a correct check character', () => {
    fc.assert(fc.property(arbValidUscc, (code) => isValidUscc(code)));
  });

  it('rejects every generated code after any single character is changed', () => {
    fc.assert(
      fc.property(
        arbValidUscc.chain((code) => arbOneCharChange(code, USCC_ALPHABET)),
        (changed) => !isValidUscc(changed),
      ),
    );
  });
});

describe('mobile', () => {
  it('accepts 11 digits starting 13–19 and nothing else', () => {
    expect(isValidMobile('13812345678')).toBe(true);
    expect(isValidMobile('19912345678')).toBe(true);
    expect(isValidMobile('12812345678')).toBe(false);
    expect(isValidMobile('1381234567')).toBe(false);
    expect(isValidMobile('138123456789')).toBe(false);
    expect(isValidMobile('23812345678')).toBe(false);
  });
});

describe('bank card (Luhn)', () => {
  it('computes the textbook Luhn digit and accepts known test numbers', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(isValidBankCard('4111111111111111')).toBe(true);
    expect(isValidBankCard('6222021234567890128')).toBe(true);
  });

  it('rejects numbers shorter than 12 or longer than 19 digits even when Luhn-valid', () => {
    const p11 = '7992739871';
    expect(isValidBankCard(p11 + luhnCheckDigit(p11))).toBe(false);
    const p19 = '6222021234567890123';
    expect(isValidBankCard(p19 + luhnCheckDigit(p19))).toBe(false);
  });

  it('accepts any generated number with a correct Luhn digit', () => {
    fc.assert(fc.property(arbValidCard, (card) => isValidBankCard(card)));
  });

  it('rejects every generated number after any single digit is changed', () => {
    fc.assert(
      fc.property(
        arbValidCard.chain((card) => arbOneCharChange(card, '0123456789')),
        (changed) => !isValidBankCard(changed),
      ),
    );
  });
});

describe('zod schemas', () => {
  it('normalise the resident ID (trim, full-width digits, upper-case x)', () => {
    expect(residentIdSchema.parse(' 11010519491231002x\n')).toBe('11010519491231002X');
    expect(residentIdSchema.parse('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
  });

  it('report INVALID_RESIDENT_ID for a bad ID', () => {
    const r = residentIdSchema.safeParse('110105194912310021');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('INVALID_RESIDENT_ID');
  });

  it('refuse a future birth date when built with today', () => {
    const id = makeId('110105', '20300101', '001');
    expect(residentIdSchema.safeParse(id).success).toBe(true);
    expect(
      residentIdSchemaAsOf(new Date('2026-01-01T00:00:00Z')).safeParse(id).error?.issues[0]?.message,
    ).toBe('INVALID_RESIDENT_ID');
  });

  it('upper-case a USCC and report INVALID_USCC', () => {
    expect(usccSchema.parse(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(usccSchema.safeParse('91350100M000100Y44').error?.issues[0]?.message).toBe('INVALID_USCC');
  });

  it('strip separators and a +86 prefix from a mobile and report INVALID_MOBILE', () => {
    expect(mobileSchema.parse('+86 138-1234-5678')).toBe('13812345678');
    expect(mobileSchema.parse('0086 13812345678')).toBe('13812345678');
    expect(mobileSchema.safeParse('12812345678').error?.issues[0]?.message).toBe('INVALID_MOBILE');
  });

  it('strip grouping from a card number and report INVALID_BANK_CARD', () => {
    expect(bankCardSchema.parse('4111 1111 1111 1111')).toBe('4111111111111111');
    expect(bankCardSchema.safeParse('4111 1111 1111 1112').error?.issues[0]?.message).toBe(
      'INVALID_BANK_CARD',
    );
  });
});
