/** What the tree trainers take, checked once: a row-major feature matrix and its targets. */
import { DataError } from '@stagegraph/pipeline';
import type { FeatureMatrix } from './binning.js';
import { checkMatrix, type TreeTask } from './tree-model.js';

export interface TreeTrainingData {
  /** rows x cols features, row-major; NaN is a missing value. */
  x: FeatureMatrix;
  rows: number;
  cols: number;
  /** Class ids 0..classes-1 (classification) or numbers (regression), one per row. */
  y: Int32Array | Float64Array | Float32Array | readonly number[];
  task: TreeTask;
  /** Classification: how many classes (default: the largest id + 1). */
  classes?: number;
}

export type CheckedTargets =
  { task: 'classification'; labels: Int32Array; classes: number } | { task: 'regression'; targets: Float64Array };

/** Checks sizes and targets (one-line errors naming what is wrong); class ids as Int32Array, numbers as Float64Array. */
export function checkTrainingData(what: string, data: TreeTrainingData): CheckedTargets {
  const { x, rows, cols, y, task } = data;
  checkMatrix(what, x, rows, cols);
  if (rows < 1) throw new DataError(`${what}: expected at least 1 row, got 0`);
  if (y.length !== rows) throw new DataError(`${what}: expected ${rows} targets (one per row), got ${y.length}`);
  if (task === 'regression') {
    const targets = Float64Array.from(y);
    const bad = targets.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataError(`${what}: expected finite regression targets, got ${targets[bad]} at row ${bad}`);
    return { task, targets };
  }
  if (task !== 'classification')
    throw new DataError(`${what}: expected task "classification" or "regression", got ${JSON.stringify(task)}`);
  let largest = 0;
  for (let r = 0; r < rows; r++) {
    const c = y[r];
    if (!Number.isInteger(c) || c < 0)
      throw new DataError(`${what}: expected class ids as integers >= 0, got ${c} at row ${r}`);
    largest = Math.max(largest, c);
  }
  const classes = data.classes ?? largest + 1;
  if (!Number.isInteger(classes) || classes < 1 || largest >= classes)
    throw new DataError(`${what}: expected class ids below classes (${classes}), got ${largest}`);
  return { task, labels: Int32Array.from(y), classes };
}

/** Candidate features per split: 'sqrt', 'third' or 'all' of cols, a fraction (< 1) of them, or a count (>= 1). */
export type MaxFeatures = 'sqrt' | 'third' | 'all' | number;

export function featuresPerSplit(what: string, maxFeatures: MaxFeatures, cols: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (maxFeatures === 'third') return Math.max(1, Math.floor(cols / 3));
  if (maxFeatures === 'all') return cols;
  if (typeof maxFeatures === 'number' && maxFeatures > 0) {
    return maxFeatures < 1 ? Math.max(1, Math.round(maxFeatures * cols)) : Math.min(cols, Math.floor(maxFeatures));
  }
  throw new DataError(`${what}.maxFeatures: expected "sqrt", "third", "all" or a number > 0, got ${maxFeatures}`);
}

/** Checks that option `name` is an integer at least `min` (or Infinity when allowed). */
export function checkCount(what: string, name: string, value: number, min: number, infinite = false) {
  if ((infinite && value === Infinity) || (Number.isInteger(value) && value >= min)) return;
  throw new DataError(`${what}.${name}: expected an integer >= ${min}, got ${value}`);
}
