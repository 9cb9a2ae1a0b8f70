import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainOptionsError, runTrainer, trainerArgs } from '../../../src/scoring/registry/train.js';

const dir = mkdtempSync(join(tmpdir(), 'weidai-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trainerArgs', () => {
  it('forwards --csv and --target to the Python trainer with absolute paths', () => {
    const { args, outDir } = trainerArgs(
      { csv: 'loans.csv', target: 'bad', positive: 'yes', exclude: ['id'], version: 'v9', modelsDir: '/m' },
      '/data',
    );
    expect(args).toEqual([
      '-m',
      'weidai_train',
      'train',
      '--csv',
      '/data/loans.csv',
      '--target',
      'bad',
      '--out',
      '/m/v9',
      '--positive',
      'yes',
      '--exclude',
      'id',
    ]);
    expect(outDir).toBe('/m/v9');
  });

  it('takes the expert decision as the target of --input by default', () => {
    expect(trainerArgs({ input: '/x/opinions.jsonl', version: 'v1', modelsDir: '/m' }).args).toContain(
      'decision',
    );
  });

  it('refuses both --csv and --input, --csv without --target, and a version that is a path', () => {
    expect(() => trainerArgs({ csv: 'a', input: 'b', target: 't', version: 'v' })).toThrow(TrainOptionsError);
    expect(() => trainerArgs({ csv: 'a', version: 'v' })).toThrow('--csv needs --target COLUMN');
    expect(() => trainerArgs({ csv: 'a', target: 't', version: '../v' })).toThrow(TrainOptionsError);
  });
});

describe('runTrainer', () => {
  it('refuses a CSV without the target column with the trainer message and a non-zero exit', async () => {
    const csv = join(dir, 'no-target.csv');
    writeFileSync(csv, 'a,b\n1,0\n2,1\n3,0\n');
    const r = await runTrainer({ csv, target: 'defaulted', version: 'v', modelsDir: dir });
    expect(r.ok).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("target column 'defaulted' not found");
  }, 60_000);

  it('refuses a CSV whose target has one class only', async () => {
    const csv = join(dir, 'one-class.csv');
    writeFileSync(csv, ['a,defaulted', ...Array.from({ length: 20 }, (_, i) => `${i},0`)].join('\n'));
    const r = await runTrainer({ csv, target: 'defaulted', version: 'v', modelsDir: dir });
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('single class');
  }, 60_000);
});
