/** k-fold cross-validation of one model kind over the training rows, as prepare's folds assign them. */
import type { TableFolds } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import { fitTableModel, predictTableModel } from './model-kinds.js';
import { gatherRows, sampleRows } from './row-sample.js';
import { scoreName, scoreOf } from './scores.js';
import type { TableFitData, TableModel } from './table-model.js';

export interface CrossValidation {
  folds: number;
  /** accuracy for a classification, r2 for a regression. */
  metric: 'accuracy' | 'r2';
  scores: number[];
  mean: number;
  std: number;
}

/** The rows of `fold` (held out), or of every other fold (trained on). */
const rowsWhere = (fold: readonly number[], keep: (f: number) => boolean) =>
  Int32Array.from(fold.flatMap((f, r) => (keep(f) ? [r] : [])));

/**
 * Trains `model`'s kind with its options on k-1 folds and scores it on the k-th, for each fold
 * (each training part a seeded sample of maxRows at most, as the model itself trained).
 */
export function crossValidate(
  data: TableFitData,
  folds: TableFolds,
  model: TableModel,
  settings: { maxRows: number; seed: number; what: string },
): CrossValidation {
  if (folds.fold.length !== data.rows)
    throw new DataError(
      `${settings.what}: expected a fold for each of the ${data.rows} training rows, got ${folds.fold.length}`,
    );
  const classification = data.task === 'classification';
  const scores = Array.from({ length: folds.k }, (_, k) => {
    const held = rowsWhere(folds.fold, (f) => f === k);
    const rest = rowsWhere(folds.fold, (f) => f !== k);
    const trainOn =
      rest.length > settings.maxRows
        ? sampleRows(rest.length, settings.maxRows, settings.seed + k).map((i) => rest[i])
        : rest;
    const part = gatherRows(data.x, data.y, data.cols, trainOn);
    const trained = fitTableModel(
      model.kind,
      { ...data, ...part, rows: trainOn.length },
      model.options,
      settings.seed + k,
    );
    const test = gatherRows(data.x, data.y, data.cols, held);
    const { predicted } = predictTableModel({ ...model, trained }, test.x, held.length);
    return scoreOf(classification)(predicted, test.y);
  });
  const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((sum, s) => sum + (s - mean) ** 2, 0) / scores.length);
  return { folds: folds.k, metric: scoreName(classification) === 'accuracy' ? 'accuracy' : 'r2', scores, mean, std };
}
