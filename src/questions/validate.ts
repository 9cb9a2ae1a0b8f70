/**
 * Validation of a fact catalogue before it is saved. Every refusal carries its position as a JSON path
 * (`['templates', 3, 'paraphrases', 1, 'zh-CN']`), the same path as a JSON Pointer, and, for text, the
 * character offset of the offending slot or figure, so the risk manager's editor can point at it.
 */
import { unprocessable } from '../platform/errors.js';
import { CatalogueSchema } from './schemas.js';
import type { Catalogue, CatalogueFact, Operand, QuestionTemplate } from './schemas.js';
import { DEFAULT_KNOWN_SOURCES, allSourceNames, isKnownSource, sourceName } from './sources.js';
import type { KnownSources } from './sources.js';
import { EARLIER_ANSWER_SLOT, OWN_ANSWER_SLOT, figureAt, slotsOf, strayBraceAt } from './text.js';
import { DISPLAY_FIELDS, SECTORS } from './types.js';
import type { FactSource, Localized, Sector } from './types.js';

export type CatalogueIssueCode =
  | 'SCHEMA_INVALID'
  | 'DUPLICATE_FACT_ID'
  | 'DUPLICATE_TEMPLATE_ID'
  | 'DUPLICATE_SIGNAL_CODE'
  | 'IMPORTANCE_OUT_OF_RANGE'
  | 'TOLERANCE_INVALID'
  | 'PARAM_OUT_OF_RANGE'
  | 'UNKNOWN_SOURCE'
  | 'UNKNOWN_FACT'
  | 'UNKNOWN_SLOT'
  | 'UNKNOWN_CHOICE'
  | 'MALFORMED_SLOT'
  | 'SLOT_NOT_ALLOWED_HERE'
  | 'SECTOR_TERM_MISSING'
  | 'SECTOR_TERM_INVALID'
  | 'DISCLOSING_TEMPLATE'
  | 'TOO_FEW_PARAPHRASES'
  | 'TEMPLATE_SECTOR_OUTSIDE_FACT'
  | 'CONVERSION_INVALID'
  | 'BENCHMARK_INVALID'
  | 'CHOICES_MISSING'
  | 'DERIVATION_INVALID'
  | 'CONTROL_WITHOUT_SOURCE'
  | 'COVERAGE_SINGLE_ROUTE';

export interface CatalogueIssue {
  code: CatalogueIssueCode;
  /** JSON path of the offending value. */
  path: (string | number)[];
  /** The same position as a JSON Pointer (RFC 6901). */
  pointer: string;
  /** Character offset inside a text value, when the problem is a slot or a figure. */
  offset?: number;
  message: string;
}

export type CatalogueValidation =
  { ok: true; catalogue: Catalogue } | { ok: false; errors: CatalogueIssue[] };

export interface ValidateOptions {
  knownSources?: KnownSources;
}

const NUMERIC_ANSWERS = new Set(['money', 'quantity', 'count', 'percent', 'duration']);
// Prefixes of value names: a slot beginning with one of these would put a figure or a finding in the text.
const VALUE_SLOT_PREFIXES = [
  'expected',
  'survey',
  'financials',
  'screening',
  'fact',
  'value',
  'pl',
  'bs',
  'cf',
  'tax',
  'court',
  'credit',
  'registration',
];
const LANGS = ['zh-CN', 'en-US'] as const;

const toPointer = (path: (string | number)[]): string =>
  path.length === 0
    ? ''
    : '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export const sectorsOf = (s: Sector[] | 'all'): readonly Sector[] => (s === 'all' ? SECTORS : s);

/**
 * Checks a catalogue (parsed JSON of unknown shape) against the schema and every rule a saved catalogue
 * must satisfy. Returns the typed catalogue or every issue found (not just the first).
 */
