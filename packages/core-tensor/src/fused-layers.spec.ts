import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from './backend.js';
import { adam } from './fused-adam.js';
import { FusedConv2D, FusedDense } from './fused-layers.js';
import * as tf from './tf.js';
import { nativeKernelRuns, nativeKernelsStatus } from './wasm-kernels/native-kernels.js';

const constant = (seed: number) => tf.initializers.glorotUniform({ seed });

/** A small conv net from the fused layers or tfjs' own, the same weights either way. */
function convNet(layers: 'fused' | 'stock', activation: 'relu' | 'tanh' = 'relu'): tf.Sequential {
  const conv = (args: Parameters<typeof tf.layers.conv2d>[0]) =>
    layers === 'fused' ? new FusedConv2D(args) : tf.layers.conv2d(args);
  const dense = (args: Parameters<typeof tf.layers.dense>[0]) =>
    layers === 'fused' ? new FusedDense(args) : tf.layers.dense(args);
  const model = tf.sequential({
    layers: [
      conv({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        activation,
        padding: 'same',
        kernelInitializer: constant(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      dense({ units: 6, activation, kernelInitializer: constant(2) }),
      dense({ units: 3, activation: 'softmax', kernelInitializer: constant(3) }),
    ],
  });
  model.compile({ optimizer: adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

async function losses(backend: 'cpu' | 'wasm', layers: 'fused' | 'stock', activation?: 'relu' | 'tanh') {
  await selectBackend(backend);
  const model = convNet(layers, activation);
  const x = tf.tensor4d(
    Array.from({ length: 16 * 64 }, (_, i) => Math.sin(i * 0.37)),
    [16, 8, 8, 1],
  );
  const y = tf
    .oneHot(
      tf.tensor1d(
        Array.from({ length: 16 }, (_, i) => i % 3),
        'int32',
      ),
      3,
    )
    .toFloat();
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  model.optimizer.dispose(); // its moments are variables
  model.dispose();
  return history.history['loss'] as number[];
}

describe('FusedConv2D and FusedDense', () => {
  beforeAll(() => selectBackend('wasm'));
  afterAll(() => selectBackend('wasm'));

  const nativeBuilt = nativeKernelsStatus().active || process.env['CI'];
  (nativeBuilt ? it : it.skip)(
    "train on wasm with the native kernels through the fused ops, with tfjs' own layers' losses on cpu",
    async () => {
      const reference = await losses('cpu', 'stock');
      const before = nativeKernelRuns.reluBiasGrad;
      const fused = await losses('wasm', 'fused');
      // two relu layers a step, two steps an epoch, three epochs
      expect(nativeKernelRuns.reluBiasGrad - before).toBe(12);
      fused.forEach((loss, i) => expect(loss).toBeCloseTo(reference[i]!, 4));
    },
  );

  it("leave an activation they do not fuse to tfjs-layers' own call", async () => {
    const reference = await losses('cpu', 'stock', 'tanh');
    const before = nativeKernelRuns.reluBiasGrad;
    const ours = await losses('wasm', 'fused', 'tanh');
    expect(nativeKernelRuns.reluBiasGrad).toBe(before);
    ours.forEach((loss, i) => expect(loss).toBeCloseTo(reference[i]!, 4));
  });

  it('save as Conv2D and Dense, and load back as the fused layers', async () => {
    await selectBackend('wasm');
    const model = convNet('fused');
    const json = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dense',
    ]);
    const loaded = (await tf.models.modelFromJSON(json as unknown as tf.io.ModelJSON)) as tf.Sequential;
    expect(loaded.layers[0]).toBeInstanceOf(FusedConv2D);
    expect(loaded.layers[3]).toBeInstanceOf(FusedDense);
    model.optimizer.dispose();
    model.dispose();
    loaded.dispose();
  });
});
