/**
 * A trained tree ensemble as plain JSON (number arrays, so it caches, travels with a run and loads
 * anywhere) and prediction from it. Trees are flat: node i's left child is node i + 1 (pre-order),
 * its right child right[i]; a leaf has feature -1 and its values are the next `outputs` numbers of
 * value (leaves in pre-order). A split sends a row left when its value is at most the feature's
 * bin edge edges[feature][bin], a missing value (NaN) by missingLeft.
 */
import { DataError } from '@stagegraph/pipeline';
import { MISSING_BIN, type BinnedFeatures, type FeatureMatrix } from './binning.js';

/** A tree as it is grown: typed arrays. */
export interface TreeArrays {
  feature: Int32Array;
  bin: Uint8Array;
  missingLeft: Uint8Array;
  right: Int32Array;
  value: Float64Array;
}

/** A tree in a model: the same arrays as plain numbers. */
export interface TreeJson {
  feature: number[];
  bin: number[];
  missingLeft: number[];
  right: number[];
  value: number[];
}

export type TreeTask = 'classification' | 'regression';
export type BoostingObjective = 'squared-error' | 'logistic' | 'softmax';

export interface TreeEnsembleModel {
  format: 'stagegraph-tree-ensemble';
  version: 1;
  kind: 'random-forest' | 'gradient-boosting';
  task: TreeTask;
  /** Columns a row must have. */
  features: number;
  /** Classes of a classification (ids 0..classes-1); 0 for a regression. */
  classes: number;
  /** Per feature, its bins' upper edges. */
  edges: number[][];
  trees: TreeJson[];
  /** Gradient boosting: the loss, the starting scores, and trees per round (one per class for softmax). */
  objective?: BoostingObjective;
  base?: number[];
  treesPerRound?: number;
  /** The options it was trained with, resolved (defaults filled in). */
  options: Record<string, unknown>;
}

/** A tree's arrays as JSON numbers; leaf values rounded to `digits` significant digits when given. */
export function treeToJson(tree: TreeArrays, digits?: number): TreeJson {
  const round = digits ? (v: number) => Number(v.toPrecision(digits)) : (v: number) => v;
  return {
    feature: Array.from(tree.feature),
    bin: Array.from(tree.bin),
    missingLeft: Array.from(tree.missingLeft),
    right: Array.from(tree.right),
    value: Array.from(tree.value, round),
  };
}

/** A tree ready to walk: thresholds as values and each leaf's offset into value. */
interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  right: Int32Array;
  /** For a leaf, where its values start in value. */
  leafOffset: Int32Array;
  value: Float64Array;
}

function compileTree(tree: TreeJson, edges: number[][], outputs: number): CompiledTree {
  const n = tree.feature.length;
  const compiled: CompiledTree = {
    feature: Int32Array.from(tree.feature),
    threshold: new Float64Array(n),
    missingLeft: Uint8Array.from(tree.missingLeft),
    right: Int32Array.from(tree.right),
    leafOffset: new Int32Array(n),
    value: Float64Array.from(tree.value),
  };
  let leaf = 0;
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i];
    if (f < 0) compiled.leafOffset[i] = leaf++ * outputs;
    // the last bin has no edge: a split there would send every value left
    else compiled.threshold[i] = tree.bin[i] < edges[f].length ? edges[f][tree.bin[i]] : Infinity;
  }
  return compiled;
}

/** The leaf row r of x (row-major, cols wide) reaches: the offset of its values. */
function leafFor(tree: CompiledTree, x: FeatureMatrix, base: number): number {
  const { feature, threshold, missingLeft, right } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const v = x[base + f];
    node = v <= threshold[node] || (v !== v && missingLeft[node] === 1) ? node + 1 : right[node];
    f = feature[node];
  }
  return tree.leafOffset[node];
}

/** The leaf row r of binned rows reaches (training: the same rows as bins). */
export function leafForBinned(tree: TreeArrays, data: BinnedFeatures, r: number, leafOffsets: Int32Array): number {
  const { feature, bin, missingLeft, right } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const b = data.bins[f * data.rows + r];
    node = (b === MISSING_BIN ? missingLeft[node] === 1 : b <= bin[node]) ? node + 1 : right[node];
    f = feature[node];
  }
  return leafOffsets[node];
}

/** Each node's offset into value when it is a leaf (pre-order leaf numbering). */
export function leafOffsets(feature: Int32Array, outputs: number): Int32Array {
  const offsets = new Int32Array(feature.length);
  let leaf = 0;
  for (let i = 0; i < feature.length; i++) if (feature[i] < 0) offsets[i] = leaf++ * outputs;
  return offsets;
}

/** Checks x's size against the model and rows x cols. */
export function checkMatrix(what: string, x: FeatureMatrix, rows: number, cols: number, features?: number) {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 1)
    throw new DataError(`${what}: expected rows >= 0 and cols >= 1 (integers), got rows ${rows}, cols ${cols}`);
  if (x.length !== rows * cols)
    throw new DataError(`${what}: expected x of length rows x cols = ${rows * cols}, got ${x.length}`);
  if (features !== undefined && cols !== features)
    throw new DataError(`${what}: expected ${features} features per row as the model was trained on, got ${cols}`);
}

/**
 * Each row's leaf values summed over the trees: rows x outputs, where tree t adds into output
 * t % treesPerRound at width `width` (a forest's trees each add all their outputs).
 */
export function sumLeaves(model: TreeEnsembleModel, x: FeatureMatrix, rows: number, width: number): Float64Array {
  const perRound = model.treesPerRound ?? 1;
  const treeOutputs = model.kind === 'random-forest' ? width : 1;
  const sums = new Float64Array(rows * width);
  const cols = model.features;
  model.trees.forEach((json, t) => {
    const tree = compileTree(json, model.edges, treeOutputs);
    const output = model.kind === 'random-forest' ? 0 : t % perRound;
    for (let r = 0; r < rows; r++) {
      const leaf = leafFor(tree, x, r * cols);
      for (let k = 0; k < treeOutputs; k++) sums[r * width + output + k] += tree.value[leaf + k];
    }
  });
  return sums;
}
