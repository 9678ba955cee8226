import { adam, buildInScope, FusedDense, SeededRandom, seededDropout, tf } from '@stagegraph/core-tensor';

import type { DenseActivation } from './dense-activations.js';

export interface DenseTableOptions {
  /** Features per row. */
  inputs: number;
  /** Units of each hidden layer, input to output. */
  hidden: number[];
  activation: DenseActivation;
  /** Dropout rate after each hidden layer (0: none). */
  dropout: number;
  batchNorm: boolean;
  /** Classes of a classification (a softmax head); 0 for a regression (one linear unit). */
  classes: number;
  learningRate: number;
  seed: number;
}

/**
 * A dense network for a prepared table: hidden layers (each optionally followed by batch norm and
 * dropout), a softmax head with categorical cross-entropy and accuracy for a classification, or one
 * linear unit with mean squared error for a regression; Adam. Every initializer and dropout is seeded;
 * the dense layers train with bias and activation fused (FusedDense) where the activation is relu or linear.
 */
export function buildDenseTable(o: DenseTableOptions): tf.LayersModel {
  const random = new SeededRandom(o.seed);
  const kernelInitializer = () => tf.initializers.glorotUniform({ seed: random.nextInt() });
  const model = buildInScope(() => {
    const layers: tf.layers.Layer[] = [];
    o.hidden.forEach((units, i) => {
      const first = i === 0 ? { inputShape: [o.inputs] } : {};
      layers.push(
        new FusedDense({ ...first, units, activation: o.activation, kernelInitializer: kernelInitializer() }),
      );
      // momentum 0.9 (PyTorch's): at Keras' 0.99 the moving statistics of a small table's few hundred
      // batches still lean on their initial 0 and 1, and predictions drift from what training saw
      if (o.batchNorm) layers.push(tf.layers.batchNormalization({ momentum: 0.9 }));
      if (o.dropout > 0) layers.push(seededDropout({ rate: o.dropout, seed: random.nextInt() }));
    });
    const head = o.classes > 0 ? { units: o.classes, activation: 'softmax' as const } : { units: 1 };
    layers.push(
      new FusedDense({
        ...(o.hidden.length === 0 ? { inputShape: [o.inputs] } : {}),
        ...head,
        kernelInitializer: kernelInitializer(),
      }),
    );
    return tf.sequential({ name: 'dense_table', layers });
  });
  model.compile(
    o.classes > 0
      ? { optimizer: adam(o.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }
      : { optimizer: adam(o.learningRate), loss: 'meanSquaredError' },
  );
  return model;
}
