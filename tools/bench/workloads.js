// The benchmark workloads: the seed CNN (train, predict) and the seed LSTM (one epoch), on
// synthetic data of the real shapes (throughput does not depend on the pixel values).
import { augmentImages, disposeModel, fitSeeded, SeededRandom, tf } from '@stagegraph/core-tensor';
import { buildClassifier, ORIGIN_MNIST_LAYERS } from '@stagegraph/models-cnn';
import { buildLstmForecaster } from '@stagegraph/models-lstm';

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

/** The seed LSTM(50, relu) + Dense(1) on 20-step windows. */
export const seedLstm = (implementation) =>
  buildLstmForecaster({ seqLength: 20, units: 50, activation: 'relu', learningRate: 0.001, seed: 1, implementation });

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

/** Samples per second of CNN prediction at a given batch size, after one warm-up batch. */
export async function cnnPredict({ batchSize, batches }) {
  const model = seedCnn();
  const { x, y } = images(batchSize * batches, 2);
  try {
    tf.tidy(() => model.predict(x.slice(0, batchSize), { batchSize }).dataSync());
    const start = process.hrtime.bigint();
    const out = model.predict(x, { batchSize });
    await out.data();
    out.dispose();
    return { value: (batchSize * batches) / seconds(start), unit: 'samples/s' };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/** Seconds per epoch of the seed LSTM on 2,100 windows of 20x1, batch 32 (second epoch timed). */
export async function lstmEpoch({ windows, implementation }) {
  const { x, y } = randomWalkWindows(windows);
  const model = seedLstm(implementation);
  try {
    const times = [];
    await fitSeeded(model, x, y, {
      epochs: 2,
      batchSize: 32,
      validationSplit: 0,
      patience: 0,
      seed: 1,
      onEpochEnd: () => times.push(process.hrtime.bigint()),
    });
    return { value: Number(times[1] - times[0]) / 1e9, unit: 's/epoch' };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}
