/**
 * Reading a fitted answer model from its stored file (models/dialog/answer-model.json, written by
 * scripts/fit-answer-model.ts). The file is checked field by field, so a damaged or hand-edited file stops the
 * service at start with the fields named, instead of skewing every interview's judgement quietly.
 */
import { z } from 'zod';
import { unprocessable } from '../../platform/errors.js';
import type { AnswerModel } from './answer-model.js';
import { OUTCOMES } from './types.js';

const probability = z.number().min(0).max(1);
const positive = z.number().positive();

const OutcomeDistSchema = z
  .object({ consistent: probability, doubtful: probability, contradicted: probability, none: probability })
  .refine((d) => Math.abs(OUTCOMES.reduce((s, o) => s + d[o], 0) - 1) < 1e-6, {
    message: 'the outcome probabilities must sum to 1',
  });

const RowSchema = z.object({ ifTrue: OutcomeDistSchema, ifFalse: OutcomeDistSchema });
const byKindShape = <T extends z.ZodType>(t: T) => z.object({ direct: t, indirect: t, control: t });

const DeviationModelSchema = z.object({
  tauTrue: positive,
  tauFalse: positive,
  noise: byKindShape(positive),
  repeatClaim: byKindShape(z.number().min(0).lt(1)),
  approxSd: z.number().min(0),
  unreliableSd: positive,
  banded: z.boolean().optional(),
  anchorSd: z.number().min(0).optional(),
  followShrink: z.number().gt(0).max(1).optional(),
  lowSide: z.record(z.string(), probability).optional(),
  wideShare: probability.optional(),
  tauWide: positive.optional(),
});

export const AnswerModelSchema = z.object({
  version: z.string().min(1),
  byKind: byKindShape(RowSchema),
  unreliable: OutcomeDistSchema,
  reliabilityPrior: z.object({ alpha: positive, beta: positive }),
  deviation: DeviationModelSchema.optional(),
});

/** The stored file: the model and what it was fitted on. */
export const AnswerModelFileSchema = z.object({
  format: z.literal('weidai.answer-model/1'),
  /** How the model was fitted: 'simulated' until the bank's own labelled interviews exist. */
  fittedOn: z.object({
    source: z.enum(['simulated', 'labelled']),
    catalogueVersion: z.string(),
    factIds: z.array(z.string()),
    interviews: z.number().int().nonnegative(),
    seed: z.number().int().optional(),
    note: z.string().optional(),
  }),
  model: AnswerModelSchema,
});
export type AnswerModelFile = z.infer<typeof AnswerModelFileSchema>;

/** Validates a parsed answer-model file; throws ANSWER_MODEL_INVALID naming the bad fields. */
export function parseAnswerModelFile(json: unknown): AnswerModelFile {
  const r = AnswerModelFileSchema.safeParse(json);
  if (!r.success) {
    const fields = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw unprocessable(
      'ANSWER_MODEL_INVALID',
      `The answer model file is not valid: ${fields
        .slice(0, 3)
        .map((f) => `${f.path || '(root)'}: ${f.message}`)
        .join('; ')}`,
      { fields },
    );
  }
  return r.data;
}

/** The answer model of a parsed answer-model file (e.g. `JSON.parse` of models/dialog/answer-model.json). */
export function loadAnswerModel(json: unknown): AnswerModel {
  return parseAnswerModelFile(json).model;
}
