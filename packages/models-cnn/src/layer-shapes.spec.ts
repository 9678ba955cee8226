import { beforeAll, describe, expect, it } from '@jest/globals';
import { disposeModel, selectBackend } from '@stagegraph/core-tensor';
import { buildClassifier } from './build-classifier.js';
import { layerSpecSchema, ORIGIN_MNIST_LAYERS } from './layer-spec.js';
import { layerShapeProblem, planLayers } from './layer-shapes.js';

beforeAll(() => selectBackend('cpu'));

const layers = (...specs: object[]) => specs.map((spec) => layerSpecSchema.parse(spec));
const FOLDER_LAYERS = layers(
  { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'valid' },
  { type: 'maxPooling2d' },
  { type: 'conv2d', filters: 64, kernelSize: 3, padding: 'valid' },
  { type: 'maxPooling2d' },
  { type: 'flatten' },
  { type: 'dense', units: 128 },
  { type: 'dense', units: 'classes', activation: 'softmax' },
);

describe('layerShapeProblem', () => {
  it('counts the parameters tfjs builds, and finds no problem where the network fits', () => {
    const batchNormalized = layers(
      { type: 'conv2d', filters: 4, kernelSize: [3, 5], strides: 2 },
      { type: 'batchNormalization' },
      { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 'classes' },
    );
    for (const [shape, list] of [
      [[28, 28, 1], ORIGIN_MNIST_LAYERS],
      [[32, 24, 3], FOLDER_LAYERS],
      [[17, 23, 3], batchNormalized],
    ] as [[number, number, number], typeof FOLDER_LAYERS][]) {
      const model = buildClassifier({ inputShape: shape, layers: list, learningRate: 0.001, seed: 1, classCount: 10 });
      expect(planLayers(shape, list, 10)).toEqual({ params: model.countParams() });
      disposeModel(model);
      expect(layerShapeProblem(shape, list, 10)).toBeUndefined();
    }
    expect(planLayers([28, 28, 1], ORIGIN_MNIST_LAYERS, 10)).toEqual({ params: 3_274_634 });
  });

  it('names the first layer whose output is empty: images too small for the kernels and pools', () => {
    expect(layerShapeProblem([2, 3, 3], FOLDER_LAYERS, 3)).toBe(
      'layer 1 (conv2d) gets 2 x 3 x 3 and would output 0 x 1 x 32: the images (2 x 3 x 3) are too small for these layers',
    );
    expect(layerShapeProblem([6, 6, 3], FOLDER_LAYERS, 3)).toBe(
      'layer 3 (conv2d) gets 2 x 2 x 32 and would output 0 x 0 x 64: the images (6 x 6 x 3) are too small for these layers',
    );
    expect(layerShapeProblem([8, 8, 1], layers({ type: 'flatten' }, { type: 'maxPooling2d' }), 2)).toBe(
      'layer 2 (maxPooling2d) gets 64: expected height x width x channels (a 2D layer after flatten?)',
    );
  });

  it('refuses a network too large to build: a photo-sized input flattened into a dense layer', () => {
    expect(layerShapeProblem([1200, 1600, 3], FOLDER_LAYERS, 4)).toMatch(
      /^the network would have 971,624,004 parameters on 1200 x 1600 x 3 images, more than 100,000,000: /,
    );
  });
});
