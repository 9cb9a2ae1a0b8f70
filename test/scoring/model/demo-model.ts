/** The shipped demo version and the reference vectors XGBoost wrote beside it (models/training). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureRow } from '../../../src/scoring/model/card.js';

export const DEMO_DIR = fileURLToPath(new URL('../../../models/expert/demo-v1/', import.meta.url));

export interface ReferenceVector {
  row: FeatureRow;
  /** Encoded features as written by Python; null = NaN. */
  features: (number | null)[];
  contributions: number[];
  bias: number;
  margin: number;
  probability: number;
}

export const readDemoJson = (name: string): unknown =>
  JSON.parse(readFileSync(DEMO_DIR + name, 'utf8')) as unknown;

export const referenceVectors = (): ReferenceVector[] =>
  (readDemoJson('shap_vectors.json') as { vectors: ReferenceVector[] }).vectors;

export const asFeatureVector = (features: (number | null)[]): number[] =>
  features.map((v) => (v === null ? Number.NaN : v));

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
