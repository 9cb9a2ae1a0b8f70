/**
 * Reading XGBoost's JSON model format (`Booster.save_model("….json")`, XGBoost ≥ 1.0; base_score as a
 * vector string such as "[5E-1]" since 3.1) into plain arrays for margin prediction and TreeSHAP. Pure.
 */
import { z } from 'zod';
import { modelUnsupported } from './errors.js';

const numArray = z.array(z.number());
const intArray = z.array(z.number().int());

const TreeJsonSchema = z.object({
  left_children: intArray,
  right_children: intArray,
  split_indices: intArray,
  split_conditions: numArray,
  default_left: z.array(z.union([z.number().int(), z.boolean()])),
  base_weights: numArray,
  sum_hessian: numArray,
  split_type: intArray.optional(),
  tree_param: z.object({ num_nodes: z.string() }).loose(),
});

export const XgboostJsonSchema = z.object({
  version: z.array(z.number().int()),
  learner: z.object({
    learner_model_param: z
      .object({ base_score: z.string(), num_feature: z.string(), num_class: z.string().optional() })
      .loose(),
    objective: z.object({ name: z.string() }).loose(),
    gradient_booster: z.object({
      name: z.string(),
      model: z
        .object({
          trees: z.array(TreeJsonSchema),
          tree_info: intArray.optional(),
        })
        .loose(),
    }),
  }),
});
export type XgboostJson = z.infer<typeof XgboostJsonSchema>;

/** One regression tree; children -1 mark a leaf, whose value is its split condition. */
export interface Tree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly feature: Int32Array;
  /** Split thresholds for inner nodes and leaf values for leaves, both rounded to float32 as XGBoost stores them. */
  readonly value: Float64Array;
  readonly defaultLeft: Uint8Array;
  /** Sum of hessians of the training rows reaching the node ("cover"), TreeSHAP's weights. */
  readonly cover: Float64Array;
  readonly maxDepth: number;
  /** Cover-weighted mean of the leaves (XGBoost's FillNodeMeanValues at the root): the tree's expected value. */
  readonly expectedValue: number;
}

export interface TreeEnsemble {
  readonly trees: readonly Tree[];
  /** The margin every prediction starts from: logit(base_score) for logistic objectives. */
  readonly baseMargin: number;
  readonly numFeature: number;
  readonly objective: string;
  readonly xgboostVersion: string;
}

const LOGISTIC = new Set(['binary:logistic', 'reg:logistic']);
const IDENTITY = new Set(['binary:logitraw', 'reg:squarederror']);

/** "[1.2E-1]" (XGBoost ≥ 3.1) or "1.2E-1" (earlier) → 0.12; a vector must have exactly one element here. */
export function parseBaseScore(text: string): number {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const parts = inner.split(',').map((s) => s.trim());
  if (parts.length !== 1 || parts[0] === undefined || parts[0] === '') {
    throw modelUnsupported('Only single-target models are supported', { base_score: text });
  }
  const value = Number(parts[0]);
  if (!Number.isFinite(value)) throw modelUnsupported('base_score is not a number', { base_score: text });
  return value;
}

/** The margin-space base: XGBoost's ProbToMargin, ln(p / (1 − p)) for logistic objectives, identity otherwise. */
export function baseMarginOf(objective: string, baseScore: number): number {
  const p = Math.fround(baseScore);
  if (LOGISTIC.has(objective)) {
    if (!(p > 0 && p < 1)) throw modelUnsupported('A logistic base_score must lie in (0, 1)', { baseScore });
    return Math.log(p / (1 - p));
  }
  if (IDENTITY.has(objective)) return p;
  throw modelUnsupported(`Objective ${objective} is not supported`, { objective });
}

function depthOf(left: Int32Array, right: Int32Array): number {
  let max = 0;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    max = Math.max(max, depth);
    const l = left[node]!;
    if (l !== -1) stack.push([l, depth + 1], [right[node]!, depth + 1]);
  }
  return max;
}

function meanValue(
  left: Int32Array,
  right: Int32Array,
  value: Float64Array,
  cover: Float64Array,
  node: number,
): number {
  const l = left[node]!;
  if (l === -1) return value[node]!;
  const r = right[node]!;
  const sum =
    meanValue(left, right, value, cover, l) * cover[l]! + meanValue(left, right, value, cover, r) * cover[r]!;
  return sum / cover[node]!;
}

function toTree(
  raw: XgboostJson['learner']['gradient_booster']['model']['trees'][number],
  index: number,
): Tree {
  const n = Number(raw.tree_param.num_nodes);
  const lengths = [
    raw.left_children.length,
    raw.right_children.length,
    raw.split_indices.length,
    raw.split_conditions.length,
    raw.default_left.length,
    raw.sum_hessian.length,
  ];
  if (lengths.some((len) => len !== n)) {
    throw modelUnsupported(`Tree ${index} has arrays of unequal length`, { tree: index, nodes: n, lengths });
  }
  if (raw.split_type?.some((t) => t !== 0)) {
    // Categorical splits partition by category sets; neither ONNX export nor this TreeSHAP handles them.
    throw modelUnsupported(`Tree ${index} has categorical splits`, { tree: index });
  }
  const left = Int32Array.from(raw.left_children);
  const right = Int32Array.from(raw.right_children);
  const value = Float64Array.from(raw.split_conditions, (v) => Math.fround(v));
  const cover = Float64Array.from(raw.sum_hessian, (v) => Math.fround(v));
  return {
    left,
    right,
    feature: Int32Array.from(raw.split_indices),
    value,
    defaultLeft: Uint8Array.from(raw.default_left, (v) => (v === true || v === 1 ? 1 : 0)),
    cover,
    maxDepth: depthOf(left, right),
    expectedValue: meanValue(left, right, value, cover, 0),
  };
}

/** Validates and converts a parsed XGBoost JSON document. Only gbtree binary/regression models are accepted. */
export function treeEnsembleFromJson(json: unknown): TreeEnsemble {
  const parsed = XgboostJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw modelUnsupported('Not an XGBoost JSON model', { issues: parsed.error.issues.slice(0, 5) });
  }
  const { learner, version } = parsed.data;
  if (learner.gradient_booster.name !== 'gbtree') {
    throw modelUnsupported(`Booster ${learner.gradient_booster.name} is not supported`);
  }
  const numClass = Number(learner.learner_model_param.num_class ?? '0');
  if (numClass > 1) throw modelUnsupported('Multi-class models are not supported', { numClass });
  const objective = learner.objective.name;
  const baseMargin = baseMarginOf(objective, parseBaseScore(learner.learner_model_param.base_score));
  return {
    trees: learner.gradient_booster.model.trees.map(toTree),
    baseMargin,
    numFeature: Number(learner.learner_model_param.num_feature),
    objective,
    xgboostVersion: version.join('.'),
  };
}
