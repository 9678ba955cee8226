import type {
  TableClassificationMetrics,
  TableMetrics,
  TablePredictions,
  TableRegressionMetrics,
} from '@stagegraph/contracts';
import { classificationReport } from './classification.js';
import { r2 } from './goodness-of-fit.js';
import { logLoss, rocAuc } from './probability-scores.js';
import { mae, rmse } from './regression.js';

/**
 * A table model's scores from its predictions on labelled rows: a classification's (accuracy,
 * balanced accuracy, F1, log loss, ROC AUC, per class by name, the confusion matrix) or a
 * regression's (RMSE, MAE, R²), with its timings, sample and importance passed through.
 * Throws an Error naming the field (`actual[3]`, `probabilities[0]`) where the predictions cannot be scored.
 */
export function tableMetrics(p: TablePredictions): TableMetrics {
  if (p.actual.length === 0) throw new Error('actual: expected at least one row, got none');
  const common = {
    label: p.label,
    model: p.model,
    n: p.actual.length,
    ...(p.trainSeconds !== undefined && { trainSeconds: p.trainSeconds }),
    ...(p.predictSeconds !== undefined && { predictSeconds: p.predictSeconds }),
    ...(p.sample && { sample: p.sample }),
    ...(p.importance && { importance: p.importance }),
    ...(p.crossValidation && {
      crossValidation: p.crossValidation,
      cvMean: p.crossValidation.mean,
      cvStd: p.crossValidation.std,
    }),
  };
  return p.task === 'classification'
    ? { task: 'classification', ...common, ...classificationScores(p) }
    : { task: 'regression', ...common, ...regressionScores(p) };
}

type ClassificationScores = Omit<TableClassificationMetrics, 'task' | keyof TableRegressionMetrics>;

function classificationScores(p: TablePredictions): ClassificationScores {
  const classes = p.classes ?? [];
  checkCodes('actual', p.actual, classes.length);
  checkCodes('predicted', p.predicted, classes.length);
  const report = classificationReport(p.actual, p.predicted, classes.length);
  const matrix = report.confusionMatrix;
  // classes in neither the actual nor the predicted labels say nothing about the model: averages leave them out
  const present = report.perClass.filter((c, k) => c.support > 0 || matrix.some((row) => row[k] > 0));
  const inActual = report.perClass.filter((c) => c.support > 0);
  const mean = (list: typeof present, key: 'precision' | 'recall' | 'f1') =>
    list.reduce((sum, c) => sum + c[key], 0) / list.length;
  return {
    accuracy: report.accuracy,
    balancedAccuracy: mean(inActual, 'recall'),
    macroPrecision: mean(present, 'precision'),
    macroRecall: mean(present, 'recall'),
    macroF1: mean(present, 'f1'),
    weightedF1: report.weightedF1,
    ...probabilityScores(p, classes.length),
    classes,
    perClass: report.perClass.map(({ label, ...scores }) => ({ class: classes[label], ...scores })),
    confusionMatrix: matrix,
  };
}

/** Log loss, and ROC AUC for two classes when both are present; nothing without probabilities. */
function probabilityScores(p: TablePredictions, classCount: number): { logLoss?: number; rocAuc?: number } {
  const rows = p.probabilities;
  if (!rows) return {};
  rows.forEach((row, i) => {
    if (row.length !== classCount || row.some((v) => !(v >= 0 && v <= 1)))
      throw new Error(
        `probabilities[${i}]: expected ${classCount} probabilities in [0, 1] (one per class), got [${row.join(', ')}]`,
      );
  });
  const auc =
    classCount === 2
      ? rocAuc(
          p.actual.map((code) => code === 1),
          rows.map((row) => row[1]),
        )
      : NaN;
  return { logLoss: logLoss(p.actual, rows), ...(!Number.isNaN(auc) && { rocAuc: auc }) };
}

function checkCodes(field: 'actual' | 'predicted', codes: readonly number[], classCount: number): void {
  const bad = codes.findIndex((code) => !Number.isInteger(code) || code < 0 || code >= classCount);
  if (bad >= 0)
    throw new Error(
      `${field}[${bad}]: expected a class code from 0 to ${classCount - 1} (one of ${classCount} classes), got ${codes[bad]}`,
    );
}

function regressionScores(p: TablePredictions): { rmse: number; mae: number; r2: number } {
  for (const field of ['actual', 'predicted'] as const) {
    const bad = p[field].findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${field}[${bad}]: expected a finite number, got ${p[field][bad]}`);
  }
  return { rmse: rmse(p.actual, p.predicted), mae: mae(p.actual, p.predicted), r2: r2(p.actual, p.predicted) };
}
