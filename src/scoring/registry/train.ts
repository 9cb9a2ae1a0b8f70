/**
 * `weidai train`: runs the Python trainer of models/training (the project's one Python part) as a child
 * process — `setup.sh` first, then `python -m weidai_train train …` — and hands back its JSON metrics. Nothing
 * here imports Python: the contract is the command line and the files it writes.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODELS_DIR } from './service.js';

export const TRAINING_DIR = fileURLToPath(new URL('../../../models/training/', import.meta.url));

export interface TrainOptions {
  /** A bank's historical loans (cold start). */
  csv?: string | undefined;
  /** Expert opinions exported by the service (JSONL) or a CSV of them. */
  input?: string | undefined;
  /** The target column; `decision` for --input when not given. */
  target?: string | undefined;
  positive?: string | undefined;
  exclude?: readonly string[] | undefined;
  origins?: string | undefined;
  /** Version name; the model is written to <modelsDir>/<version>. */
  version: string;
  modelsDir?: string | undefined;
}

export interface TrainResult {
  ok: boolean;
  exitCode: number;
  /** The trainer's JSON report (out folder and cross-validated metrics) when it succeeded. */
  report: unknown;
  /** What the trainer printed on stderr (its refusal message on failure). */
  stderr: string;
  outDir: string;
}

/** The trainer's arguments; refuses incoherent options with a message (TRAIN_OPTIONS_INVALID). */
export function trainerArgs(o: TrainOptions, cwd = process.cwd()): { args: string[]; outDir: string } {
  if ((o.csv === undefined) === (o.input === undefined)) {
    throw new TrainOptionsError('Give exactly one of --csv FILE (with --target COLUMN) or --input FILE');
  }
  if (o.csv !== undefined && !o.target) throw new TrainOptionsError('--csv needs --target COLUMN');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(o.version)) {
    throw new TrainOptionsError(
      '--version must be one folder name of letters, digits, dot, dash, underscore',
    );
  }
  const outDir = resolve(o.modelsDir ?? DEFAULT_MODELS_DIR, o.version);
  const args = ['-m', 'weidai_train', 'train'];
  if (o.csv !== undefined) args.push('--csv', resolve(cwd, o.csv));
  if (o.input !== undefined) args.push('--input', resolve(cwd, o.input));
  args.push('--target', o.target ?? 'decision', '--out', outDir);
  if (o.positive) args.push('--positive', o.positive);
  for (const c of o.exclude ?? []) args.push('--exclude', c);
  if (o.origins) args.push('--origins', resolve(cwd, o.origins));
  return { args, outDir };
}

export class TrainOptionsError extends Error {
  readonly code = 'TRAIN_OPTIONS_INVALID';
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => done({ code: 127, stdout, stderr: `${stderr}${e.message}\n` }));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** Sets up the Python environment (idempotent) and trains; never throws for a trainer failure. */
export async function runTrainer(o: TrainOptions, trainingDir = TRAINING_DIR): Promise<TrainResult> {
  const { args, outDir } = trainerArgs(o);
  const setup = await run('bash', [resolve(trainingDir, 'setup.sh')], trainingDir);
  if (setup.code !== 0) {
    return {
      ok: false,
      exitCode: setup.code,
      report: null,
      stderr: `models/training/setup.sh failed:\n${setup.stderr}`,
      outDir,
    };
  }
  const r = await run(resolve(trainingDir, '.venv/bin/python'), args, trainingDir);
  let report: unknown = null;
  if (r.code === 0) {
    try {
      report = JSON.parse(r.stdout) as unknown;
    } catch {
      return {
        ok: false,
        exitCode: 1,
        report: null,
        stderr: `The trainer printed no JSON report:\n${r.stdout}`,
        outDir,
      };
    }
  }
  return { ok: r.code === 0, exitCode: r.code, report, stderr: r.stderr, outDir };
}
