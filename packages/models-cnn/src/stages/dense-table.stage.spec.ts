import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  TABLE_PREDICTIONS,
  TRAINING_HISTORY,
  type Table,
  type TableModelCard,
  type TablePredictions,
  type TrainingHistory,
} from '@stagegraph/contracts';
import { disposeModel, selectBackend, tensorCount, tf } from '@stagegraph/core-tensor';
import { DataError } from '@stagegraph/pipeline';
import { batchTensors } from '../dense-table/row-batches.js';
import { syntheticTable } from '../dense-table/test-support/synthetic-tables.js';
import { preparationOf } from '../dense-table/test-support/preparation-of.js';
import { denseTableStage } from './dense-table.stage.js';

beforeAll(() => selectBackend('cpu'));

const logs: string[] = [];
const context = {
  stageId: 'dense',
  seed: 3,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: (message: string) => logs.push(message),
};
const classes = ['a', 'b', 'c'];
const classification = { train: syntheticTable(600, 1, classes), test: syntheticTable(300, 2, classes) };
const regression = { train: syntheticTable(600, 3), test: syntheticTable(300, 4) };

/** Runs the stage, checks its outputs' contracts, frees the model and checks no tensor was left behind. */
async function fit(inputs: { train: Table; test: Table; validation?: Table }, params: Record<string, unknown> = {}) {
  const before = tensorCount();
  const preparation = preparationOf(inputs.train);
  const parsed = denseTableStage.params.parse({ epochs: 15, ...params });
  // run's type allows an Observable; this stage returns a promise of its outputs
  const out = await (denseTableStage.run({ ...inputs, preparation }, parsed, context) as Promise<{
    model: tf.LayersModel;
    card: TableModelCard;
    history: TrainingHistory;
    predictions: TablePredictions;
  }>);
  expect(out.card).toEqual({ format: 'stagegraph-table-model-card', preparation, network: true });
  expect(TABLE_PREDICTIONS.check!(out.predictions)).toBeUndefined();
  expect(TRAINING_HISTORY.check!(out.history)).toBeUndefined();
  disposeModel(out.model);
  expect(tensorCount()).toBe(before);
  return out;
}

const accuracy = (p: { predicted: number[]; actual: number[] }) =>
  p.predicted.filter((v, i) => v === p.actual[i]).length / p.actual.length;
function rSquared({ predicted, actual }: { predicted: number[]; actual: number[] }) {
  const mean = actual.reduce((a, b) => a + b) / actual.length;
  const residual = actual.reduce((sum, v, i) => sum + (v - predicted[i]) ** 2, 0);
  return 1 - residual / actual.reduce((sum, v) => sum + (v - mean) ** 2, 0);
}

describe('models-cnn.dense-table', () => {
  it('learns a 3-class classification well past the majority class, with probabilities per row', async () => {
    const { predictions, history } = await fit(classification);
    const majority = Math.max(...classes.map((_, k) => predictions.actual.filter((a) => a === k).length)) / 300;
    expect(accuracy(predictions)).toBeGreaterThan(Math.max(0.85, majority + 0.3));
    expect(predictions.classes).toEqual(classes);
    expect(predictions.probabilities![0].reduce((a, b) => a + b)).toBeCloseTo(1, 4);
    expect(history.monitor).toBe('loss');
    expect(history.epochs[0].metrics.acc).toBeGreaterThan(0);
  });

  it("learns a regression (batch norm on) on the label's own scale (the standardisation folded into the head)", async () => {
    const { predictions } = await fit(regression, { hidden: [32], batchNorm: true });
    expect(rSquared(predictions)).toBeGreaterThan(0.9);
    const mean = predictions.predicted.reduce((a, b) => a + b) / 300;
    expect(mean).toBeGreaterThan(17);
    expect(mean).toBeLessThan(23);
  });

  it('is deterministic for a seed; early stopping watches the validation table and keeps the best epoch', async () => {
    const inputs = { ...regression, validation: syntheticTable(200, 5) };
    const params = { epochs: 30, patience: 2, learningRate: 0.05, seed: 9 };
    const [a, b] = [await fit(inputs, params), await fit(inputs, params)];
    expect(b.predictions.predicted).toEqual(a.predictions.predicted);
    expect(b.history).toEqual(a.history);
    expect(a.history.monitor).toBe('val_loss');
    const losses = a.history.epochs.map((e) => e.valLoss!);
    expect(losses[a.history.bestEpoch - 1]).toBe(Math.min(...losses));
    if (a.history.stoppedEarly) expect(a.history.epochs.length).toBe(a.history.bestEpoch + 2);
    const other = await fit(inputs, { ...params, seed: 10 });
    expect(other.predictions.predicted).not.toEqual(a.predictions.predicted);
  });

  it('trains on a seeded sample of maxRows rows, says so, and still learns the regression', async () => {
    logs.length = 0;
    const { predictions } = await fit(regression, { maxRows: 200, patience: 0 });
    expect(logs).toContain('trains on a seeded sample of 200 of the 600 training rows (maxRows)');
    expect(logs.find((line) => line.includes(' parameters; '))).toMatch(/ 200 rows x /);
    expect(rSquared(predictions)).toBeGreaterThan(0.5);
  });

  it('takes an empty validation table (its rows went to folds) as none', async () => {
    const empty = {
      ...regression.test,
      rows: 0,
      columns: regression.test.columns.map((c) => ({ ...c, values: new Float64Array() })),
    };
    const { history } = await fit({ ...regression, validation: empty as Table }, { epochs: 3, patience: 0 });
    expect(history.epochs.every((e) => e.valLoss === undefined)).toBe(true);
  });

  it('builds each batch from the rows in the epoch order (one-hot targets for classes)', () => {
    const data = { x: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 3, cols: 2, y: Int32Array.of(2, 0, 1), classes: 3 };
    const [xs, ys] = batchTensors(tf, data, Int32Array.of(2, 0, 1), 0, 2);
    expect(Array.from(xs.dataSync())).toEqual([5, 6, 1, 2]);
    expect(Array.from(ys.dataSync())).toEqual([0, 1, 0, 0, 0, 1]);
    tf.dispose([xs, ys]);
  });

  it('refuses a feature column that is not a number, naming it', async () => {
    const train = structuredClone(classification.train);
    train.columns[2] = { name: 'x2', type: 'date', values: new Float64Array(600), missing: 0, distinct: 1 };
    const before = tensorCount();
    await expect(fit({ ...classification, train })).rejects.toThrow(
      new DataError(
        'dense.inputs.train: expected prepared feature columns of type number, got "x2" of type date (prepare the table first)',
      ),
    );
    expect(tensorCount()).toBe(before);
  });
});
