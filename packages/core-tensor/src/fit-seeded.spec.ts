import { beforeAll, describe, expect, it } from '@jest/globals';
import { CancelledError } from '@stagegraph/pipeline';
import { selectBackend } from './backend.js';
import { fitSeeded } from './fit-seeded.js';
import { disposeModel, tensorCount } from './memory.js';
import * as tf from './tf.js';

beforeAll(() => selectBackend('cpu'));

const line = () => {
  const xs = tf.linspace(-1, 1, 64).reshape([64, 1]);
  const ys = tf.tidy(() => xs.mul(3).add(0.5));
  return { xs, ys };
};
const model = (seed: number) => {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.1), loss: 'meanSquaredError' });
  return m;
};

describe('fitSeeded', () => {
  it('gives the same losses for the same seed, and leaks no tensors', async () => {
    const { xs, ys } = line();
    const before = tensorCount();
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const m = model(3);
      runs.push(await fitSeeded(m, xs, ys, { epochs: 3, batchSize: 8, validationSplit: 0.25, patience: 0, seed: 11 }));
      disposeModel(m);
    }
    expect(runs[0].epochs).toEqual(runs[1].epochs);
    expect(runs[0].epochs[2].loss).toBeLessThan(runs[0].epochs[0].loss);
    expect(runs[0].epochs[0].valLoss).toBeGreaterThan(0);
    expect(tensorCount()).toBe(before);
    tf.dispose([xs, ys]);
  });

  it('validates on validation data of its own, trains on every row of x, and leaves that data to the caller', async () => {
    const { xs, ys } = line();
    const xv = tf.tensor2d([[0.5], [-0.5]]);
    const yv = tf.tensor2d([[2], [-1]]);
    const batches: number[] = [];
    const m = model(3);
    const history = await fitSeeded(m, xs, ys, {
      epochs: 2,
      batchSize: 8,
      validationSplit: 0.5, // ignored: the validation data is given
      validationData: [xv, yv],
      patience: 0,
      seed: 11,
      onBatchEnd: (_epoch, _batch, count) => batches.push(count),
    });
    expect(batches[0]).toBe(8); // all 64 rows in batches of 8, none held out
    const expected = m.evaluate(xv, yv) as tf.Scalar;
    expect(history.epochs[1].valLoss).toBeCloseTo(expected.dataSync()[0], 4);
    expect(xv.isDisposed || yv.isDisposed).toBe(false);
    tf.dispose([xs, ys, xv, yv, expected]);
    disposeModel(m);
  });

  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const { xs, ys } = line();
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: tf.train.sgd(5), loss: 'meanSquaredError' }); // diverges: loss only grows
    const history = await fitSeeded(m, xs, ys, {
      epochs: 20,
      batchSize: 64,
      validationSplit: 0.25,
      patience: 2,
      seed: 1,
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toHaveLength(history.bestEpoch + 2);
    const restored = m.evaluate(xs.slice(48), ys.slice(48)) as tf.Scalar;
    expect(restored.dataSync()[0]).toBeCloseTo(history.epochs[history.bestEpoch - 1].valLoss!, 3);
    tf.dispose([xs, ys, restored]);
    disposeModel(m);
  });

  it('stops with CancelledError, saying where, when the signal fires', async () => {
    const { xs, ys } = line();
    const before = tensorCount();
    const m = model(1);
    const controller = new AbortController();
    const training = fitSeeded(m, xs, ys, {
      epochs: 50,
      batchSize: 4,
      validationSplit: 0,
      patience: 0,
      seed: 1,
      signal: controller.signal,
      onBatchEnd: (epoch, batch) => {
        if (epoch === 2 && batch === 3) controller.abort();
      },
    });
    await expect(training).rejects.toThrow(CancelledError);
    await expect(training).rejects.toThrow('cancelled during training, epoch 2, batch 3 of 16');
    disposeModel(m);
    expect(tensorCount()).toBe(before);
    tf.dispose([xs, ys]);
  });
});

describe('fitSeeded and the event loop', () => {
  it('lets timers run while training, so a signal handler can cancel it', async () => {
    const { xs, ys } = line();
    const m = model(2);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const training = fitSeeded(m, xs, ys, {
      epochs: 100000,
      batchSize: 4,
      validationSplit: 0,
      patience: 0,
      seed: 1,
      signal: controller.signal,
    });
    await expect(training).rejects.toThrow(CancelledError);
    disposeModel(m);
    tf.dispose([xs, ys]);
  });
});

describe('fitSeeded options', () => {
  it('lowers the learning rate on a plateau', async () => {
    const { xs, ys } = line();
    // seeded: with a random start the first epoch is not always the best one
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      ],
    });
    const optimizer = tf.train.sgd(5); // diverges: every epoch is worse than the first
    m.compile({ optimizer, loss: 'meanSquaredError' });
    await fitSeeded(m, xs, ys, {
      epochs: 4,
      batchSize: 64,
      validationSplit: 0.25,
      patience: 0,
      seed: 1,
      reduceLrOnPlateau: { factor: 0.5, patience: 1 },
    });
    expect((optimizer as unknown as { learningRate: number }).learningRate).toBeCloseTo(5 * 0.5 ** 3, 6);
    disposeModel(m);
    tf.dispose([xs, ys]);
  });

  it('keeps the epoch with the highest accuracy when told to monitor it', async () => {
    const xs = tf.tensor2d([[0], [1], [2], [3], [4], [5], [6], [7]]);
    const ys = tf.oneHot(tf.tensor1d([0, 0, 0, 0, 1, 1, 1, 1], 'int32'), 2).toFloat();
    const m = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 2,
          inputShape: [1],
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      ],
    });
    m.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const history = await fitSeeded(m, xs, ys, {
      epochs: 6,
      batchSize: 4,
      validationSplit: 0.5,
      patience: 0,
      seed: 1,
      monitor: 'val_acc',
    });
    const accuracies = history.epochs.map((e) => e.metrics.val_acc);
    expect(history.monitor).toBe('val_acc');
    expect(accuracies[history.bestEpoch - 1]).toBe(Math.max(...accuracies));
    expect(accuracies.indexOf(Math.max(...accuracies))).toBe(history.bestEpoch - 1);
    disposeModel(m);
    tf.dispose([xs, ys]);
  });
});
