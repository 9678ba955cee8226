// The benchmark workloads: the seed CNN (train, predict, one-image latency), the seed LSTM and its GRU
// twin (an epoch) and the dense-table network (an epoch), on synthetic data of the real shapes
// (throughput does not depend on the values), or the first 10,000 MNIST digits where given.
// tools/bench/keras/bench_keras.py measures the same workloads in Keras, the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { augmentImages, disposeModel, fitSeeded, SeededRandom, tf } from '@stagegraph/core-tensor';
import { buildClassifier, buildDenseTable, fitTableBatches, ORIGIN_MNIST_LAYERS } from '@stagegraph/models-cnn';
import { buildLstmForecaster } from '@stagegraph/models-lstm';
import { parseIdx } from '@stagegraph/preprocess';

/** n random 28x28 grey images and one-hot labels. */
export const images = (n, seed) => {
  const random = new SeededRandom(seed);
  const x = tf.tensor4d(
    Float32Array.from({ length: n * 784 }, () => random.next()),
    [n, 28, 28, 1],
  );
  const y = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: n }, () => random.nextInt(10)),
          'int32',
        ),
        10,
      )
      .toFloat(),
  );
  return { x, y };
};

/** The seed CNN (conv32-5x5, pool, conv64-5x5, pool, dense 1024, dense 10). */
export const seedCnn = () =>
  buildClassifier({ inputShape: [28, 28, 1], layers: ORIGIN_MNIST_LAYERS, learningRate: 0.001, seed: 1 });

/** The seed LSTM(50, relu) + Dense(1) on 20-step windows (cell 'gru': the same with a GRU). */
export const seedLstm = (implementation, cell = 'lstm') =>
  buildLstmForecaster({
    seqLength: 20,
    units: 50,
    activation: 'relu',
    learningRate: 0.001,
    seed: 1,
    implementation,
    cell,
  });

