/**
 * A test app whose model registry reads a temporary models folder: the shipped demo versions plus broken
 * copies (an ONNX file the runtime refuses, cards that lie about their features).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODELS_DIR, createModelsService } from '../../../src/scoring/registry/index.js';
import { type TestApp, buildTestApp } from '../../helper.js';

type Json = Record<string, unknown>;

function editCard(dir: string, edit: (card: Json) => void) {
  const path = join(dir, 'card.json');
  const card = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(card);
  writeFileSync(path, JSON.stringify(card));
}

/** Copies demo-v1 and demo-v2 and writes the broken variants beside them. */
export function makeModelsDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'weidai-models-'));
  for (const v of ['demo-v1', 'demo-v2'])
    cpSync(join(DEFAULT_MODELS_DIR, v), join(root, v), { recursive: true });

  const broken = join(root, 'broken-onnx');
  cpSync(join(root, 'demo-v2'), broken, { recursive: true });
  const garbage = Buffer.from('this is not an ONNX model');
  writeFileSync(join(broken, 'model.onnx'), garbage);
  editCard(broken, (c) => {
    c.model_version = 'broken-onnx';
    (c.onnx as Json).sha256 = createHash('sha256').update(garbage).digest('hex');
  });

  const wrongSource = join(root, 'lying-source');
  cpSync(join(root, 'demo-v2'), wrongSource, { recursive: true });
  editCard(wrongSource, (c) => {
    c.model_version = 'lying-source';
    const inputs = c.inputs as Json[];
    const features = c.features as Json[];
    inputs.find((i) => i.name === 'years_in_business')!.origin = 'screening';
    features.find((f) => f.name === 'years_in_business')!.origin = 'screening';
  });

  const wrongName = join(root, 'lying-name');
  cpSync(join(root, 'demo-v2'), wrongName, { recursive: true });
  editCard(wrongName, (c) => {
    c.model_version = 'lying-name';
    for (const x of [...(c.inputs as Json[]), ...(c.features as Json[])]) {
      if (x.name === 'debt_ratio') x.name = 'debt_to_income';
      if (x.source === 'debt_ratio') x.source = 'debt_to_income';
    }
  });
  return root;
}

export interface RegistryTestApp extends TestApp {
  modelsDir: string;
}

export async function buildRegistryTestApp(): Promise<RegistryTestApp> {
  const modelsDir = makeModelsDir();
  const t = await buildTestApp({
    async withContext(c) {
      await c.models.close();
      return { ...c, models: createModelsService({ db: c.db, clock: c.clock, audit: c.audit, modelsDir }) };
    },
  });
  return {
    ...t,
    modelsDir,
    async close() {
      await t.close();
      await t.ctx.models.close();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}
