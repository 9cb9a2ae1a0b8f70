import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createContext } from '../../src/platform/context.js';

describe('the interview answer model file', () => {
  it('is the committed catalogue-fitted model unless configured', () => {
    const file = loadConfig({}).answerModelFile;
    expect(file.endsWith(join('models', 'dialog', 'answer-model.json'))).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('stops the start with ANSWER_MODEL_INVALID when the configured file is not a model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weidai-model-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ outcomes: 'none' }));
    await expect(
      createContext(loadConfig({ WEIDAI_ANSWER_MODEL: file, WEIDAI_VAR_DIR: dir })),
    ).rejects.toMatchObject({
      code: 'ANSWER_MODEL_INVALID',
    });
  });
});
