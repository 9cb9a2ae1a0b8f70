/**
 * Exact SHAP values of a tree ensemble: the path-dependent TreeSHAP of Lundberg, Erion and Lee, "Consistent
 * Individualized Feature Attribution for Tree Ensembles" (arXiv:1802.03888, 2018), Algorithm 2, in the form
 * XGBoost implements it for `pred_contribs` (src/predictor/treeshap.cc: ExtendPath, UnwindPath,
 * UnwoundPathSum, TreeShap). Feature values are compared in float32 as XGBoost does; a missing value (NaN)
 * follows the node's default direction. Pure: no I/O.
 */
import { modelInputInvalid } from './errors.js';
import type { Tree, TreeEnsemble } from './xgboost-json.js';

export interface ShapExplanation {
  /** φ_i per feature, in margin (log-odds) units. */
  readonly contributions: number[];
  /** The expected margin: base margin + Σ over trees of the cover-weighted mean leaf value. */
  readonly bias: number;
  /** bias + Σ contributions, which equals predictMargin(x) (local accuracy). */
  readonly margin: number;
}

function checkWidth(ensemble: TreeEnsemble, x: ArrayLike<number>): void {
  if (x.length !== ensemble.numFeature) {
    throw modelInputInvalid(`Expected ${ensemble.numFeature} features, got ${x.length}`, {
      expected: ensemble.numFeature,
      got: x.length,
    });
  }
}

/** The child a value goes to: missing → default direction, else left when x < threshold (float32). */
function nextNode(tree: Tree, node: number, x: ArrayLike<number>): number {
  const v = x[tree.feature[node]!]!;
  if (Number.isNaN(v)) return tree.defaultLeft[node] === 1 ? tree.left[node]! : tree.right[node]!;
  return Math.fround(v) < tree.value[node]! ? tree.left[node]! : tree.right[node]!;
}

function leafValue(tree: Tree, x: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node] !== -1) node = nextNode(tree, node, x);
  return tree.value[node]!;
}

/** The raw margin (log-odds for logistic objectives) of one feature vector. */
export function predictMargin(ensemble: TreeEnsemble, x: ArrayLike<number>): number {
  checkWidth(ensemble, x);
  let margin = ensemble.baseMargin;
  for (const tree of ensemble.trees) margin += leafValue(tree, x);
  return margin;
}

/**
 * The path of unique features from the root, stored as consecutive frames in flat arrays so that a recursive
 * call copies its parent's frame instead of allocating (XGBoost's unique_path_data layout).
 */
interface PathStore {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function newPathStore(maxDepth: number): PathStore {
  // Frames of depth 0..maxDepth+1 laid end to end, plus the unused slot 0 (typed arrays drop writes past the end,
  // so the size is generous rather than exact).
  const d = maxDepth + 3;
  const size = (d * (d + 1)) / 2;
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
}

/** EXTEND: add a feature with fractions (zero, one) to the path at `p`, of current length `depth`. */
function extendPath(
  s: PathStore,
  p: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  s.feature[p + depth] = feature;
  s.zero[p + depth] = zero;
  s.one[p + depth] = one;
  s.weight[p + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    s.weight[p + i + 1]! += (one * s.weight[p + i]! * (i + 1)) / (depth + 1);
    s.weight[p + i] = (zero * s.weight[p + i]! * (depth - i)) / (depth + 1);
  }
}

/** UNWIND: remove element `index` from the path, undoing its EXTEND. */
function unwindPath(s: PathStore, p: number, depth: number, index: number): void {
  const one = s.one[p + index]!;
  const zero = s.zero[p + index]!;
  let nextOne = s.weight[p + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = s.weight[p + i]!;
      s.weight[p + i] = (nextOne * (depth + 1)) / ((i + 1) * one);
      nextOne = tmp - (s.weight[p + i]! * zero * (depth - i)) / (depth + 1);
    } else {
      s.weight[p + i] = (s.weight[p + i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    s.feature[p + i] = s.feature[p + i + 1]!;
    s.zero[p + i] = s.zero[p + i + 1]!;
    s.one[p + i] = s.one[p + i + 1]!;
  }
}

/** The total permutation weight the path would have without element `index` (UNWIND without mutation). */
function unwoundPathSum(s: PathStore, p: number, depth: number, index: number): number {
  const one = s.one[p + index]!;
  const zero = s.zero[p + index]!;
  let nextOne = s.weight[p + depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (nextOne * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      nextOne = s.weight[p + i]! - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += s.weight[p + i]! / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/** RECURSE of Algorithm 2 for one tree, adding into phi. */
function recurse(
  tree: Tree,
  x: ArrayLike<number>,
  phi: number[],
  s: PathStore,
  node: number,
  depthIn: number,
  parentFrame: number,
  parentZero: number,
  parentOne: number,
  parentFeature: number,
): void {
  let depth = depthIn;
  // This call's frame follows the parent's, which holds at most depth + 1 elements.
  const p = parentFrame + depth + 1;
  // Copy the parent's path (length depth) into this call's frame, then extend it by the parent's split.
  for (let i = 0; i < depth; i++) {
    s.feature[p + i] = s.feature[parentFrame + i]!;
    s.zero[p + i] = s.zero[parentFrame + i]!;
    s.one[p + i] = s.one[parentFrame + i]!;
    s.weight[p + i] = s.weight[parentFrame + i]!;
  }
  extendPath(s, p, depth, parentZero, parentOne, parentFeature);

  const left = tree.left[node]!;
  if (left === -1) {
    const value = tree.value[node]!;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(s, p, depth, i);
      phi[s.feature[p + i]!]! += w * (s.one[p + i]! - s.zero[p + i]!) * value;
    }
    return;
  }

  const feature = tree.feature[node]!;
  const hot = nextNode(tree, node, x);
  const cold = hot === left ? tree.right[node]! : left;
  const cover = tree.cover[node]!;
  const hotZero = tree.cover[hot]! / cover;
  const coldZero = tree.cover[cold]! / cover;
  let incomingZero = 1;
  let incomingOne = 1;

  // A feature already on the path is unwound so this split can re-enter it with combined fractions.
  let index = 0;
  while (index <= depth && s.feature[p + index] !== feature) index++;
  if (index !== depth + 1) {
    incomingZero = s.zero[p + index]!;
    incomingOne = s.one[p + index]!;
    unwindPath(s, p, depth, index);
    depth -= 1;
  }
  recurse(tree, x, phi, s, hot, depth + 1, p, hotZero * incomingZero, incomingOne, feature);
  recurse(tree, x, phi, s, cold, depth + 1, p, coldZero * incomingZero, 0, feature);
}

/**
 * SHAP values of one feature vector (float32 semantics, NaN = missing) for the ensemble's margin.
 * Time O(T·L·D²) for T trees, L leaves and depth D.
 */
export function treeShap(ensemble: TreeEnsemble, x: ArrayLike<number>): ShapExplanation {
  checkWidth(ensemble, x);
  const phi = new Array<number>(ensemble.numFeature).fill(0);
  let bias = ensemble.baseMargin;
  // Frames are fully rewritten before they are read, so one store serves every tree.
  const store = newPathStore(ensemble.trees.reduce((d, t) => Math.max(d, t.maxDepth), 0));
  for (const tree of ensemble.trees) {
    bias += tree.expectedValue;
    // The root's EXTEND adds the dummy element (feature −1, fractions 1) that later UNWINDs never remove.
    recurse(tree, x, phi, store, 0, 0, 0, 1, 1, -1);
  }
  const margin = phi.reduce((a, b) => a + b, bias);
  return { contributions: phi, bias, margin };
}
