import { beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend, setClassNames, tensorCount, tf } from '@stagegraph/core-tensor';
import { assertFiniteWeights, classifyImages, finiteWeightReads } from './classify-images.js';
import { classifyStage } from './stages/classify.stage.js';

beforeAll(() => selectBackend('cpu'));

/** A 2x2x3 classifier whose class k scores the mean of channel k: a red image is class 0. */
function colourModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 3] }),
      tf.layers.dense({ units: 3, activation: 'softmax', useBias: false }),
    ],
  });
  const kernel = tf.tensor2d(
    Array.from({ length: 36 }, (_, i) => (Math.floor(i / 3) % 3 === i % 3 ? 1 : 0)),
    [12, 3],
  );
  model.setWeights([kernel]);
  kernel.dispose();
  return model;
}
const solid = (r: number, g: number, b: number) => Array.from({ length: 4 }, () => [r, g, b]).flat();

describe('classifyImages', () => {
  it("names each image's class and its top 3 by the model's class names, every probability by name", async () => {
    const model = colourModel();
    setClassNames(model, { names: ['rot', 'grün', 'blau'], images: 'resized' });
    const images = tf.tensor4d([...solid(0, 0, 1), ...solid(1, 0, 0)], [2, 2, 2, 3]);
    const before = tensorCount();
    const [blue, red] = await classifyImages(model, images, ['b.png', 'r.png'], 'colours');
    expect(tensorCount()).toBe(before);
    expect([blue.file, blue.class, blue.label, red.class, red.label]).toEqual(['b.png', 'blau', 2, 'rot', 0]);
    expect(blue.top.map((t) => t.class)).toEqual(['blau', 'rot', 'grün']); // ties keep label order
    expect(blue.top[0].probability).toBeCloseTo(Math.exp(4) / (Math.exp(4) + 2), 6);
    expect(Object.keys(blue.probabilities)).toEqual(['rot', 'grün', 'blau']);
    expect(blue.probabilities.blau).toBe(blue.top[0].probability);
    images.dispose();
    model.dispose();
  });

  it('numbers the classes "0".."k-1" for a model saved without names', async () => {
    const model = colourModel();
    const images = tf.tensor4d(solid(0, 1, 0), [1, 2, 2, 3]);
    const [green] = await classifyImages(model, images, ['g.png']);
    expect([green.class, Object.keys(green.probabilities)]).toEqual(['1', ['0', '1', '2']]);
    images.dispose();
    model.dispose();
  });

  it('is the models-cnn.classify stage, the files read and unread passed through', async () => {
    const model = colourModel();
    setClassNames(model, { names: ['rot', 'grün', 'blau'] });
    const images = tf.tensor4d(solid(1, 0, 0), [1, 2, 2, 3]);
    const errors = [{ file: 'bad.png', error: 'bad.png: expected an image, got an empty file' }];
    const context = {
      stageId: 'classify',
      seed: 1,
      signal: new AbortController().signal,
      workDir: '.',
      progress: () => {},
      log: () => {},
    };
    const { predictions } = (await classifyStage.run(
      { model, images, files: { files: ['r.png'], errors } },
      {},
      context,
    )) as { predictions: { predictions: { class: string }[]; errors: unknown } };
    expect(predictions.predictions.map((p) => p.class)).toEqual(['rot']);
    expect(predictions.errors).toEqual(errors);
    images.dispose();
    model.dispose();
  });

  it('checks the weights once per value: a second upload reads none back, new values (NaN) are read and refused', async () => {
    const model = colourModel();
    const images = tf.tensor4d(solid(1, 0, 0), [1, 2, 2, 3]);
    await classifyImages(model, images, ['r.png']);
    const reads = finiteWeightReads.count;
    await classifyImages(model, images, ['r.png']);
    expect(finiteWeightReads.count).toBe(reads);
    const diverged = tf.fill([12, 3], NaN);
    model.setWeights([diverged]);
    expect(() => assertFiniteWeights(model, 'colours')).toThrow(/colours: its weights hold NaN/);
    tf.dispose([diverged, images]);
    model.dispose();
  });
});
