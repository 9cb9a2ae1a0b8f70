import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import { SECTORS } from '../../../src/questions/types.js';
import { isAppError } from '../../../src/platform/errors.js';
import {
  DEFAULT_CATALOGUE_FIT,
  answerModelFileOf,
  fitCatalogueAnswerModel,
} from '../../../src/dialog/belief/fit-catalogue.js';
import { loadAnswerModel, parseAnswerModelFile } from '../../../src/dialog/belief/load.js';

const artifact = (): unknown =>
  JSON.parse(readFileSync(new URL('../../../models/dialog/answer-model.json', import.meta.url), 'utf8'));

describe('the committed answer model', () => {
  it('loads, and judges numbers pooled', () => {
    const model = loadAnswerModel(artifact());
    expect(model.deviation?.banded).toBe(true);
    for (const kind of ['direct', 'indirect', 'control'] as const) {
      const row = model.byKind[kind];
      // A fitted table still separates true from false: a consistent answer is likelier when the fact is true.
      expect(row.ifTrue.consistent).toBeGreaterThan(row.ifFalse.consistent);
    }
  });

  it('was fitted for the fact ids of the production catalogue', () => {
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

  // The file is fitted on interviews the dialog's rules and the simulator shape: a change to either changes the
  // model the fit gives, and a file left from before judges with a model no current code produces (the file was
  // fitted before 3436c28 and 0e163b8 changed the banks and the rules, and judged under the same version string
  // until it was refitted). Refit: npx tsx scripts/fit-answer-model.ts.
  it('is what scripts/fit-answer-model.ts writes from this code, byte for byte', () => {
    const fit = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, ...DEFAULT_CATALOGUE_FIT });
    const written = JSON.stringify(answerModelFileOf(fit), null, 2) + '\n';
    const committed = readFileSync(
      new URL('../../../models/dialog/answer-model.json', import.meta.url),
      'utf8',
    );
    expect(written === committed, 'models/dialog/answer-model.json is stale: refit it').toBe(true);
  }, 120_000);

  it('names its content in its version: another model, another version', () => {
    const a = answerModelFileOf(
      fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 24, seed: 3 }),
    );
    const b = answerModelFileOf(
      fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 24, seed: 3 }),
    );
    const c = answerModelFileOf(
      fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 24, seed: 4 }),
    );
    expect(a.model.version).toBe(b.model.version);
    expect(a.model.version).toMatch(/^catalogue-.+-sim-24-seed-3-[0-9a-f]{8}$/);
    expect(c.model.version).not.toBe(a.model.version);
  });
});

describe('loadAnswerModel', () => {
  it('rejects a damaged file with ANSWER_MODEL_INVALID, naming the field', () => {
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

  it('rejects something that is not an answer-model file', () => {
    expect(() => loadAnswerModel({ version: 'x' })).toThrow(/answer model file is not valid/);
    expect(() => loadAnswerModel(null)).toThrow(/answer model file is not valid/);
  });
});

describe('fitCatalogueAnswerModel', () => {
  it('fits route noise and true-value spread near the simulator’s own (no route read as wildly off)', () => {
    const d = parseAnswerModelFile(artifact()).model.deviation!;
    expect(d.tauTrue).toBeGreaterThan(0.03);
    expect(d.tauTrue).toBeLessThan(0.1);
    expect(d.noise.direct).toBeLessThan(d.noise.indirect);
  });

  it('is deterministic under its seed', () => {
    const a = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 48, seed: 3 });
    const b = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 48, seed: 3 });
    expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
    const c = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews: 48, seed: 4 });
    expect(JSON.stringify(c.model)).not.toBe(JSON.stringify(a.model));
  });
});
