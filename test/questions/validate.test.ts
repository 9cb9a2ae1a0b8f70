import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/platform/errors.js';
import { DEFAULT_CATALOGUE } from '../../src/questions/catalogue/default.js';
import type { Catalogue } from '../../src/questions/schemas.js';
import { DEFAULT_KNOWN_SOURCES } from '../../src/questions/sources.js';
import { parseCatalogue, validateCatalogue } from '../../src/questions/validate.js';
import type { CatalogueIssue } from '../../src/questions/validate.js';

const copy = (): Catalogue => structuredClone(DEFAULT_CATALOGUE);
const templateIndex = (c: Catalogue, id: string) => c.templates.findIndex((t) => t.id === id);
const factIndex = (c: Catalogue, id: string) => c.facts.findIndex((f) => f.id === id);

function errorsOf(c: unknown): CatalogueIssue[] {
  const r = validateCatalogue(c);
  if (r.ok) throw new Error('expected the catalogue to be refused');
  return r.errors;
}

describe('validateCatalogue', () => {
  it('accepts the default catalogue against the default source registry', () => {
    const r = validateCatalogue(DEFAULT_CATALOGUE, { knownSources: DEFAULT_KNOWN_SOURCES });
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('refuses a template slot the case cannot have with UNKNOWN_SLOT at its position', () => {
    const c = copy();
    const i = templateIndex(c, 'sales.monthly.grocery_takings');
    c.templates[i]!.paraphrases[1]!['zh-CN'] = '您的{owner_nickname}一天能卖多少？';
    const e = errorsOf(c);
    expect(e).toContainEqual(
      expect.objectContaining({
        code: 'UNKNOWN_SLOT',
        path: ['templates', i, 'paraphrases', 1, 'zh-CN'],
        pointer: `/templates/${i}/paraphrases/1/zh-CN`,
        offset: 2,
      }),
    );
  });

  it('refuses a fact whose source the case data does not have with UNKNOWN_SOURCE', () => {
    const c = copy();
    const i = factIndex(c, 'stock.value');
    c.facts[i]!.source = { kind: 'financials', line: 'bs.inventory_typo' };
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_SOURCE', pointer: `/facts/${i}/source` }),
    );
  });

  it('refuses a conversion operand that names a missing source, pointing at the operand', () => {
    const c = copy();
    const i = templateIndex(c, 'sales.monthly.grocery_takings');
    const conv = c.templates[i]!.convert;
    if (conv?.kind !== 'scale') throw new Error('fixture');
    conv.times = [{ source: { kind: 'survey', field: 'grocery.no_such_field' } }];
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_SOURCE', pointer: `/templates/${i}/convert/times/0/source` }),
    );
  });

  it('accepts a source that the caller registers as known', () => {
    const c = copy();
    c.facts[factIndex(c, 'stock.value')]!.source = { kind: 'financials', line: 'bs.inventory.at_cost' };
    const known = {
      ...DEFAULT_KNOWN_SOURCES,
      financials: [...DEFAULT_KNOWN_SOURCES.financials, 'bs.inventory.at_cost'],
    };
    expect(validateCatalogue(c, { knownSources: known }).ok).toBe(true);
  });

  it.each([
    ['an expected-value slot', '您一天能卖{expected}吗？'],
    ['a financial line slot', '您一个月卖{pl.revenue.monthly}对吗？'],
    ['a screening slot', '您有{court.dishonest_records}个官司吗？'],
    ['a fact slot', '您说过{sales.monthly}？'],
    ['an Arabic figure', '您一天能卖3000元吗？'],
    ['a Chinese figure', '您一天能卖三千块吗？'],
  ])('refuses a template that would disclose %s with DISCLOSING_TEMPLATE', (_what, text) => {
    const c = copy();
    const i = templateIndex(c, 'sales.monthly.grocery_takings');
    c.templates[i]!.paraphrases[0]!['zh-CN'] = text;
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({
        code: 'DISCLOSING_TEMPLATE',
        pointer: `/templates/${i}/paraphrases/0/zh-CN`,
      }),
    );
  });

  it('refuses an English figure in a rephrase with its offset', () => {
    const c = copy();
    const i = templateIndex(c, 'loans.existing.stated');
    c.templates[i]!.rephrase[0]!['en-US'] = 'Is it about fifty thousand?';
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({
        code: 'DISCLOSING_TEMPLATE',
        pointer: `/templates/${i}/rephrase/0/en-US`,
        offset: 12,
      }),
    );
  });

  it('refuses a question about the address that names the village it is meant to verify', () => {
    const c = copy();
    const i = templateIndex(c, 'premises.location.stated');
    c.templates[i]!.paraphrases[0]!['zh-CN'] = '您的店是在{village}吗？';
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({
        code: 'DISCLOSING_TEMPLATE',
        pointer: `/templates/${i}/paraphrases/0/zh-CN`,
      }),
    );
  });

  it('refuses the applicant-answer slot outside a follow-up with SLOT_NOT_ALLOWED_HERE', () => {
    const c = copy();
    const i = templateIndex(c, 'loans.private.stated');
    c.templates[i]!.paraphrases[1]!['en-US'] = 'You said {own_answer}?';
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({
        code: 'SLOT_NOT_ALLOWED_HERE',
        pointer: `/templates/${i}/paraphrases/1/en-US`,
      }),
    );
  });

  it('refuses a sector word a sector of the template lacks with SECTOR_TERM_MISSING', () => {
    const c = copy();
    const i = templateIndex(c, 'loans.existing.stated');
    c.templates[i]!.paraphrases[0]!['zh-CN'] = '您{buy}的钱是贷款吗？';
    const e = errorsOf(c).find((x) => x.code === 'SECTOR_TERM_MISSING');
    expect(e?.pointer).toBe(`/templates/${i}/paraphrases/0/zh-CN`);
    expect(e?.message).toContain('crops');
  });

  it('refuses duplicate ids at the second occurrence', () => {
    const c = copy();
    c.facts.push(structuredClone(c.facts[0]!));
    c.templates.push(structuredClone(c.templates[0]!));
    const e = errorsOf(c);
    expect(e).toContainEqual(
      expect.objectContaining({ code: 'DUPLICATE_FACT_ID', pointer: `/facts/${c.facts.length - 1}/id` }),
    );
    expect(e).toContainEqual(
      expect.objectContaining({
        code: 'DUPLICATE_TEMPLATE_ID',
        pointer: `/templates/${c.templates.length - 1}/id`,
      }),
    );
  });

  it('refuses an importance above one with IMPORTANCE_OUT_OF_RANGE', () => {
    const c = copy();
    const i = factIndex(c, 'sales.monthly');
    c.facts[i]!.importance = 1.5;
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'IMPORTANCE_OUT_OF_RANGE', pointer: `/facts/${i}/importance` }),
    );
  });

  it('refuses a tolerance whose warn band is wider than its fail band', () => {
    const c = copy();
    const i = factIndex(c, 'sales.monthly');
    c.facts[i]!.tolerance = { warn: 0.4, fail: 0.2 };
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'TOLERANCE_INVALID', pointer: `/facts/${i}/tolerance` }),
    );
  });

  it('refuses a template for a fact that does not exist', () => {
    const c = copy();
    const i = templateIndex(c, 'staff.count.stated');
    c.templates[i]!.factIds = ['staff.headcount'];
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_FACT', pointer: `/templates/${i}/factIds/0` }),
    );
  });

  it('refuses a template with a single paraphrase', () => {
    const c = copy();
    const i = templateIndex(c, 'staff.count.stated');
    c.templates[i]!.paraphrases = c.templates[i]!.paraphrases.slice(0, 1);
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'TOO_FEW_PARAPHRASES', pointer: `/templates/${i}/paraphrases` }),
    );
  });

  it('refuses an important fact that a sector can ask only one way with COVERAGE_SINGLE_ROUTE', () => {
    const c = copy();
    c.templates = c.templates.filter((t) => t.id !== 'transport.trips.fuel');
    const e = errorsOf(c).find((x) => x.code === 'COVERAGE_SINGLE_ROUTE');
    expect(e?.pointer).toBe(`/facts/${factIndex(c, 'transport.trips_monthly')}`);
    expect(e?.message).toContain('transport');
  });

  it('refuses a control question on a fact the bank cannot know', () => {
    const c = copy();
    const i = templateIndex(c, 'loan.willingness.stated');
    c.templates[i]!.kind = 'control';
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'CONTROL_WITHOUT_SOURCE', pointer: `/templates/${i}/kind` }),
    );
  });

  it('refuses a malformed catalogue with SCHEMA_INVALID and the path of the bad field', () => {
    const c = copy() as unknown as { facts: Record<string, unknown>[] };
    c.facts[2]!['answerType'] = 'amount';
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({ code: 'SCHEMA_INVALID', pointer: '/facts/2/answerType' }),
    );
  });

  it('refuses a fraud signal mapped to an unknown fact', () => {
    const c = copy();
    c.fraudSignals[0]!.factIds.push('premises.gps');
    expect(errorsOf(c)).toContainEqual(
      expect.objectContaining({
        code: 'UNKNOWN_FACT',
        pointer: `/fraudSignals/0/factIds/${c.fraudSignals[0]!.factIds.length - 1}`,
      }),
    );
  });

  it('throws CATALOGUE_INVALID (422) with every error from parseCatalogue', () => {
    const c = copy();
    c.facts[0]!.importance = -1;
    c.templates[0]!.paraphrases[0]!['zh-CN'] = '{nope}';
    try {
      parseCatalogue(c);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('CATALOGUE_INVALID');
      expect(isAppError(e) && e.status).toBe(422);
      const codes = (isAppError(e) ? (e.details['errors'] as CatalogueIssue[]) : []).map((x) => x.code);
      expect(codes).toEqual(expect.arrayContaining(['IMPORTANCE_OUT_OF_RANGE', 'UNKNOWN_SLOT']));
    }
  });

  it('refuses any figure inserted anywhere into any question text, at that text', () => {
    const templates = DEFAULT_CATALOGUE.templates;
    fc.assert(
      fc.property(
        fc.nat(templates.length - 1),
        fc.nat(5),
        fc.constantFrom('zh-CN' as const, 'en-US' as const),
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.nat(60),
        (ti, pi, lang, n, at) => {
          const c = copy();
          const t = c.templates[ti]!;
          const k = pi % t.paraphrases.length;
          const s = t.paraphrases[k]![lang];
          const pos = Math.min(at, s.length);
          // Insert at a slot boundary-safe position: before any '{' of a slot to keep the slot intact.
          const safe = s.lastIndexOf('{', pos) > s.lastIndexOf('}', pos) ? s.lastIndexOf('{', pos) : pos;
          t.paraphrases[k]![lang] = `${s.slice(0, safe)}${n}${s.slice(safe)}`;
          return errorsOf(c).some(
            (e) =>
              e.code === 'DISCLOSING_TEMPLATE' &&
              e.pointer === `/templates/${ti}/paraphrases/${k}/${lang}` &&
              e.offset === safe,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
