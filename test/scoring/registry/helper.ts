/**
 * A test app whose model registry reads a temporary models folder: the shipped demo versions plus broken
 * copies (an ONNX file the runtime refuses, cards that lie about their features).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp } from '../../../src/app.js';
import { DEMO_PASSWORD, seedDemoBank } from '../../../src/platform/identity/seed.js';
import { DEFAULT_MODELS_DIR, createModelsService } from '../../../src/scoring/registry/index.js';
import { type TestApp, buildTestContext } from '../../helper.js';

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
  const t = await buildTestContext();
  const demo = await seedDemoBank(t.ctx);
  const modelsDir = makeModelsDir();
  const c = t.ctx;
  await c.models.close();
  const ctx = { ...c, models: createModelsService({ db: c.db, clock: c.clock, audit: c.audit, modelsDir }) };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = await buildApp(ctx, { logStream });
  await app.ready();
  return {
    ...t,
    ctx,
    app,
    demo,
    logs,
    modelsDir,
    async loginAs(username: string) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return { authorization: `Bearer ${res.json<{ access_token: string }>().access_token}` };
    },
    async close() {
      await app.close();
      await ctx.models.close();
      await t.close();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}
