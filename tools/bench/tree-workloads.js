// The tree-ensemble workloads: this project's histogram random forest and gradient-boosted trees on a
// seeded synthetic table, and ml-random-forest on the same data for comparison (optional: it is not a
// dependency; `npm install --no-save ml-random-forest` to measure it).
import { fitGradientBoosting, fitRandomForest, predictTrees } from '@stagegraph/models-classical';
import { SeededRandom } from '@stagegraph/core-tensor';

/**
 * rows x cols uniform features in [-1, 1) (row-major Float32Array) and two classes: the sign of a
 * weighted sum of the first five features plus an interaction of the next two, with a little noise.
 */
export function syntheticTable(rows, cols, seed) {
  const random = new SeededRandom(seed);
  const x = new Float32Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = random.next() * 2 - 1;
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = (f) => x[r * cols + f];
    const score = v(0) + 2 * v(1) + 3 * v(2) + 4 * v(3) + 5 * v(4) + 3 * v(5) * v(6) + 0.3 * (random.next() - 0.5);
    y[r] = score > 0 ? 1 : 0;
  }
  return { x, rows, cols, y };
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

function accuracy(probabilities, labels) {
  let right = 0;
  for (let r = 0; r < labels.length; r++) if ((probabilities[r * 2 + 1] > 0.5 ? 1 : 0) === labels[r]) right++;
  return right / labels.length;
}

/** Seconds to train (and held-out accuracy on 2,000 rows) of a forest or boosted trees. */
export function treesTrain({ kind, rows, cols, trees }) {
  const train = syntheticTable(rows, cols, 1);
  const test = syntheticTable(2000, cols, 2);
  const data = { ...train, task: 'classification' };
  const start = process.hrtime.bigint();
  const model =
    kind === 'gradient-boosting'
      ? fitGradientBoosting(data, { rounds: trees, seed: 1 })
      : fitRandomForest(data, { trees, seed: 1 });
  const value = seconds(start);
  const predictStart = process.hrtime.bigint();
  const probabilities = predictTrees(model, test.x, test.rows, test.cols);
  return {
    value,
    unit: 's',
    accuracy: accuracy(probabilities, test.y),
    predictSeconds: seconds(predictStart),
    modelMb: JSON.stringify(model).length / 1e6,
  };
}

/** ml-random-forest (ml-cart trees) on the same table: seconds to train, held-out accuracy. */
export async function mlRandomForestTrain({ rows, cols, trees }) {
  const { RandomForestClassifier } = await import('ml-random-forest').catch(() => {
    throw new Error('ml-random-forest not installed (npm install --no-save ml-random-forest)');
  });
  const train = syntheticTable(rows, cols, 1);
  const test = syntheticTable(2000, cols, 2);
  const asRows = ({ x, rows: n }) =>
    Array.from({ length: n }, (_, r) => Array.from(x.subarray(r * cols, (r + 1) * cols)));
  const forest = new RandomForestClassifier({
    nEstimators: trees,
    maxFeatures: Math.sqrt(cols) / cols,
    seed: 1,
    noOOB: true,
  });
  const start = process.hrtime.bigint();
  forest.train(asRows(train), Array.from(train.y));
  const value = seconds(start);
  const predicted = forest.predict(asRows(test));
  const right = predicted.filter((p, r) => p === test.y[r]).length;
  return { value, unit: 's', accuracy: right / test.rows };
}