export function validateCatalogue(input: unknown, options: ValidateOptions = {}): CatalogueValidation {
  const parsed = CatalogueSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => {
      const path = i.path.map((p) => (typeof p === 'number' ? p : String(p)));
      return { code: 'SCHEMA_INVALID' as const, path, pointer: toPointer(path), message: i.message };
    });
    return { ok: false, errors };
  }
  const errors = checkRules(parsed.data, options.knownSources ?? DEFAULT_KNOWN_SOURCES);
  return errors.length === 0 ? { ok: true, catalogue: parsed.data } : { ok: false, errors };
}

/** Validates and returns the catalogue, or throws AppError 422 CATALOGUE_INVALID with `details.errors`. */
export function parseCatalogue(input: unknown, options: ValidateOptions = {}): Catalogue {
  const result = validateCatalogue(input, options);
  if (!result.ok) {
    const first = result.errors[0];
    throw unprocessable(
      'CATALOGUE_INVALID',
      `The catalogue cannot be saved: ${result.errors.length} problem(s), first at ${first?.pointer ?? '/'}: ${first?.message ?? ''}`,
      { errors: result.errors },
    );
  }
  return result.catalogue;
}

function checkRules(cat: Catalogue, known: KnownSources): CatalogueIssue[] {
  const errors: CatalogueIssue[] = [];
  const add = (code: CatalogueIssueCode, path: (string | number)[], message: string, offset?: number) => {
    errors.push(
      offset === undefined
        ? { code, path, pointer: toPointer(path), message }
        : { code, path, pointer: toPointer(path), offset, message },
    );
  };

  checkParams(cat, add);

  const sourceNames = allSourceNames(known);
  const factById = new Map<string, CatalogueFact>();
  cat.facts.forEach((f, i) => {
    if (factById.has(f.id)) add('DUPLICATE_FACT_ID', ['facts', i, 'id'], `Fact id "${f.id}" is used twice`);
    else factById.set(f.id, f);
    checkFact(f, i, known, add);
  });

  // Sector words: a plain word per sector, never a slot or a figure, never shadowing a display field.
  for (const [term, bySector] of Object.entries(cat.sectorTerms)) {
    if (!/^[a-z][a-z_]*$/.test(term) || (DISPLAY_FIELDS as readonly string[]).includes(term)) {
      add(
        'SECTOR_TERM_INVALID',
        ['sectorTerms', term],
        `Sector term "${term}" must be a lower-case name distinct from display fields`,
      );
    }
    for (const [sector, text] of Object.entries(bySector)) {
      for (const lang of LANGS) {
        const t = (text as Localized)[lang];
        const fig = figureAt(t);
        if (fig)
          add(
            'DISCLOSING_TEMPLATE',
            ['sectorTerms', term, sector, lang],
            `Contains the figure "${fig.match}"`,
            fig.index,
          );
        if (slotsOf(t).length > 0 || strayBraceAt(t) !== undefined) {
          add(
            'SECTOR_TERM_INVALID',
            ['sectorTerms', term, sector, lang],
            'A sector term cannot contain slots',
          );
        }
      }
    }
  }

  const ctx: TextContext = { cat, sourceNames, factById, add };
  checkText(ctx, cat.followUps.own, ['followUps', 'own'], {
    where: 'followUp',
    sectors: SECTORS,
    ownFacts: [],
  });
  checkText(ctx, cat.followUps.cross, ['followUps', 'cross'], {
    where: 'followUpCross',
    sectors: SECTORS,
    ownFacts: [],
  });

  const templateIds = new Set<string>();
  cat.templates.forEach((t, i) => {
    if (templateIds.has(t.id))
      add('DUPLICATE_TEMPLATE_ID', ['templates', i, 'id'], `Template id "${t.id}" is used twice`);
    templateIds.add(t.id);
    checkTemplate(ctx, t, i, known);
  });

  const codes = new Set<string>();
  cat.fraudSignals.forEach((s, i) => {
    if (codes.has(s.code))
      add('DUPLICATE_SIGNAL_CODE', ['fraudSignals', i, 'code'], `Signal "${s.code}" is defined twice`);
    codes.add(s.code);
    s.factIds.forEach((id, j) => {
      if (!factById.has(id)) add('UNKNOWN_FACT', ['fraudSignals', i, 'factIds', j], `No fact "${id}"`);
    });
  });

  checkCoverage(cat, factById, add);
  return errors;
}

