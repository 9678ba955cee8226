/** What the `models-cnn.dense-table` stage does: a dense network trained on a prepared table's rows, batch by batch. */
import {
  tableFeatureNames,
  tableMatrix,
  tableTarget,
  type Table,
  type TablePredictions,
  type TrainingHistory,
} from '@stagegraph/contracts';
import { disposeModel, SeededRandom, tf } from '@stagegraph/core-tensor';
import { DataError, type StageContext } from '@stagegraph/pipeline';
import { buildDenseTable } from './build-dense-table.js';
import type { DenseActivation } from './dense-activations.js';
import { fitTableBatches } from './fit-table-batches.js';
import { predictRows, type TableRows } from './row-batches.js';

export interface DenseTableParams {
  hidden: number[];
  activation: DenseActivation;
  dropout: number;
  batchNorm: boolean;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  /** Train on a seeded sample of at most this many training rows (a table of millions: an epoch per sample, not per table). */
  maxRows?: number;
  seed?: number;
}

interface Rows extends TableRows {
  /** The label as the table holds it: class codes or values (unscaled). */
  actual: Int32Array | Float64Array;
  classNames?: string[];
}

/** A table's features as Float32 rows and its label (a regression's standardised by the training mean and std). */
function tableRows(
  table: Table,
  what: string,
  features: string[],
  scale?: { mean: number; std: number },
  classes?: string[],
): Rows {
  const { x, rows, cols } = tableMatrix(table, what, features, Float32Array);
  const at = x.findIndex((v) => !Number.isFinite(v));
  if (at >= 0)
    throw new DataError(
      `${what}: expected finite values in "${features[at % cols]}" (a network takes no missing values: impute them when preparing), got ${x[at]} in row ${Math.floor(at / cols)}`,
    );
  const target = tableTarget(table, what, classes);
  if (target.task === 'classification')
    return {
      x,
      rows,
      cols,
      y: target.codes,
      classes: target.classes.length,
      actual: target.codes,
      classNames: target.classes,
    };
  const { mean, std } = scale ?? { mean: 0, std: 1 };
  const y = Float32Array.from(target.values, (v) => (v - mean) / std);
  return { x, rows, cols, y, classes: 0, actual: target.values };
}

/** A seeded sample of `maxRows` of the rows (in their order), or the rows themselves when there are no more. */
function sampleOf(rows: Rows, maxRows: number | undefined, seed: number): Rows {
  if (maxRows === undefined || rows.rows <= maxRows) return rows;
  const which = new SeededRandom(seed)
    .permutation(rows.rows)
    .slice(0, maxRows)
    .sort((a, b) => a - b);
  const x = new Float32Array(maxRows * rows.cols);
  which.forEach((r, i) => x.set(rows.x.subarray(r * rows.cols, (r + 1) * rows.cols), i * rows.cols));
  const pick = <A extends Int32Array | Float32Array | Float64Array>(a: A): A => {
    const picked = a.slice(0, maxRows) as A; // same type as `a`
    which.forEach((r, i) => (picked[i] = a[r]));
    return picked;
  };
  return { ...rows, x, rows: maxRows, y: pick(rows.y), actual: pick(rows.actual) };
}

function meanStd(values: Float64Array) {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length) || 1;
  return { mean, std };
}

/** Folds the target's standardisation into the linear head, so the model predicts values on the label's own scale. */
function unscaleHead(model: tf.LayersModel, { mean, std }: { mean: number; std: number }) {
  const head = model.layers[model.layers.length - 1];
  const [kernel, bias] = head.getWeights();
  const scaled = tf.tidy(() => [kernel.mul(std), bias.mul(std).add(mean)]);
  head.setWeights(scaled);
  tf.dispose(scaled);
}

function predictionsOf(model: tf.LayersModel, test: Rows, label: string): TablePredictions {
  const out = predictRows(tf, model, test.x, test.rows, test.cols);
  const k = test.classes;
  const probabilities = k
    ? Array.from({ length: test.rows }, (_, r) => Array.from(out.subarray(r * k, (r + 1) * k)))
    : undefined;
  const predicted = probabilities ? probabilities.map((p) => p.indexOf(Math.max(...p))) : Array.from(out);
  return {
    task: k ? 'classification' : 'regression',
    label,
    model: 'dense',
    ...(test.classNames ? { classes: test.classNames } : {}),
    actual: Array.from(test.actual),
    predicted,
    ...(probabilities ? { probabilities } : {}),
  };
}

export async function trainDenseTable(
  inputs: { train: Table; test: Table; validation?: Table },
  p: DenseTableParams,
  ctx: StageContext,
): Promise<{
  model: tf.LayersModel;
  history: TrainingHistory;
  predictions: TablePredictions;
  timing: { seconds: number; samples: number; epochs: number };
}> {
  const what = (port: string) => `${ctx.stageId}.inputs.${port}`;
  const features = tableFeatureNames(inputs.train, what('train'));
  const label = tableTarget(inputs.train, what('train'));
  const scale = label.task === 'regression' ? meanStd(label.values) : undefined;
  const classes = label.task === 'classification' ? label.classes : undefined;
  const seed = p.seed ?? ctx.seed;
  const all = tableRows(inputs.train, what('train'), features, scale, classes);
  const train = sampleOf(all, p.maxRows, seed);
  if (train !== all)
    ctx.log(
      `trains on a seeded sample of ${train.rows.toLocaleString('en')} of the ${all.rows.toLocaleString('en')} training rows (maxRows)`,
    );
  const test = tableRows(inputs.test, what('test'), features, scale, classes);
  // an empty validation split (prepare's folds take its rows) is no validation
  const validation = inputs.validation?.rows
    ? tableRows(inputs.validation, what('validation'), features, scale, classes)
    : undefined;
  const model = buildDenseTable({ ...p, inputs: features.length, classes: train.classes, seed });
  ctx.log(
    `${model.countParams().toLocaleString('en')} parameters; ${train.rows.toLocaleString('en')} rows x ${features.length} features in batches of ${p.batchSize}${scale ? ' (loss on the standardised label)' : ''}${validation ? `; early stopping on ${validation.rows} validation rows` : ''}`,
  );
  const started = performance.now();
  try {
    const history = await fitTableBatches(tf, model, train, validation, {
      ...p,
      seed,
      signal: ctx.signal,
      onBatchEnd: (epoch, batch, batches, loss) =>
        ctx.progress({ epoch, epochs: p.epochs, batch, batches, batchSize: p.batchSize, loss }),
      onEpochEnd: (r) =>
        ctx.progress({ epoch: r.epoch, epochs: p.epochs, loss: r.loss, valLoss: r.valLoss, metrics: r.metrics }),
    });
    const trainSeconds = (performance.now() - started) / 1000;
    if (scale) unscaleHead(model, scale);
    const predicting = performance.now();
    const predictions = predictionsOf(model, test, label.label);
    const predictSeconds = (performance.now() - predicting) / 1000;
    ctx.log(
      `${history.epochs.length} epochs${history.stoppedEarly ? ' (early stop)' : ''} in ${trainSeconds.toFixed(1)}s; kept epoch ${history.bestEpoch}`,
    );
    return {
      model,
      history,
      predictions: { ...predictions, trainSeconds, predictSeconds },
      timing: { seconds: trainSeconds, samples: train.rows, epochs: history.epochs.length },
    };
  } catch (error) {
    disposeModel(model);
    throw error;
  }
}