/** n 20-step windows of a seeded random walk and the value after each. */
export function randomWalkWindows(n) {
  const random = new SeededRandom(3);
  let level = 0.5;
  const series = Array.from({ length: n + 20 }, () => (level += (random.next() - 0.5) * 0.02));
  const x = tf.tensor3d(Array.from({ length: n }, (_, i) => series.slice(i, i + 20)).flat(), [n, 20, 1]);
  const y = tf.tensor2d(series.slice(20), [n, 1]);
  return { x, y };
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** Samples per second of CNN training, batch 32, after one warm-up batch. */
export async function cnnTrain({ batches }) {
  const batchSize = 32;
  const model = seedCnn();
  const { x, y } = images(batchSize * (batches + 1), 1);
  const [xWarm, xTimed] = tf.split(x, [batchSize, batchSize * batches]);
  const [yWarm, yTimed] = tf.split(y, [batchSize, batchSize * batches]);
  try {
    await model.fit(xWarm, yWarm, { batchSize, epochs: 1, verbose: 0, shuffle: false });
    const start = process.hrtime.bigint();
    await model.fit(xTimed, yTimed, { batchSize, epochs: 1, verbose: 0, shuffle: false });
    return { value: (batchSize * batches) / seconds(start), unit: 'samples/s' };
  } finally {
    tf.dispose([x, y, xWarm, xTimed, yWarm, yTimed]);
    disposeModel(model);
  }
}

/** What the augmentation case turns on: every part, as pipelines/mnist-augment.json and more (contrast too). */
export const BENCH_AUGMENT = { translate: 0.1, rotate: 10, zoom: 0.1, flip: true, contrast: 0.2 };

/**
 * Samples per second of seed-CNN training through fitSeeded (the way models-cnn.train trains: the
 * epoch's rows gathered, augmented or not), batch 32, with augmentation off and on in the same
 * process and model: after a warm-up epoch, two rounds (off-on, then on-off), the faster of each
 * kept; and how many images a second augmentImages alone changes.
 */
export async function cnnTrainAugment({ batches }) {
  const batchSize = 32;
  const model = seedCnn();
  const { x, y } = images(batchSize * batches, 1);
  const fit = (augment) =>
    fitSeeded(model, x, y, {
      epochs: 1,
      batchSize,
      validationSplit: 0,
      patience: 0,
      restoreBestWeights: false,
      seed: 1,
      augment,
    });
  const rate = async (augment) => {
    const start = process.hrtime.bigint();
    await fit(augment);
    return (batchSize * batches) / seconds(start);
  };
  try {
    await fit(BENCH_AUGMENT); // warm-up: the first epoch of a shape is slower
    const [off, on] = [[], []];
    off.push(await rate(undefined));
    on.push(await rate(BENCH_AUGMENT));
    on.push(await rate(BENCH_AUGMENT));
    off.push(await rate(undefined));
    const random = new SeededRandom(2);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) augmentImages(x, BENCH_AUGMENT, random).dispose();
    const augmentRate = (5 * x.shape[0]) / seconds(start);
    return { value: Math.max(...on), off: Math.max(...off), augmentRate, unit: 'samples/s', augment: BENCH_AUGMENT };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/** Samples per second of CNN prediction at a given batch size, after a warm-up pass. */
export async function cnnPredict({ batchSize, batches, rounds = 1 }) {
  const model = seedCnn();
  const { x, y } = images(batchSize * batches, 2);
  try {
    // warm-up: a whole pass, as the Keras side, so the timed passes find the heap grown and oneDNN's
    // primitives made (a first pass over 20 batches of 256 ran at half the speed of the third)
    tf.tidy(() => model.predict(x, { batchSize }).dataSync());
    // rounds > 1: the fastest of that many passes over every batch (steady state, as the Keras side)
    let best = Infinity;
    for (let round = 0; round < rounds; round++) {
      const start = process.hrtime.bigint();
      const out = model.predict(x, { batchSize });
      await out.data();
      out.dispose();
      best = Math.min(best, seconds(start));
    }
    return { value: (batchSize * batches) / best, unit: 'samples/s' };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/**
 * Steady-state seconds per epoch: `train(epochs, onEpochEnd)` runs one warm-up epoch (the first
 * epoch of a shape is slower) and `timedEpochs` more; the fastest timed epoch is kept.
 */
async function steadyEpochSeconds(timedEpochs, train) {
  const ends = [process.hrtime.bigint()];
  await train(1 + timedEpochs, () => ends.push(process.hrtime.bigint()));
  const seconds = ends.slice(2).map((end, i) => Number(end - ends[i + 1]) / 1e9);
  return Math.min(...seconds);
}

/** Seconds per epoch of the seed LSTM (or GRU) on 20x1 windows, batch 32, as models-lstm trains it (fitSeeded). */
export async function recurrentEpoch({ windows, implementation, cell = 'lstm', timedEpochs = 1 }) {
  const { x, y } = randomWalkWindows(windows);
  const model = seedLstm(implementation, cell);
  try {
    const value = await steadyEpochSeconds(timedEpochs, (epochs, onEpochEnd) =>
      fitSeeded(model, x, y, { epochs, batchSize: 32, validationSplit: 0, patience: 0, seed: 1, onEpochEnd }),
    );
    return { value, unit: 's/epoch' };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/** The first `n` MNIST training digits in `dir` (train-*-idx*-ubyte.gz), scaled to [0, 1], labels one-hot. */
export function mnistImages(dir, n) {
  const read = (file, rank) => parseIdx(readFileSync(join(dir, file)), file, rank);
  const images = read('train-images-idx3-ubyte.gz', 3);
  const labels = read('train-labels-idx1-ubyte.gz', 1);
  const count = Math.min(n, images.dims[0]);
  const x = tf.tensor4d(
    Float32Array.from(images.data.subarray(0, count * 784), (v) => v / 255),
    [count, 28, 28, 1],
  );
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels.data.subarray(0, count), 'int32'), 10).toFloat());
  return { x, y };
}

/**
 * Samples per second of seed-CNN training over whole epochs of `images` digits (MNIST from `mnist`,
 * else synthetic), batch 32, as models-cnn.train trains (fitSeeded, shuffled): the fastest of
 * `timedEpochs` after a warm-up epoch.
 */
export async function cnnTrainEpochs({ images: n, mnist, timedEpochs }) {
  const model = seedCnn();
  const { x, y } = mnist ? mnistImages(mnist, n) : images(n, 1);
  try {
    const seconds = await steadyEpochSeconds(timedEpochs, (epochs, onEpochEnd) =>
      fitSeeded(model, x, y, { epochs, batchSize: 32, validationSplit: 0, patience: 0, seed: 1, onEpochEnd }),
    );
    return { value: x.shape[0] / seconds, unit: 'samples/s', data: mnist ? 'mnist' : 'synthetic' };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/** Milliseconds per one-image prediction, probabilities read back (what `serve` pays per upload), after `warmup` calls. */
export async function cnnLatency({ warmup, calls }) {
  const model = seedCnn();
  const { x, y } = images(1, 2);
  const call = () => {
    const out = model.predict(x);
    out.dataSync();
    out.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) call();
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) call();
    return { value: (seconds(start) * 1000) / calls, unit: 'ms/call' };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/**
 * The bench's table for the dense network: as many rows as flights-200k (table-load.js), 30
 * features (what tables.prepare makes of a few numbers, a category and a date), 3 classes.
 */
export const BENCH_TABLE = { rows: 200_000, inputs: 30, classes: 3, hidden: [64, 32], batchSize: 64 };

/**
 * Seconds per epoch of the dense-table stage's default network (hidden [64, 32] relu, softmax,
 * Adam, batch 64) on random rows, trained as the stage trains (fitTableBatches: a batch at a time).
 */
export async function denseTableEpoch({ rows, inputs, classes, hidden, batchSize, timedEpochs }) {
  const random = new SeededRandom(4);
  const data = {
    x: Float32Array.from({ length: rows * inputs }, () => random.next()),
    rows,
    cols: inputs,
    y: Int32Array.from({ length: rows }, () => random.nextInt(classes)),
    classes,
  };
  const model = buildDenseTable({
    inputs,
    hidden,
    activation: 'relu',
    dropout: 0,
    batchNorm: false,
    classes,
    learningRate: 0.001,
    seed: 1,
  });
  try {
    const value = await steadyEpochSeconds(timedEpochs, (epochs, onEpochEnd) =>
      fitTableBatches(tf, model, data, undefined, { epochs, batchSize, patience: 0, seed: 1, onEpochEnd }),
    );
    return { value, unit: 's/epoch' };
  } finally {
    disposeModel(model);
  }
}
