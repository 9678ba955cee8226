/** What the `models-classical.table` stage does: train a kind on a prepared table, predict its test rows, explain them. */
import type { Table, TableFolds, TablePredictions } from '@stagegraph/contracts';
import { tableFeatureNames, tableMatrix, tableTarget, type TableTarget } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import {
  DEFAULT_MAX_ROWS,
  fitTableModel,
  predictTableModel,
  TABLE_MODEL_OPTIONS,
  TAKES_MISSING,
} from './model-kinds.js';
import { crossValidate } from './cross-validate.js';
import { featureGroups, permutationImportance } from './permutation-importance.js';
import { gatherRows, sampleRows } from './row-sample.js';
import { scoreName, scoreOf } from './scores.js';
import type { TableFitData, TableModel, TableModelKind } from './table-model.js';

export interface TrainTableSettings {
  kind: TableModelKind;
  /** The kind's options as the config gives them (unset ones take the defaults). */
  options: Record<string, unknown>;
  maxRows?: number;
  seed: number;
  importance: boolean;
  /** Test rows (a seeded sample of them) permutation importance scores on. */
  importanceRows: number;
  /** Features importance reports, largest drop first. */
  importanceTop: number;
  stageId: string;
  log(message: string): void;
}

interface Labelled {
  x: Float64Array;
  rows: number;
  target: TableTarget;
  y: Int32Array | Float64Array;
}

const targetValues = (target: TableTarget) => (target.task === 'classification' ? target.codes : target.values);

/** A table's features (in `features`' order) and label, checked; NaN features refused for kinds that need them imputed. */
function labelled(table: Table, what: string, features: string[], kind: TableModelKind, classes?: string[]): Labelled {
  const { x, rows, cols } = tableMatrix(table, what, features);
  if (!TAKES_MISSING[kind]) {
    const at = x.findIndex((v) => !Number.isFinite(v));
    if (at >= 0)
      throw new DataError(
        `${what}: expected finite values in "${features[at % cols]}" (${kind} takes no missing values: impute them when preparing), got ${x[at]} in row ${Math.floor(at / cols)}`,
      );
  }
  const target = tableTarget(table, what, classes);
  return { x, rows, target, y: targetValues(target) };
}

/** The options a kind trains with: its defaults, overridden by the given ones, unset ones left out. */
function resolveOptions(kind: TableModelKind, given: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...TABLE_MODEL_OPTIONS[kind] };
  for (const key of Object.keys(merged)) if (given[key] !== undefined) merged[key] = given[key];
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

/** The training rows, or a seeded sample of maxRows of them (logged). */
function trainingRows(train: Labelled, cols: number, s: TrainTableSettings) {
  const maxRows = s.maxRows ?? DEFAULT_MAX_ROWS[s.kind] ?? Infinity;
  if (train.rows <= maxRows) return { x: train.x, y: train.y, rows: train.rows, sample: undefined };
  const which = sampleRows(train.rows, maxRows, s.seed);
  s.log(
    `${s.kind} trains on a seeded sample of ${maxRows.toLocaleString('en')} of the ${train.rows.toLocaleString('en')} training rows (maxRows)`,
  );
  return { ...gatherRows(train.x, train.y, cols, which), rows: maxRows, sample: { rows: maxRows, of: train.rows } };
}

