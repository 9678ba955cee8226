import type { FeatureMatrix } from './binning.js';
import { predictGradientBoosting } from './gradient-boosting.js';
import { predictForest } from './random-forest.js';
import type { TreeEnsembleModel } from './tree-model.js';

/**
 * Predictions of either kind of tree ensemble for x (rows x cols, row-major, NaN missing):
 * classification, class probabilities (rows x classes); regression, one number per row.
 */
export function predictTrees(model: TreeEnsembleModel, x: FeatureMatrix, rows: number, cols: number): Float64Array {
  return model.kind === 'gradient-boosting'
    ? predictGradientBoosting(model, x, rows, cols)
    : predictForest(model, x, rows, cols);
}
