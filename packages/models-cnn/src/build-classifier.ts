import { adam, buildInScope, FusedConv2D, FusedDense, SeededRandom, seededDropout, tf } from '@stagegraph/core-tensor';
import type { LayerSpec } from './layer-spec.js';

export interface ClassifierOptions {
  /** [height, width, channels] of one image. */
  inputShape: [number, number, number];
  layers: LayerSpec[];
  learningRate: number;
  seed: number;
  /** What a dense layer's `units: "classes"` stands for: the labels' class count. */
  classCount?: number;
}

/**
 * A sequential classifier from a layer list, compiled with Adam and categorical cross-entropy.
 * Every initializer and dropout gets a seed drawn from `seed`, so a seed fixes the starting point.
 * Convolutions and dense layers train with their bias and activation fused (FusedConv2D, FusedDense).
 */
export function buildClassifier(options: ClassifierOptions): tf.LayersModel {
  const random = new SeededRandom(options.seed);
  const seeded = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextInt() }) });
  const model = buildInScope(() => {
    const layers = options.layers.map((spec, i) => {
      const first = i === 0 ? { inputShape: options.inputShape } : {};
      switch (spec.type) {
        case 'conv2d':
          return new FusedConv2D({
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
          return new FusedDense({ ...first, ...seeded(), units: unitsOf(spec, options), activation: spec.activation });
        case 'dropout':
          return seededDropout({ ...first, rate: spec.rate, seed: random.nextInt() });
        case 'batchNormalization':
          return tf.layers.batchNormalization(first);
      }
    });
    return tf.sequential({ name: 'cnn_classifier', layers });
  });
  model.compile({ optimizer: adam(options.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function unitsOf(spec: Extract<LayerSpec, { type: 'dense' }>, options: ClassifierOptions): number {
  if (spec.units !== 'classes') return spec.units;
  if (options.classCount === undefined) throw new Error('a dense layer with units "classes" needs classCount');
  return options.classCount;
}
