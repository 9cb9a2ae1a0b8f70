import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import { SECTORS } from '../../../src/questions/types.js';
import { isAppError } from '../../../src/platform/errors.js';
import { fitCatalogueAnswerModel } from '../../../src/dialog/belief/fit-catalogue.js';
import { loadAnswerModel, parseAnswerModelFile } from '../../../src/dialog/belief/load.js';

const artifact = (): unknown =>
  JSON.parse(readFileSync(new URL('../../../models/dialog/answer-model.json', import.meta.url), 'utf8'));

describe('the committed answer model', () => {
  it('loads_and_judges_numbers_pooled', () => {
    const model = loadAnswerModel(artifact());
    expect(model.deviation?.banded).toBe(true);
    for (const kind of ['direct', 'indirect', 'control'] as const) {
      const row = model.byKind[kind];
      // A fitted table still separates true from false: a consistent answer is likelier when the fact is true.
      expect(row.ifTrue.consistent).toBeGreaterThan(row.ifFalse.consistent);
    }
  });

  it('was_fitted_for_the_fact_ids_of_the_production_catalogue', () => {
    const file = parseAnswerModelFile(artifact());
    expect(file.fittedOn.source).toBe('simulated');
    expect(file.fittedOn.catalogueVersion).toBe(DEFAULT_CATALOGUE.version);
    const catalogueFacts = new Set<string>();
    for (const s of SECTORS)
      for (const f of generateBank(SAMPLE_CASES[s], DEFAULT_CATALOGUE, { seed: 1 }).facts)
        catalogueFacts.add(f.id);
    expect(new Set(file.fittedOn.factIds)).toEqual(catalogueFacts);
    // The side of the band a misstated fact lies on is calibrated under the catalogue's ids, not the simulator's.
    const sides = Object.keys(file.model.deviation?.lowSide ?? {});
    expect(sides).toContain('sales.monthly');
    expect(sides.every((id) => catalogueFacts.has(id))).toBe(true);
    expect(file.model.deviation!.lowSide!['sales.monthly']).toBeGreaterThan(0.5);
  });
});

describe('loadAnswerModel', () => {
  it('rejects_a_damaged_file_with_ANSWER_MODEL_INVALID_naming_the_field', () => {
    const bad = artifact() as { model: { byKind: { direct: { ifTrue: { consistent: number } } } } };
    bad.model.byKind.direct.ifTrue.consistent = 1.7;
    try {
      loadAnswerModel(bad);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('ANSWER_MODEL_INVALID');
      expect((e as Error).message).toContain('model.byKind.direct.ifTrue');
    }
  });

  it('rejects_something_that_is_not_an_answer_model_file', () => {
    expect(() => loadAnswerModel({ version: 'x' })).toThrow(/answer model file is not valid/);
    expect(() => loadAnswerModel(null)).toThrow(/answer model file is not valid/);
  });
});

describe('fitCatalogueAnswerModel', () => {
  it('is_deterministic_under_its_seed', () => {
    const a = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 48, seed: 3 });
    const b = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 48, seed: 3 });
    expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
    const c = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 48, seed: 4 });
    expect(JSON.stringify(c.model)).not.toBe(JSON.stringify(a.model));
  });
});
