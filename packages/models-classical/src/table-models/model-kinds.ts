/**
 * Each table model kind's fit and predict behind one interface, with its options and their
 * defaults: what the stage trains, and what a saved TABLE_MODEL predicts with.
 */
import { fitGradientBoosting } from '../trees/gradient-boosting.js';
import { predictTrees } from '../trees/predict-trees.js';
import { fitRandomForest } from '../trees/random-forest.js';
import type { TreeEnsembleModel } from '../trees/tree-model.js';
import { fitBaseline, predictBaseline, type BaselineTrained } from './baseline.js';
import { fitKnn, predictKnn, type KnnTrained } from './knn.js';
import { argMaxRows, fitLinear, predictLinear, type LinearTrained } from './linear.js';
import { fitSvm, predictSvm, type SvmTrained } from './svm.js';
import type { TableFitData, TableModel, TableModelKind, TablePrediction } from './table-model.js';

/** Every option of every kind with its default (undefined: the kind chooses, e.g. by task). */
export const TABLE_MODEL_OPTIONS: Record<TableModelKind, Record<string, unknown>> = {
  'random-forest': { trees: 100, maxDepth: undefined, minSamplesLeaf: 1, maxFeatures: undefined },
  'gradient-boosting': { rounds: 100, learningRate: 0.1, maxDepth: 6, minSamplesLeaf: 20, maxFeatures: 'all' },
  linear: { l2: 1, iterations: 25 },
  knn: { k: 5 },
  svm: { kernel: 'rbf', cost: 1, gamma: undefined, epsilon: 0.1 },
  baseline: {},
};

/** Rows the kinds that scale badly train on by default (a seeded sample of a larger table). */
export const DEFAULT_MAX_ROWS: Partial<Record<TableModelKind, number>> = { knn: 5000, svm: 5000 };

/** Whether a kind takes missing values (NaN) in its features: the trees route them; the others need them imputed. */
export const TAKES_MISSING: Record<TableModelKind, boolean> = {
  'random-forest': true,
  'gradient-boosting': true,
  linear: false,
  knn: false,
  svm: false,
  baseline: true,
};

type Options = Record<string, unknown>;

/** Trains `kind` on data with its options (defaults filled in) and a seed: its trained form, plain JSON. */
export function fitTableModel(kind: TableModelKind, data: TableFitData, options: Options, seed: number): unknown {
  const treeData = { x: data.x, rows: data.rows, cols: data.cols, y: data.y, task: data.task, classes: data.classes };
  const o = options as never;
  switch (kind) {
    case 'random-forest':
      return fitRandomForest({ ...treeData, classes: data.classes || undefined }, { ...(o as object), seed });
    case 'gradient-boosting':
      return fitGradientBoosting({ ...treeData, classes: data.classes || undefined }, { ...(o as object), seed });
    case 'linear':
      return fitLinear(data, o);
    case 'knn':
      return fitKnn(data, o);
    case 'svm':
      return fitSvm(data, o);
    case 'baseline':
      return fitBaseline(data);
  }
}

/** A trained table model's predictions for x (rows x its features, row-major). */
export function predictTableModel(
  model: Pick<TableModel, 'kind' | 'classes' | 'features' | 'trained'>,
  x: Float64Array,
  rows: number,
): TablePrediction {
  const classes = model.classes?.length ?? 0;
  const trained = model.trained;
  const cols = model.features.length;
  switch (model.kind) {
    case 'random-forest':
    case 'gradient-boosting': {
      const out = predictTrees(trained as TreeEnsembleModel, x, rows, cols);
      return classes ? { predicted: argMaxRows(out, rows, classes), probabilities: out } : { predicted: out };
    }
    case 'linear':
      return predictLinear(trained as LinearTrained, x, rows, cols, classes);
    case 'knn':
      return predictKnn(trained as KnnTrained, x, rows, classes);
    case 'svm':
      return predictSvm(trained as SvmTrained, x, rows, cols);
    case 'baseline':
      return predictBaseline(trained as BaselineTrained, rows, classes);
  }
}
