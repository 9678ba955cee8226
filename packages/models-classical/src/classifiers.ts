import { createRequire } from 'node:module';
import KNN from 'ml-knn';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import type SVMClass from 'libsvm-js/asm.js';
import { CLASSIFIER_KINDS, type ClassifierKind } from './classifier-kinds.js';

export { CLASSIFIER_KINDS, type ClassifierKind };

export interface ClassifierOptions {
  /** svm: the kernel, its cost and gamma (default 1 / features). */
  kernel: 'rbf' | 'linear' | 'poly';
  cost: number;
  gamma?: number;
  /** knn: neighbours that vote. */
  k: number;
  /** logistic-regression: gradient steps and their size (one-vs-rest). */
  steps: number;
  learningRate: number;
}

/** A trained classifier as JSON (each library's own serialized form), and how to predict with it. */
export interface Classifier {
  fit(features: number[][], labels: number[], options: ClassifierOptions): unknown;
  predict(trained: unknown, features: number[][]): number[];
}

let svmClass: typeof SVMClass | undefined;
/**
 * libsvm-js (libsvm compiled to asm.js), loaded on first use. Its emscripten prelude installs a
 * process-wide 'unhandledRejection' handler that calls process.exit(1): that would end a CLI run
 * silently, so the handlers it adds are removed again.
 */
function loadSvm(): typeof SVMClass {
  if (svmClass) return svmClass;
  const events = ['unhandledRejection', 'uncaughtException'];
  const listeners = (event: string) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
  const before = events.map((e) => new Set(listeners(e)));
  svmClass = createRequire(import.meta.url)('libsvm-js/asm.js') as typeof SVMClass;
  events.forEach((e, i) =>
    listeners(e).forEach((listener) => before[i].has(listener) || process.off(e as 'exit', listener)),
  );
  return svmClass;
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
};
