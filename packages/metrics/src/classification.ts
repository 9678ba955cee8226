import type { ClassificationMetrics, ClassReport } from '@stagegraph/contracts';

/** A classifier's scores: the CLASSIFICATION_METRICS contract's type (without the timings a stage may add). */
export type ClassificationReport = ClassificationMetrics;
export type { ClassReport };

/** Counts of (true class, predicted class) pairs. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (actual.length !== predicted.length)
    throw new Error(`expected as many predictions as labels, got ${predicted.length} for ${actual.length}`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) matrix[actual[i]][predicted[i]]++;
  return matrix;
}

/**
 * Accuracy, per-class precision, recall and F1, their macro averages and the support-weighted F1,
 * as scikit-learn's classification_report computes them (0 where a denominator is 0).
 */
export function classificationReport(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): ClassificationReport {
  const matrix = confusionMatrix(actual, predicted, classes);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = matrix.map((row, label) => {
    const truePositives = row[label];
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = matrix.reduce((sum, r) => sum + r[label], 0);
    const precision = ratio(truePositives, predictedCount);
    const recall = ratio(truePositives, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const n = actual.length;
  const mean = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((sum, c) => sum + c[key], 0) / classes;
  return {
    n,
    accuracy: ratio(
      matrix.reduce((sum, row, i) => sum + row[i], 0),
      n,
    ),
    macroPrecision: mean('precision'),
    macroRecall: mean('recall'),
    macroF1: mean('f1'),
    weightedF1: ratio(
      perClass.reduce((sum, c) => sum + c.f1 * c.support, 0),
      n,
    ),
    perClass,
    confusionMatrix: matrix,
  };
}

/**
 * The report with class names: `classes` beside the confusion matrix and a `class` first in each
 * per-class row (the names table models' metrics use). Names must be one per class.
 */
export function withClassNames(report: ClassificationReport, classes: readonly string[]): ClassificationReport {
  if (classes.length !== report.confusionMatrix.length)
    throw new Error(`expected ${report.confusionMatrix.length} class names (one per class), got ${classes.length}`);
  return {
    ...report,
    classes: [...classes],
    perClass: report.perClass.map((row) => ({ class: classes[row.label], ...row })),
  };
}
