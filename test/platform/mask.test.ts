import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  findUnmaskedPersonalData,
  maskAddress,
  maskBankCard,
  maskMobile,
  maskName,
  maskPersonalFields,
  maskResidentId,
  maskUscc,
  redactionPaths,
} from '../../src/platform/mask.js';
import { isValidBankCard, luhnCheckDigit } from '../../src/platform/validators.js';

const ID = '11010519491231002X';
/** A valid resident ID that happens to be Luhn-valid too, and starts with a card-like 6. */
const ID_LUHN = '610102198001011050';
const CARD = (() => {
  const body = '622202123456123';
  return body + luhnCheckDigit(body);
})();

describe('maskers', () => {
  it('show the first 3 and last 4 characters of a resident ID', () => {
    expect(maskResidentId(ID)).toBe('110***********002X');
    expect(maskResidentId('61010219800101123X')).toBe('610***********123X');
    expect(maskResidentId('610102800101123')).toBe('610********1123'); // old 15-digit form
  });

  it('show the first 3 and last 4 digits of a mobile, separators dropped', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('138 1234 5678')).toBe('138****5678');
  });

  it('show the first 6 and last 4 digits of a bank card', () => {
    expect(maskBankCard('6222021234561234')).toBe('622202******1234');
    expect(maskBankCard('6222 0212 3456 1234 567')).toBe('622202*********4567');
  });

  it('star everything when a value is too short to keep its ends', () => {
    expect(maskMobile('1234567')).toBe('*******');
    expect(maskBankCard('123456789')).toBe('*********');
  });

  it('keep the surname of a name, compound surnames included, and star the rest character by character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('司马光')).toBe('司马*');
    // Two characters are surname + given name even when they could spell a compound surname.
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('张')).toBe('*');
    expect(maskName('买买提·艾力')).toBe('买**·**');
    expect(maskName(' 李四 ')).toBe('李*');
  });

  it('never reveal more than the first character of a name plus a compound surname', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)),
          minLength: 2,
          maxLength: 6,
        }),
        (name) => {
          const masked = Array.from(maskName(name));
          const shown = masked.filter((c) => c !== '*').length;
          expect(masked).toHaveLength(Array.from(name).length);
          expect(shown).toBeGreaterThanOrEqual(1);
          expect(shown).toBeLessThanOrEqual(2);
        },
      ),
    );
  });

  it('keep an address down to the district or county and hide the rest', () => {
    expect(maskAddress('陕西省西安市雁塔区科技路48号')).toBe('陕西省西安市雁塔区****');
    expect(maskAddress('北京市朝阳区建国路88号院3号楼')).toBe('北京市朝阳区****');
    expect(maskAddress('上海浦东新区世纪大道100号')).toBe('上海浦东新区****');
    expect(maskAddress('广西壮族自治区南宁市武鸣区城厢镇')).toBe('广西壮族自治区南宁市武鸣区****');
    expect(maskAddress('新疆维吾尔自治区伊犁哈萨克自治州伊宁县吉里于孜镇')).toBe(
      '新疆维吾尔自治区伊犁哈萨克自治州伊宁县****',
    );
    expect(maskAddress('河南省周口市郸城县宁平镇李楼村3组')).toBe('河南省周口市郸城县****');
    expect(maskAddress('内蒙古自治区锡林郭勒盟正蓝旗上都镇')).toBe('内蒙古自治区锡林郭勒盟正蓝旗****');
  });

  it('keep what it recognises of an address without a county, and hide an unrecognisable one whole', () => {
    expect(maskAddress('陕西省韩城市龙门镇')).toBe('陕西省韩城市****');
    expect(maskAddress('陕西省西安市雁塔区')).toBe('陕西省西安市雁塔区');
    expect(maskAddress('科技路48号')).toBe('****');
    expect(maskAddress('Room 5, 12 Nanjing Road')).toBe('****');
  });

  it('leave a unified social credit code as it is (public business data)', () => {
    expect(maskUscc('91350100M000100Y43')).toBe('91350100M000100Y43');
  });
});

describe('maskPersonalFields', () => {
  it('masks the named fields by kind and leaves the others and the input untouched', () => {
    const applicant = {
      id: 'a1',
      name: '张三',
      idNumber: ID,
      mobile: '13812345678',
      card: '6222021234561234',
      addr: '陕西省西安市雁塔区科技路48号',
      uscc: '91350100M000100Y43',
      note: null,
    };
    const masked = maskPersonalFields(applicant, {
      name: 'name',
      idNumber: 'residentId',
      mobile: 'mobile',
      card: 'bankCard',
      addr: 'address',
      uscc: 'uscc',
      note: 'name',
    });
    expect(masked).toEqual({
      id: 'a1',
      name: '张*',
      idNumber: '110***********002X',
      mobile: '138****5678',
      card: '622202******1234',
      addr: '陕西省西安市雁塔区****',
      uscc: '91350100M000100Y43',
      note: null,
    });
    expect(applicant.mobile).toBe('13812345678');
  });

  it('masks numbers as strings and replaces unexpected shapes rather than passing them through', () => {
    const masked = maskPersonalFields(
      { mobile: 13812345678, idNumber: { raw: ID } } as Record<string, unknown>,
      {
        mobile: 'mobile',
        idNumber: 'residentId',
      },
    );
    expect(masked).toEqual({ mobile: '138****5678', idNumber: '****' });
  });
});