export function trainTableModel(
  inputs: { train: Table; test: Table; validation?: Table; folds?: TableFolds },
  s: TrainTableSettings,
): { model: TableModel; predictions: TablePredictions; timing: { seconds: number; samples: number } } {
  const features = tableFeatureNames(inputs.train, `${s.stageId}.inputs.train`);
  const train = labelled(inputs.train, `${s.stageId}.inputs.train`, features, s.kind);
  const classes = train.target.task === 'classification' ? train.target.classes : undefined;
  const test = labelled(inputs.test, `${s.stageId}.inputs.test`, features, s.kind, classes);
  const cols = features.length;
  const rows = trainingRows(train, cols, s);
  const options = resolveOptions(s.kind, s.options);
  const data: TableFitData = { ...rows, cols, task: train.target.task, classes: classes?.length ?? 0 };
  const started = performance.now();
  const trained = fitTableModel(s.kind, data, options, s.seed);
  const trainSeconds = (performance.now() - started) / 1000;
  const model: TableModel = {
    format: 'stagegraph-table-model',
    kind: s.kind,
    task: train.target.task,
    label: train.target.label,
    ...(classes ? { classes } : {}),
    features,
    options: { ...options, seed: s.seed },
    ...(rows.sample ? { sample: rows.sample } : {}),
    trained,
  };
  const predicted = predictTableModel(model, test.x, test.rows);
  const predictSeconds = (performance.now() - started) / 1000 - trainSeconds;
  const score = scoreOf(Boolean(classes));
  s.log(
    `${s.kind} trained on ${rows.rows.toLocaleString('en')} rows x ${cols} features in ${trainSeconds.toFixed(2)}s; test ${scoreName(Boolean(classes))} ${score(predicted.predicted, test.y).toFixed(4)} on ${test.rows} rows`,
  );
  if (inputs.validation?.rows) logValidation(inputs.validation, model, s);
  const crossValidation =
    inputs.folds && inputs.folds.k >= 2 ? crossValidated(train, inputs.folds, model, s) : undefined;
  const predictions: TablePredictions = {
    task: model.task,
    label: model.label,
    model: s.kind,
    ...(classes ? { classes } : {}),
    actual: Array.from(test.y),
    predicted: Array.from(predicted.predicted),
    ...(predicted.probabilities ? { probabilities: probabilityRows(predicted.probabilities, test.rows) } : {}),
    trainSeconds,
    predictSeconds,
    ...(rows.sample ? { sample: rows.sample } : {}),
    ...(s.importance ? { importance: importanceOn(test, model, s) } : {}),
    ...(crossValidation ? { crossValidation } : {}),
  };
  return { model, predictions, timing: { seconds: trainSeconds, samples: rows.rows } };
}

/** k-fold scores over the training rows (logged): how much the test score can be trusted on a small table. */
function crossValidated(train: Labelled, folds: TableFolds, model: TableModel, s: TrainTableSettings) {
  const data: TableFitData = {
    x: train.x,
    y: train.y,
    rows: train.rows,
    cols: model.features.length,
    task: model.task,
    classes: model.classes?.length ?? 0,
  };
  const maxRows = s.maxRows ?? DEFAULT_MAX_ROWS[s.kind] ?? Infinity;
  const cv = crossValidate(data, folds, model, { maxRows, seed: s.seed, what: `${s.stageId}.inputs.folds` });
  s.log(
    `${cv.folds}-fold cross-validation ${cv.metric} ${cv.mean.toFixed(4)} ± ${cv.std.toFixed(4)} (${cv.scores.map((v) => v.toFixed(3)).join(', ')})`,
  );
  return cv;
}

/** rows x classes as one array of class probabilities per row. */
function probabilityRows(p: Float64Array, rows: number): number[][] {
  const classes = rows ? p.length / rows : 0;
  return Array.from({ length: rows }, (_, r) => Array.from(p.subarray(r * classes, (r + 1) * classes)));
}

function logValidation(table: Table, model: TableModel, s: TrainTableSettings) {
  const validation = labelled(table, `${s.stageId}.inputs.validation`, model.features, s.kind, model.classes);
  const { predicted } = predictTableModel(model, validation.x, validation.rows);
  const classification = model.task === 'classification';
  s.log(
    `validation ${scoreName(classification)} ${scoreOf(classification)(predicted, validation.y).toFixed(4)} on ${validation.rows} rows`,
  );
}

/** Permutation importance on (a seeded sample of) the test rows, the top features. */
function importanceOn(test: Labelled, model: TableModel, s: TrainTableSettings) {
  const cols = model.features.length;
  const which = sampleRows(test.rows, s.importanceRows, s.seed + 1);
  const rows = gatherRows(test.x, test.y, cols, which);
  const groups = featureGroups(model.features);
  const classification = model.task === 'classification';
  const started = performance.now();
  const drops = permutationImportance({
    x: rows.x,
    rows: which.length,
    cols,
    actual: rows.y,
    predict: (x, n) => predictTableModel(model, x, n).predicted,
    score: scoreOf(classification),
    groups,
    seed: s.seed,
  });
  s.log(
    `permutation importance: ${groups.length} source columns (one-hot, date-part and missing-flag features shuffled together), 3 shuffles each on ${which.length} test rows, drop in ${scoreName(classification)}, in ${((performance.now() - started) / 1000).toFixed(1)}s; top: ${drops
      .slice(0, 3)
      .map((d) => `${d.feature} ${d.drop.toFixed(3)}`)
      .join(', ')}`,
  );
  return drops.slice(0, s.importanceTop);
}
