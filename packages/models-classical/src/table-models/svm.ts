/**
 * Support vector machines by libsvm (libsvm-js): C-SVC for a classification, epsilon-SVR for a
 * regression (on the standardised target, so epsilon and cost mean the same on any scale). No
 * probabilities: libsvm's estimates come from an internal cross-validation drawn with C rand(),
 * whose state carries over between trainings in one process, so they would not be reproducible.
 */
import { loadSvm } from '../libsvm.js';
import type { TableFitData, TablePrediction } from './table-model.js';

export interface SvmOptions {
  kernel: 'rbf' | 'linear' | 'poly';
  /** The cost C (default 1). */
  cost: number;
  /** The kernel width (default 1 / features). */
  gamma?: number;
  /** Regression: the tube width on the standardised target (default 0.1). */
  epsilon: number;
}

export interface SvmTrained {
  /** libsvm's model text. */
  model: string;
  /** Regression: the target's training mean and standard deviation (predictions are scaled back). */
  mean?: number;
  std?: number;
}

/** Views of each row of x (no copies; libsvm copies each into its own memory). */
const rowViews = (x: Float64Array, rows: number, cols: number) =>
  Array.from({ length: rows }, (_, r) => x.subarray(r * cols, (r + 1) * cols));

export function fitSvm(data: TableFitData, o: SvmOptions): SvmTrained {
  const SVM = loadSvm();
  const { x, rows, cols, y, task } = data;
  const kernel = { rbf: SVM.KERNEL_TYPES.RBF, linear: SVM.KERNEL_TYPES.LINEAR, poly: SVM.KERNEL_TYPES.POLYNOMIAL }[
    o.kernel
  ];
  let targets: ArrayLike<number> = y;
  let scale: { mean: number; std: number } | undefined;
  if (task === 'regression') {
    const values = Float64Array.from(y);
    const mean = values.reduce((sum, v) => sum + v, 0) / rows;
    const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / rows) || 1;
    scale = { mean, std };
    targets = values.map((v) => (v - mean) / std);
  }
  const svm = new SVM({
    type: task === 'regression' ? SVM.SVM_TYPES.EPSILON_SVR : SVM.SVM_TYPES.C_SVC,
    kernel,
    cost: o.cost,
    gamma: o.gamma ?? 1 / cols,
    ...(task === 'regression' ? { epsilon: o.epsilon } : {}),
    quiet: true,
  });
  try {
    svm.train(rowViews(x, rows, cols), Array.from(targets));
    return { model: svm.serializeModel(), ...scale };
  } finally {
    svm.free();
  }
}

export function predictSvm(trained: SvmTrained, x: Float64Array, rows: number, cols: number): TablePrediction {
  const svm = loadSvm().load(trained.model);
  try {
    const predicted = new Float64Array(rows);
    for (let r = 0; r < rows; r++) predicted[r] = svm.predictOne(x.subarray(r * cols, (r + 1) * cols));
    if (trained.std !== undefined)
      for (let r = 0; r < rows; r++) predicted[r] = predicted[r] * trained.std + trained.mean!;
    return { predicted };
  } finally {
    svm.free();
  }
}