describe('findUnmaskedPersonalData', () => {
  it('finds a valid resident ID, a mobile and a Luhn-valid card in free text', () => {
    const text = `applicant ${ID} called from 13812345678 and paid with ${CARD}.`;
    expect(findUnmaskedPersonalData(text).map((f) => [f.kind, f.match])).toEqual([
      ['residentId', ID],
      ['mobile', '13812345678'],
      ['bankCard', CARD],
    ]);
  });

  it('finds grouped and prefixed forms', () => {
    expect(findUnmaskedPersonalData('tel +86 138-1234-5678').map((f) => f.kind)).toEqual(['mobile']);
    expect(findUnmaskedPersonalData('tel 8613812345678').map((f) => f.kind)).toEqual(['mobile']);
    const grouped = CARD.replace(/(\d{4})(?=\d)/g, '$1 ');
    expect(findUnmaskedPersonalData(`card ${grouped}`).map((f) => f.kind)).toEqual(['bankCard']);
    expect(findUnmaskedPersonalData(`"idNumber":"${ID.toLowerCase()}"`).map((f) => f.kind)).toEqual([
      'residentId',
    ]);
  });

  it('ignores masked values, IDs with a wrong check character and non-Luhn numbers', () => {
    const text = [
      maskResidentId(ID),
      maskMobile('13812345678'),
      maskBankCard(CARD),
      '110105194912310021',
      CARD.slice(0, -1) + ((Number(CARD.slice(-1)) + 1) % 10),
      '12812345678',
    ].join(' ');
    expect(findUnmaskedPersonalData(text)).toEqual([]);
  });

  it('reports a resident ID once, not also as a bank card', () => {
    expect(isValidBankCard(ID_LUHN)).toBe(true);
    expect(findUnmaskedPersonalData(ID_LUHN).map((f) => f.kind)).toEqual(['residentId']);
  });

  it('does not flag the fraction digits of a float', () => {
    expect(findUnmaskedPersonalData(`{"responseTime":0.${CARD},"ratio":2.13812345678}`)).toEqual([]);
  });

  it('does not flag millisecond timestamps, pids or longer digit runs in log lines', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({
        level: 30,
        time: 1767225600000 + i * 7919,
        pid: 4242 + i,
        reqId: `req-${i}`,
        n: '12345678901234567890123',
      }),
    ).join('\n');
    expect(findUnmaskedPersonalData(lines)).toEqual([]);
  });
});

describe('redactionPaths with pino', () => {
  function capture(redact: boolean) {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const log = pino(redact ? { redact: { paths: [...redactionPaths], censor: '[REDACTED]' } } : {}, stream);
    log.info({ idNumber: ID, mobile: '13812345678' }, 'top level');
    log.info(
      { applicant: { name: '张三', idNumber: ID, bankCard: CARD, phone: '13912345678' } },
      'one level',
    );
    log.info(
      { case: { applicant: { mobile: '13712345678', address: '陕西省西安市雁塔区科技路48号' } } },
      'two levels',
    );
    log.info({ req: { headers: { authorization: 'Bearer abc.def', cookie: 'sid=1' } } }, 'request');
    return chunks.join('');
  }

  it('leaves no unmasked personal data in logged objects up to two levels deep', () => {
    const out = capture(true);
    expect(findUnmaskedPersonalData(out)).toEqual([]);
    expect(out).not.toContain('张三');
    expect(out).not.toContain('科技路');
    expect(out).not.toContain('Bearer');
    expect(out).toContain('[REDACTED]');
  });

  it('would have leaked without redaction (the scanner sees it)', () => {
    const kinds = new Set(findUnmaskedPersonalData(capture(false)).map((f) => f.kind));
    expect(kinds).toEqual(new Set(['residentId', 'mobile', 'bankCard']));
  });
});

describe('scanner false positives', () => {
  it('does not read the digit groups of a UUID as a mobile or a card', () => {
    expect(findUnmaskedPersonalData('req 1f0c2d3e-4a5b-4c6d-8e9f-139123456789 done')).toEqual([]);
    expect(findUnmaskedPersonalData('id=6f1e2d3c-0000-4000-8000-622202123456 ok')).toEqual([]);
  });
});
