import { beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend, SeededRandom, tensorCount, tf } from '@stagegraph/core-tensor';
import type { StageContext } from '@stagegraph/pipeline';
import { fitPca, projectPca } from './pca.js';
import { predictClassicalStage } from './stages/predict.stage.js';
import { trainClassicalStage } from './stages/train.stage.js';

beforeAll(() => selectBackend('cpu'));
// counted before any test loads libsvm (whose emscripten prelude adds one that calls process.exit)
const handlersAtStart = process.listenerCount('unhandledRejection');

/** n 4x4 "images" of 3 classes: each class lights its own block of pixels, plus noise. */
function blobs(n: number, seed: number) {
  const random = new SeededRandom(seed);
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const pixels = labels.flatMap((c) =>
    Array.from({ length: 16 }, (_, p) => (Math.floor(p / 5) === c ? 0.8 : 0.1) + 0.2 * random.next()),
  );
  return { x: tf.tensor4d(pixels, [n, 4, 4, 1]), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat(), labels };
}
const ctx = (logs: string[] = []): StageContext => ({
  stageId: 'train',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: (m) => void logs.push(m),
});
const run = async <T>(stage: { run: (...args: never[]) => unknown }, inputs: unknown, params: unknown) =>
  await (stage.run as (...a: unknown[]) => Promise<T>)(inputs, params, ctx());

describe('fitPca', () => {
  it('finds the direction of largest variance, with a fixed sign, and standardizes the projections', () => {
    // points on the line y = 2x with a little noise: the first component is +-(1, 2)/sqrt(5)
    const random = new SeededRandom(3);
    const rows = Array.from({ length: 200 }, () => {
      const t = random.next() * 10;
      return [t, 2 * t + 0.01 * random.next()];
    });
    const x = tf.tensor2d(rows);
    const pca = fitPca(x, 1);
    expect(pca.components[0][0]).toBeCloseTo(1 / Math.sqrt(5), 3);
    expect(pca.components[0][1]).toBeCloseTo(2 / Math.sqrt(5), 3);
    expect(pca.explainedVariance).toBeGreaterThan(0.999);
    const projected = projectPca(pca, x).map((r) => r[0]);
    const mean = projected.reduce((s, v) => s + v, 0) / projected.length;
    const variance = projected.reduce((s, v) => s + (v - mean) ** 2, 0) / (projected.length - 1);
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 4);
    x.dispose();
  });
});

describe('models-classical.train and .predict', () => {
  it.each([
    ['svm', {}],
    ['knn', { k: 3 }],
    ['logistic-regression', { steps: 200, learningRate: 0.5 }],
    ['random-forest', { trees: 10 }],
    ['gradient-boosting', { rounds: 20, minSamplesLeaf: 3 }],
  ])('%s learns separable classes, on PCA features and on raw pixels, leaking no tensors', async (model, options) => {
    const train = blobs(60, 1);
    const test = blobs(30, 2);
    const before = tensorCount();
    for (const pca of [2, 0]) {
      const params = trainClassicalStage.params.parse({ model, pca, ...options });
      const trained = await run<{
        model: { kind: string; pca?: unknown; trained: unknown };
        timing: { seconds: number; samples: number };
      }>(trainClassicalStage, { x: train.x, y: train.y }, params);
      expect(trained.model.kind).toBe(model);
      expect(trained.model.pca === undefined).toBe(pca === 0);
      expect(trained.timing.samples).toBe(60);
      // the model as the next stage gets it live, and as it comes back from the cache (JSON)
      for (const model of [trained.model, JSON.parse(JSON.stringify(trained.model))]) {
        const { probabilities, timing } = await run<{ probabilities: tf.Tensor; timing: { samples: number } }>(
          predictClassicalStage,
          { model, x: test.x },
          {},
        );
        const classIds = probabilities.argMax(1);
        const predicted = Array.from(classIds.dataSync());
        tf.dispose([classIds, probabilities]);
        expect(timing.samples).toBe(30);
        expect(predicted.filter((p, i) => p === test.labels[i]).length / 30).toBeGreaterThanOrEqual(0.9);
      }
    }
    expect(tensorCount()).toBe(before);
    tf.dispose([train.x, train.y, test.x, test.y]);
  });

  it('refuses an option of another model, naming its owner', () => {
    const issues = trainClassicalStage.params
      .safeParse({ model: 'svm', k: 5 })
      .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(['k: k is an option of knn, not of svm']);
    const shared = trainClassicalStage.params.safeParse({ model: 'knn', maxDepth: 3 }).error?.issues[0].message;
    expect(shared).toBe('maxDepth is an option of random-forest and gradient-boosting, not of knn');
  });

  it('gives the tree ensembles class probabilities, not one-hot rows, and repeats with the stage seed', async () => {
    const train = blobs(60, 1);
    const test = blobs(9, 2);
    const params = trainClassicalStage.params.parse({ model: 'random-forest', pca: 2, trees: 7 });
    const fit = () => run<{ model: unknown }>(trainClassicalStage, { x: train.x, y: train.y }, params);
    const [first, second] = [await fit(), await fit()];
    expect(JSON.stringify(second.model)).toBe(JSON.stringify(first.model));
    const { probabilities } = await run<{ probabilities: tf.Tensor }>(
      predictClassicalStage,
      { model: first.model, x: test.x },
      {},
    );
    const values = Array.from(probabilities.dataSync());
    expect(probabilities.shape).toEqual([9, 3]);
    // 7 trees vote in sevenths: a probability strictly between 0 and 1 shows it is no one-hot row
    expect(values.some((v) => v > 0 && v < 1)).toBe(true);
    for (let r = 0; r < 9; r++) expect(values[r * 3] + values[r * 3 + 1] + values[r * 3 + 2]).toBeCloseTo(1, 5);
    tf.dispose([probabilities, train.x, train.y, test.x, test.y]);
  });

  it('trains on the first maxSamples only', async () => {
    const train = blobs(60, 1);
    const params = trainClassicalStage.params.parse({ model: 'knn', pca: 0, maxSamples: 12 });
    const { timing } = await run<{ timing: { samples: number } }>(
      trainClassicalStage,
      { x: train.x, y: train.y },
      params,
    );
    expect(timing.samples).toBe(12);
    tf.dispose([train.x, train.y]);
  });

  it('leaves no process-wide handler behind after loading libsvm', async () => {
    const train = blobs(30, 4);
    await run(
      trainClassicalStage,
      { x: train.x, y: train.y },
      trainClassicalStage.params.parse({ model: 'svm', pca: 0 }),
    );
    expect(process.listenerCount('unhandledRejection')).toBe(handlersAtStart);
    tf.dispose([train.x, train.y]);
  });
});