type Add = (code: CatalogueIssueCode, path: (string | number)[], message: string, offset?: number) => void;

function checkParams(cat: Catalogue, add: Add) {
  const p = cat.params;
  const unit = (v: number, path: (string | number)[]) => {
    if (!(v >= 0 && v <= 1))
      add('PARAM_OUT_OF_RANGE', ['params', ...path], `Must be between 0 and 1, is ${v}`);
  };
  unit(p.doubt.baselineKnown, ['doubt', 'baselineKnown']);
  unit(p.doubt.baselineUnknown, ['doubt', 'baselineUnknown']);
  unit(p.doubt.warn, ['doubt', 'warn']);
  unit(p.doubt.fail, ['doubt', 'fail']);
  unit(p.weight.floor, ['weight', 'floor']);
  unit(p.coverage.twoRoutesFromImportance, ['coverage', 'twoRoutesFromImportance']);
  unit(p.coverage.doubtfulFrom, ['coverage', 'doubtfulFrom']);
  for (const k of ['direct', 'indirect', 'control', 'decoy'] as const) {
    if (!(p.weight[k] >= 0))
      add('PARAM_OUT_OF_RANGE', ['params', 'weight', k], `Must not be negative, is ${p.weight[k]}`);
  }
  if (p.controls.min < 0 || p.controls.min > p.controls.max) {
    add(
      'PARAM_OUT_OF_RANGE',
      ['params', 'controls'],
      `Need 0 ≤ min ≤ max, have ${p.controls.min}..${p.controls.max}`,
    );
  }
  if (p.decoys.count < 0) add('PARAM_OUT_OF_RANGE', ['params', 'decoys', 'count'], 'Must not be negative');
}

function checkFact(f: CatalogueFact, i: number, known: KnownSources, add: Add) {
  if (!(f.importance >= 0 && f.importance <= 1)) {
    add(
      'IMPORTANCE_OUT_OF_RANGE',
      ['facts', i, 'importance'],
      `Importance must be between 0 and 1, is ${f.importance}`,
    );
  }
  const { warn, fail } = f.tolerance;
  if (!(warn >= 0 && fail >= warn && fail <= 10)) {
    add(
      'TOLERANCE_INVALID',
      ['facts', i, 'tolerance'],
      `Need 0 ≤ warn ≤ fail, have warn ${warn}, fail ${fail}`,
    );
  }
  if (!isKnownSource(f.source, known)) {
    add(
      'UNKNOWN_SOURCE',
      ['facts', i, 'source'],
      `Fact "${f.id}" refers to ${sourceName(f.source)}, which the case data does not have`,
    );
  }
  if (f.answerType === 'choice' && (!f.choices || f.choices.length === 0)) {
    add('CHOICES_MISSING', ['facts', i, 'choices'], `Choice fact "${f.id}" lists no choices`);
  }
  for (const key of Object.keys(f.choiceLabels ?? {})) {
    if (!f.choices?.includes(key))
      add('UNKNOWN_CHOICE', ['facts', i, 'choiceLabels', key], `"${key}" is not one of the choices`);
  }
  if ((f.derive || f.flagWhenPositive) && f.source.kind === 'none') {
    add(
      'DERIVATION_INVALID',
      ['facts', i, 'derive'],
      `Fact "${f.id}" derives or flags a value but has no source`,
    );
  }
  if (f.derive === 'months_since' && f.answerType !== 'duration') {
    add(
      'DERIVATION_INVALID',
      ['facts', i, 'derive'],
      'months_since gives a duration: answerType must be duration',
    );
  }
  if (f.derive === 'positive' && f.answerType !== 'yes_no') {
    add('DERIVATION_INVALID', ['facts', i, 'derive'], 'positive gives yes/no: answerType must be yes_no');
  }
}

interface TextContext {
  cat: Catalogue;
  sourceNames: Set<string>;
  factById: Map<string, CatalogueFact>;
  add: Add;
}

