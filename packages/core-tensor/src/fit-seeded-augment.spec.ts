import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SeededRandom } from '@stagegraph/pipeline';
import type { AugmentOptions } from './augment/augment-options.js';
import { selectBackend } from './backend.js';
import { fitSeeded, type FitOptions } from './fit-seeded.js';
import { disposeModel, tensorCount } from './memory.js';
import * as tf from './tf.js';

/** 40 tiny 10x10 images: a bright square on the left (class 0) or on the right (class 1). */
function squares() {
  const random = new SeededRandom(4);
  const [n, size] = [40, 10];
  const values = new Float32Array(n * size * size);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const [left, top] = [label ? 5 + random.nextInt(2) : random.nextInt(2), 2 + random.nextInt(4)];
    for (let y = top; y < top + 3; y++) for (let x = left; x < left + 3; x++) values[(i * size + y) * size + x] = 1;
    labels.push(label);
  }
  const x = tf.tensor4d(values, [n, size, size, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2).toFloat());
  return { x, y };
}

const smallCnn = () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [10, 10, 1],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
};

const augment: AugmentOptions = { translate: 0.1, rotate: 15, zoom: 0.1, flip: true, contrast: 0.2 };
let data: ReturnType<typeof squares>;

/** Trains the small CNN; returns its history, final weights and its loss on the validation rows as they are. */
async function train(options: Partial<FitOptions>) {
  const model = smallCnn();
  const history = await fitSeeded(model, data.x, data.y, {
    epochs: 2,
    batchSize: 8,
    validationSplit: 0.25,
    patience: 0,
    restoreBestWeights: false, // the final model is the last epoch's
    seed: 11,
    ...options,
  });
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  const clean = tf.tidy(() => (model.evaluate(data.x.slice(30), data.y.slice(30)) as tf.Scalar[])[0].dataSync()[0]);
  disposeModel(model);
  return { history, weights: weights.map((w) => Array.from(w)), clean };
}

// the production path: wasm with the project's kernels
beforeAll(async () => {
  await selectBackend('wasm');
  data = squares();
});
afterAll(() => tf.dispose([data.x, data.y]));

describe('fitSeeded with augmentation', () => {
  it('gives the same weights and losses for the same seed, other ones for another seed, and leaks nothing', async () => {
    const before = tensorCount();
    const first = await train({ augment });
    const again = await train({ augment });
    expect(tensorCount()).toBe(before);
    expect(again.history.epochs).toEqual(first.history.epochs);
    expect(again.weights).toEqual(first.weights);
    const otherSeed = await train({ augment, seed: 12 });
    expect(otherSeed.weights).not.toEqual(first.weights);
    expect(otherSeed.history.epochs[0].loss).not.toBe(first.history.epochs[0].loss);
  });

  it('changes the training rows only: the same seed without it trains otherwise, and validation sees the rows as they are', async () => {
    const plain = await train({});
    const augmented = await train({ augment });
    expect(augmented.history.epochs[0].loss).not.toBe(plain.history.epochs[0].loss);
    // the last epoch's val_loss is the final model's loss on the last 10 rows, un-augmented
    expect(augmented.history.epochs[1].valLoss).toBeCloseTo(augmented.clean, 5);
    // options that change nothing are no augmentation at all
    const nothing = await train({ augment: { translate: 0, rotate: 0, flip: false } });
    expect(nothing.weights).toEqual(plain.weights);
  });

  it('refuses augmentation of anything but images', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [tf.zeros([4, 3]), tf.zeros([4, 1])];
    await expect(
      fitSeeded(model, x, y, { epochs: 1, batchSize: 2, validationSplit: 0, patience: 0, seed: 1, augment }),
    ).rejects.toThrow('augmentation needs images of shape [n, height, width, channels], got shape [4,3]');
    tf.dispose([x, y]);
    disposeModel(model);
  });
});
