import KNN from 'ml-knn';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { CLASSIFIER_KINDS, type ClassifierKind } from './classifier-kinds.js';
import { loadSvm } from './libsvm.js';
import { fitGradientBoosting, predictGradientBoosting } from './trees/gradient-boosting.js';
import { fitRandomForest, predictForest } from './trees/random-forest.js';
import type { TreeEnsembleModel } from './trees/tree-model.js';
import type { MaxFeatures } from './trees/training-data.js';

export { CLASSIFIER_KINDS, type ClassifierKind };

export interface ClassifierOptions {
  /** svm: the kernel, its cost and gamma (default 1 / features). */
  kernel: 'rbf' | 'linear' | 'poly';
  cost: number;
  gamma?: number;
  /** knn: neighbours that vote. */
  k: number;
  /** logistic-regression: gradient steps and their size (one-vs-rest); gradient-boosting: the shrinkage. */
  steps: number;
  learningRate: number;
  /** random-forest: trees; gradient-boosting: rounds (one tree per class each). */
  trees: number;
  rounds: number;
  /** random-forest, gradient-boosting: tree size limits and candidates per split. */
  maxDepth?: number;
  minSamplesLeaf?: number;
  maxFeatures?: MaxFeatures;
  /** random-forest, gradient-boosting: the stage's seed (bootstrap and feature draws) and the label's classes. */
  seed?: number;
  classes?: number;
}

/** A trained classifier as JSON (each library's own serialized form), and how to predict with it. */
export interface Classifier {
  fit(features: number[][], labels: number[], options: ClassifierOptions): unknown;
  predict(trained: unknown, features: number[][]): number[];
  /** Class probabilities (rows x classes), for the models that have them. */
  probabilities?(trained: unknown, features: number[][]): Float64Array;
}

/** Rows of numbers as one row-major matrix (what the tree models take). */
function matrix(features: number[][]): { x: Float64Array; rows: number; cols: number } {
  const rows = features.length;
  const cols = features[0]?.length ?? 0;
  const x = new Float64Array(rows * cols);
  features.forEach((row, r) => x.set(row, r * cols));
  return { x, rows, cols };
}

/** The most probable class of each row of probabilities (rows x classes). */
function argMaxRows(probabilities: Float64Array, rows: number): number[] {
  const classes = probabilities.length / Math.max(1, rows);
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[r * classes + k] > probabilities[r * classes + best]) best = k;
    return best;
  });
}

/** A tree ensemble as a classifier: its predict is the arg max of its probabilities. */
function treeClassifier(
  fit: (features: number[][], labels: number[], o: ClassifierOptions) => TreeEnsembleModel,
  probabilities: (model: TreeEnsembleModel, x: Float64Array, rows: number, cols: number) => Float64Array,
): Classifier {
  const predictProbabilities = (trained: unknown, features: number[][]) => {
    const { x, rows, cols } = matrix(features);
    return probabilities(trained as TreeEnsembleModel, x, rows, cols);
  };
  return {
    fit,
    probabilities: predictProbabilities,
    predict: (trained, features) => argMaxRows(predictProbabilities(trained, features), features.length),
  };
}

export const classifiers: Record<ClassifierKind, Classifier> = {
  svm: {
    fit(features, labels, o) {
      const SVM = loadSvm();
      const kernel = { rbf: SVM.KERNEL_TYPES.RBF, linear: SVM.KERNEL_TYPES.LINEAR, poly: SVM.KERNEL_TYPES.POLYNOMIAL }[
        o.kernel
      ];
      const svm = new SVM({
        type: SVM.SVM_TYPES.C_SVC,
        kernel,
        cost: o.cost,
        gamma: o.gamma ?? 1 / features[0].length,
        quiet: true,
      });
      try {
        svm.train(features, labels);
        return svm.serializeModel();
      } finally {
        svm.free();
      }
    },
    predict(trained, features) {
      const svm = loadSvm().load(trained as string);
      try {
        return svm.predict(features);
      } finally {
        svm.free();
      }
    },
  },
  knn: {
    fit: (features, labels, o) => new KNN(features, labels, { k: o.k }).toJSON(),
    predict: (trained, features) => KNN.load(trained as object).predict(features),
  },
  'logistic-regression': {
    fit(features, labels, o) {
      const model = new LogisticRegression({ numSteps: o.steps, learningRate: o.learningRate });
      model.train(new Matrix(features), Matrix.columnVector(labels));
      return model.toJSON();
    },
    predict: (trained, features) => LogisticRegression.load(trained as object).predict(new Matrix(features)),
  },
  'random-forest': treeClassifier(
    (features, labels, o) =>
      fitRandomForest(
        { ...matrix(features), y: labels, task: 'classification', classes: o.classes },
        {
          trees: o.trees,
          maxDepth: o.maxDepth,
          minSamplesLeaf: o.minSamplesLeaf,
          maxFeatures: o.maxFeatures,
          seed: o.seed,
        },
      ),
    predictForest,
  ),
  'gradient-boosting': treeClassifier(
    (features, labels, o) =>
      fitGradientBoosting(
        { ...matrix(features), y: labels, task: 'classification', classes: o.classes },
        {
          rounds: o.rounds,
          learningRate: o.learningRate,
          maxDepth: o.maxDepth,
          minSamplesLeaf: o.minSamplesLeaf,
          maxFeatures: o.maxFeatures,
          seed: o.seed,
        },
      ),
    predictGradientBoosting,
  ),
};