interface TextRules {
  where: 'question' | 'followUp' | 'followUpCross';
  sectors: readonly Sector[];
  /** Facts the text asks about: their own display field would give the answer away. */
  ownFacts: CatalogueFact[];
}

function checkText(ctx: TextContext, text: Localized, path: (string | number)[], rules: TextRules) {
  for (const lang of LANGS) {
    const t = text[lang];
    const at = [...path, lang];
    const stray = strayBraceAt(t);
    if (stray !== undefined) ctx.add('MALFORMED_SLOT', at, 'Unbalanced brace', stray);
    const fig = figureAt(t);
    if (fig)
      ctx.add(
        'DISCLOSING_TEMPLATE',
        at,
        `Contains the figure "${fig.match}": a question never states a number`,
        fig.index,
      );
    for (const slot of slotsOf(t)) checkSlot(ctx, slot.name, slot.index, at, rules);
  }
}

function checkSlot(
  ctx: TextContext,
  name: string,
  offset: number,
  at: (string | number)[],
  rules: TextRules,
) {
  const { add } = ctx;
  if (name === OWN_ANSWER_SLOT || name === EARLIER_ANSWER_SLOT) {
    const allowed =
      rules.where === 'followUpCross' || (rules.where === 'followUp' && name === OWN_ANSWER_SLOT);
    if (!allowed) add('SLOT_NOT_ALLOWED_HERE', at, `{${name}} may appear only in a follow-up`, offset);
    return;
  }
  if ((DISPLAY_FIELDS as readonly string[]).includes(name)) {
    const owner = rules.ownFacts.find((f) => f.displayField === name);
    if (owner) add('DISCLOSING_TEMPLATE', at, `{${name}} is the answer to "${owner.id}" itself`, offset);
    return;
  }
  const term = ctx.cat.sectorTerms[name];
  if (term) {
    const missing = rules.sectors.filter((s) => !term[s]);
    if (missing.length > 0)
      add('SECTOR_TERM_MISSING', at, `{${name}} has no word for ${missing.join(', ')}`, offset);
    return;
  }
  const head = name.split(/[._]/)[0] ?? name;
  if (
    ctx.sourceNames.has(name) ||
    ctx.factById.has(name) ||
    name.includes('.') ||
    VALUE_SLOT_PREFIXES.includes(head.toLowerCase())
  ) {
    add(
      'DISCLOSING_TEMPLATE',
      at,
      `{${name}} would put an expected value or outside data into the question`,
      offset,
    );
    return;
  }
  add('UNKNOWN_SLOT', at, `{${name}} is neither a display field nor a sector term`, offset);
}

function checkOperand(op: Operand, path: (string | number)[], known: KnownSources, add: Add) {
  if (!isKnownSource(op.source as FactSource, known)) {
    add(
      'UNKNOWN_SOURCE',
      [...path, 'source'],
      `${sourceName(op.source as FactSource)} is not a known case value`,
    );
  }
}

