import { beforeAll, describe, expect, it } from '@jest/globals';
import { disposeModel, selectBackend, tensorCount, tf } from '@stagegraph/core-tensor';
import { CancelledError, type StageContext, type StageProgress } from '@stagegraph/pipeline';
import { firstValueFrom, from, isObservable } from 'rxjs';
import { buildLstmForecaster } from './build-forecaster.js';
import { predictStage } from './stages/predict.stage.js';
import { trainForecasterStage } from './stages/train.stage.js';

beforeAll(() => selectBackend('cpu'));

const context = (seed: number, signal = new AbortController().signal) => {
  const progress: StageProgress[] = [];
  const ctx: StageContext = {
    stageId: 'train',
    seed,
    signal,
    workDir: '.',
    progress: (p) => progress.push(p),
    log: () => {},
  };
  return { ctx, progress };
};
const outputsOf = (result: unknown) =>
  firstValueFrom(isObservable(result) ? result : from(result as Promise<Record<string, unknown>>));

/** Windows of a sine wave: easy to learn, so the loss must fall. */
const sineWindows = (n: number, seqLength: number) => {
  const values = Array.from({ length: n + seqLength }, (_, i) => 0.5 + 0.4 * Math.sin(i / 3));
  const x = Array.from({ length: n }, (_, i) => values.slice(i, i + seqLength));
  return { x: tf.tensor3d(x.flat(), [n, seqLength, 1]), y: tf.tensor2d(values.slice(seqLength), [n, 1]) };
};

describe('buildLstmForecaster', () => {
  it('is LSTM(50) + Dense(1): 4*50*(50+1+1) + 51 parameters', () => {
    const model = buildLstmForecaster({ seqLength: 20, units: 50, activation: 'relu', learningRate: 0.001, seed: 1 });
    expect(model.countParams()).toBe(10451);
    expect(model.outputs[0].shape).toEqual([null, 1]);
    disposeModel(model);
  });

  it('stacks layers, swaps in a GRU, adds dropout and predicts k values at once', () => {
    // LSTM(8) returning sequences: 4*8*(1+8+1) = 320; LSTM(4): 4*4*(8+4+1) = 208; Dense(3): 4*3+3 = 15
    const stacked = buildLstmForecaster({
      seqLength: 6,
      units: [8, 4],
      dropout: 0.2,
      outputs: 3,
      activation: 'tanh',
      learningRate: 0.001,
      seed: 1,
    });
    expect(stacked.countParams()).toBe(320 + 208 + 15);
    expect(stacked.layers.map((l) => l.getClassName())).toEqual(['LSTM', 'Dropout', 'LSTM', 'Dropout', 'Dense']);
    expect(stacked.outputs[0].shape).toEqual([null, 3]);
    // GRU(5) without reset-after: 3*5*(1+5+1) = 105; Dense(1): 6
    const gru = buildLstmForecaster({
      seqLength: 6,
      units: 5,
      cell: 'gru',
      activation: 'tanh',
      learningRate: 0.001,
      seed: 1,
    });
    expect(gru.countParams()).toBe(105 + 6);
    expect(gru.layers[0].getClassName()).toBe('GRU');
    disposeModel(stacked);
    disposeModel(gru);
  });

  it('starts from the same weights for the same seed', () => {
    const weights = (seed: number) => {
      const model = buildLstmForecaster({ seqLength: 5, units: 4, activation: 'relu', learningRate: 0.001, seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      disposeModel(model);
      return values;
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('drops other units at every training step, in an order the seed repeats', () => {
    const masks = (seed: number) => {
      const model = buildLstmForecaster({
        seqLength: 3,
        units: 8,
        dropout: 0.5,
        activation: 'tanh',
        learningRate: 0.001,
        seed,
      });
      const ones = tf.ones([1, 8]);
      const steps = [0, 1, 2].map(() =>
        tf.tidy(() => Array.from((model.layers[1].apply(ones, { training: true }) as tf.Tensor).dataSync())),
      );
      tf.dispose(ones);
      disposeModel(model);
      return steps;
    };
    const first = masks(5);
    expect(first[1]).not.toEqual(first[0]); // tfjs' seeded Dropout repeats its mask
    expect(first[2]).not.toEqual(first[1]);
    expect(masks(5)).toEqual(first);
  });
});

describe('models-lstm stages', () => {
  it('train learns a sine, reports progress, and predict gives one value per window', async () => {
    const { x, y } = sineWindows(96, 8);
    const before = tensorCount();
    const { ctx, progress } = context(5);
    const params = trainForecasterStage.params.parse({ units: 8, epochs: 6, batchSize: 16, learningRate: 0.01 });
    const { model, history } = (await outputsOf(trainForecasterStage.run({ x, y }, params, ctx))) as {
      model: tf.LayersModel;
      history: { epochs: { loss: number }[] };
    };
    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss);
    expect(progress.some((p) => p.batch === 1 && p.batches === 6)).toBe(true);
    const { predictions } = (await outputsOf(predictStage.run({ model, x }, predictStage.params.parse({}), ctx))) as {
      predictions: tf.Tensor;
    };
    expect(predictions.shape).toEqual([96, 1]);
    predictions.dispose();
    disposeModel(model);
    expect(tensorCount()).toBe(before);
    tf.dispose([x, y]);
  });

  it('train gives the same history for the same seed', async () => {
    const { x, y } = sineWindows(48, 6);
    const params = trainForecasterStage.params.parse({ units: 4, epochs: 2, batchSize: 16 });
    const histories = [];
    for (let i = 0; i < 2; i++) {
      const { model, history } = (await outputsOf(trainForecasterStage.run({ x, y }, params, context(9).ctx))) as {
        model: tf.LayersModel;
        history: unknown;
      };
      histories.push(history);
      disposeModel(model);
    }
    expect(histories[0]).toEqual(histories[1]);
    tf.dispose([x, y]);
  });

  it('train stops when cancelled and frees its model', async () => {
    const { x, y } = sineWindows(64, 6);
    const before = tensorCount();
    const controller = new AbortController();
    controller.abort();
    const params = trainForecasterStage.params.parse({ units: 4, epochs: 100 });
    await expect(
      outputsOf(trainForecasterStage.run({ x, y }, params, context(1, controller.signal).ctx)),
    ).rejects.toThrow(CancelledError);
    expect(tensorCount()).toBe(before);
    tf.dispose([x, y]);
  });

  it('train rejects inputs that are not windows', async () => {
    const x = tf.zeros([4, 3]);
    await expect(
      outputsOf(trainForecasterStage.run({ x, y: x }, trainForecasterStage.params.parse({}), context(1).ctx)),
    ).rejects.toThrow('train.inputs.x: expected windows of shape [samples, seqLength, features], got shape [4,3]');
    x.dispose();
  });
});
