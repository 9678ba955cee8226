import { adam, buildInScope, SeededRandom, tf } from '@stagegraph/core-tensor';
import type { LayerSpec } from './layer-spec.js';

export interface ClassifierOptions {
  /** [height, width, channels] of one image. */
  inputShape: [number, number, number];
  layers: LayerSpec[];
  learningRate: number;
  seed: number;
}

/**
 * A sequential classifier from a layer list, compiled with Adam and categorical cross-entropy.
 * Every initializer and dropout gets a seed drawn from `seed`, so a seed fixes the starting point.
 */
export function buildClassifier(options: ClassifierOptions): tf.LayersModel {
  const random = new SeededRandom(options.seed);
  const seeded = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextInt() }) });
  const model = buildInScope(() => {
    const layers = options.layers.map((spec, i) => {
      const first = i === 0 ? { inputShape: options.inputShape } : {};
      switch (spec.type) {
        case 'conv2d':
          return tf.layers.conv2d({
            ...first,
            ...seeded(),
            filters: spec.filters,
            kernelSize: spec.kernelSize,
            strides: spec.strides,
            padding: spec.padding,
            activation: spec.activation,
          });
        case 'maxPooling2d':
          return tf.layers.maxPooling2d({
            ...first,
            poolSize: spec.poolSize,
            strides: spec.strides ?? spec.poolSize,
            padding: spec.padding,
          });
        case 'flatten':
          return tf.layers.flatten(first);
        case 'dense':
          return tf.layers.dense({ ...first, ...seeded(), units: spec.units, activation: spec.activation });
        case 'dropout':
          return seededDropout(spec.rate, random.nextInt(), first);
        case 'batchNormalization':
          return tf.layers.batchNormalization(first);
      }
    });
    return tf.sequential({ name: 'cnn_classifier', layers });
  });
  model.compile({ optimizer: adam(options.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * Dropout that draws a new mask at every training step, from a sequence the seed fixes. tfjs'
 * Dropout with a seed seeds a fresh generator on each call, so it drops the same units at every
 * step: a thinner network, not dropout. Here each call reads the next seed of the sequence; the
 * saved config keeps the first (dropout does nothing when predicting).
 */
function seededDropout(rate: number, seed: number, first: { inputShape?: [number, number, number] }) {
  const layer = tf.layers.dropout({ ...first, rate, seed });
  const steps = new SeededRandom(seed);
  const getConfig = layer.getConfig.bind(layer);
  Object.defineProperty(layer, 'seed', { get: () => steps.nextInt(), configurable: true });
  layer.getConfig = () => ({ ...getConfig(), seed });
  return layer;
}