function checkTemplate(ctx: TextContext, t: QuestionTemplate, i: number, known: KnownSources) {
  const { add, factById } = ctx;
  const base = ['templates', i] as (string | number)[];
  const facts: CatalogueFact[] = [];
  t.factIds.forEach((id, j) => {
    const f = factById.get(id);
    if (f) facts.push(f);
    else
      add(
        'UNKNOWN_FACT',
        [...base, 'factIds', j],
        `Template "${t.id}" verifies "${id}", which is not in the catalogue`,
      );
  });
  const sectors = sectorsOf(t.sectors);
  const factSectors = new Set(facts.flatMap((f) => sectorsOf(f.sectors)));
  const outside = facts.length > 0 ? sectors.filter((s) => !factSectors.has(s)) : [];
  // A template for 'all' sectors on a sector-specific fact is fine: it applies where the fact does.
  if (t.sectors !== 'all' && outside.length > 0) {
    add(
      'TEMPLATE_SECTOR_OUTSIDE_FACT',
      [...base, 'sectors'],
      `No fact of "${t.id}" applies to ${outside.join(', ')}`,
    );
  }
  const effectiveSectors = facts.length > 0 ? sectors.filter((s) => factSectors.has(s)) : sectors;

  if (t.paraphrases.length < 2) {
    add(
      'TOO_FEW_PARAPHRASES',
      [...base, 'paraphrases'],
      `Template "${t.id}" needs at least two paraphrases, has ${t.paraphrases.length}`,
    );
  }
  const rules: TextRules = { where: 'question', sectors: effectiveSectors, ownFacts: facts };
  t.paraphrases.forEach((p, k) => checkText(ctx, p, [...base, 'paraphrases', k], rules));
  t.rephrase.forEach((p, k) => checkText(ctx, p, [...base, 'rephrase', k], rules));
  if (t.followUp) checkText(ctx, t.followUp, [...base, 'followUp'], { ...rules, where: 'followUp' });
  if (t.followUpCross)
    checkText(ctx, t.followUpCross, [...base, 'followUpCross'], { ...rules, where: 'followUpCross' });

  if (t.expectedFrom && !isKnownSource(t.expectedFrom, known)) {
    add(
      'UNKNOWN_SOURCE',
      [...base, 'expectedFrom'],
      `${sourceName(t.expectedFrom)} is not a known case value`,
    );
  }
  const primary = facts[0];
  if (t.convert) {
    const numericFact = primary ? NUMERIC_ANSWERS.has(primary.answerType) : true;
    if (t.convert.kind === 'scale') {
      if (!NUMERIC_ANSWERS.has(t.answerType) || !numericFact) {
        add(
          'CONVERSION_INVALID',
          [...base, 'convert'],
          'A scale conversion needs a numeric answer and a numeric fact',
        );
      }
      if (t.convert.factor !== undefined && !(t.convert.factor > 0)) {
        add('CONVERSION_INVALID', [...base, 'convert', 'factor'], 'The factor must be positive');
      }
      t.convert.times?.forEach((op, k) => checkOperand(op, [...base, 'convert', 'times', k], known, add));
      t.convert.per?.forEach((op, k) => checkOperand(op, [...base, 'convert', 'per', k], known, add));
      if (t.convert.perOneMinus)
        checkOperand(t.convert.perOneMinus, [...base, 'convert', 'perOneMinus'], known, add);
    } else if (t.answerType !== 'date' || !numericFact || !(t.convert.factUnitsPerYear > 0)) {
      add(
        'CONVERSION_INVALID',
        [...base, 'convert'],
        'years_ago needs a date (year) answer, a numeric fact and positive units per year',
      );
    }
  }
  if (t.benchmark && !(t.benchmark.low <= t.benchmark.high && NUMERIC_ANSWERS.has(t.answerType))) {
    add('BENCHMARK_INVALID', [...base, 'benchmark'], 'A benchmark needs low ≤ high and a numeric answer');
  }
  if (t.kind === 'control' && primary && primary.source.kind === 'none' && !t.expectedFrom) {
    add(
      'CONTROL_WITHOUT_SOURCE',
      [...base, 'kind'],
      `A control question needs a known answer; "${primary.id}" has no source`,
    );
  }
}

function checkCoverage(cat: Catalogue, factById: Map<string, CatalogueFact>, add: Add) {
  const threshold = cat.params.coverage.twoRoutesFromImportance;
  cat.facts.forEach((f, i) => {
    if (f.cover || f.importance < threshold || factById.get(f.id) !== f) return;
    for (const sector of sectorsOf(f.sectors)) {
      const ts = cat.templates.filter(
        (t) => t.factIds.includes(f.id) && sectorsOf(t.sectors).includes(sector),
      );
      const direct = ts.filter((t) => t.kind !== 'indirect');
      const indirect = ts.filter((t) => t.kind === 'indirect');
      const independent = direct.some((d) => indirect.some((n) => n.route !== d.route));
      if (!independent) {
        add(
          'COVERAGE_SINGLE_ROUTE',
          ['facts', i],
          `Fact "${f.id}" (importance ${f.importance}) needs a direct and an independent indirect template in ${sector}`,
        );
      }
    }
  });
}
