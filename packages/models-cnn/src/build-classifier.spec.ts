import { beforeAll, describe, expect, it } from '@jest/globals';
import { disposeModel, selectBackend, tensorCount, tf } from '@stagegraph/core-tensor';
import { buildClassifier } from './build-classifier.js';
import { layerSpecSchema, ORIGIN_MNIST_LAYERS } from './layer-spec.js';

beforeAll(() => selectBackend('cpu'));

describe('buildClassifier', () => {
  it('builds the origin MNIST network with 3,274,634 parameters, leaking nothing', () => {
    const before = tensorCount();
    const model = buildClassifier({
      inputShape: [28, 28, 1],
      layers: ORIGIN_MNIST_LAYERS,
      learningRate: 0.001,
      seed: 1,
    });
    expect(model.countParams()).toBe(3274634);
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dense',
    ]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    disposeModel(model);
    expect(tensorCount()).toBe(before);
  });

  it('takes layers from a config, with dropout and batch norm, seeded', () => {
    const layers = [
      { type: 'conv2d', filters: 4, kernelSize: 3 },
      { type: 'batchNormalization' },
      { type: 'maxPooling2d' },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 3, activation: 'softmax' },
    ].map((spec) => layerSpecSchema.parse(spec));
    const weights = (seed: number) => {
      const model = buildClassifier({ inputShape: [8, 8, 1], layers, learningRate: 0.001, seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(model.outputs[0].shape).toEqual([null, 3]);
      disposeModel(model);
      return values;
    };
    expect(weights(2)).toEqual(weights(2));
    expect(weights(2)).not.toEqual(weights(3));
  });

  it('gives a dense layer with units "classes" as many units as the labels have classes', () => {
    const layers = [{ type: 'flatten' }, { type: 'dense', units: 'classes', activation: 'softmax' }].map((spec) =>
      layerSpecSchema.parse(spec),
    );
    const model = buildClassifier({ inputShape: [4, 4, 3], layers, learningRate: 0.001, seed: 1, classCount: 5 });
    expect(model.outputs[0].shape).toEqual([null, 5]);
    disposeModel(model);
    expect(() => buildClassifier({ inputShape: [4, 4, 3], layers, learningRate: 0.001, seed: 1 })).toThrow(
      /classCount/,
    );
    expect(() => layerSpecSchema.parse({ type: 'dense', units: 'labels' })).toThrow();
  });

  it('drops other units at every training step, in an order the seed repeats', async () => {
    const layers = [{ type: 'flatten' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 2 }].map((spec) =>
      layerSpecSchema.parse(spec),
    );
    const masks = (seed: number) => {
      const model = buildClassifier({ inputShape: [4, 4, 1], layers, learningRate: 0.001, seed });
      const dropout = model.layers[1];
      const before = dropout.getConfig();
      const ones = tf.ones([1, 16]);
      const steps = [0, 1, 2].map(() =>
        tf.tidy(() => Array.from((dropout.apply(ones, { training: true }) as tf.Tensor).dataSync())),
      );
      expect(dropout.getConfig()).toEqual(before); // what is saved does not depend on the steps run
      tf.dispose(ones);
      disposeModel(model);
      return steps;
    };
    const first = masks(5);
    expect(first[1]).not.toEqual(first[0]); // tfjs' seeded Dropout repeats its mask
    expect(first[2]).not.toEqual(first[1]);
    expect(masks(5)).toEqual(first);
    expect(masks(6)).not.toEqual(first);
  });

  it('rejects an unknown layer type with the allowed ones', () => {
    expect(() => layerSpecSchema.parse({ type: 'conv3d' })).toThrow(/conv2d/);
  });
});
