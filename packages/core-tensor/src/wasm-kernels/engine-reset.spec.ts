import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '../backend.js';
import { fitSeeded } from '../fit-seeded.js';
import { disposeModel } from '../memory.js';
import { SeededRandom } from '@stagegraph/pipeline';
import * as tf from '../tf.js';
import { adam } from '../fused-adam.js';
import { conv2DBackpropInputRuns } from './Conv2DBackpropInput.js';
import { useNativeKernels } from './native-kernels.js';
import { wasmTrainingKernelsInstalled } from './register-wasm-kernels.js';
import { simdKernelRuns } from './simd-kernels.js';

/** A small conv net trained for three epochs from fixed weights and data: its loss per epoch. */
async function trainTinyCnn(): Promise<number[]> {
  const random = new SeededRandom(11);
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(
    Array.from({ length: 32 * 64 }, () => random.next()),
    [32, 8, 8, 1],
  );
  const y = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: 32 }, (_, i) => i % 3),
          'int32',
        ),
        3,
      )
      .toFloat(),
  );
  const history = await fitSeeded(model, x, y, { epochs: 3, batchSize: 8, validationSplit: 0, patience: 0, seed: 3 });
  tf.dispose([x, y]);
  disposeModel(model);
  return history.epochs.map((e) => e.loss);
}

describe('the wasm training kernels across an engine reset', () => {
  // the wasm paths; native-kernels.spec.ts trains across a reset on the native ones
  beforeAll(() => useNativeKernels(false));
  afterAll(() => useNativeKernels(true));

  it('train, reset the engine, re-create the wasm backend, train again: no abort, the same losses', async () => {
    /** Trains, and checks that our kernels did: the input gradient's fast path and the SIMD module (Adam, max-pool gradient). */
    const trainWithOurKernels = async () => {
      const before = [conv2DBackpropInputRuns.fast, simdKernelRuns.adam, simdKernelRuns.max_pool_grad];
      const losses = await trainTinyCnn();
      const after = [conv2DBackpropInputRuns.fast, simdKernelRuns.adam, simdKernelRuns.max_pool_grad];
      after.forEach((count, i) => expect(count).toBeGreaterThan(before[i]!));
      return losses;
    };
    // two threads: the SIMD module imports the threaded build's shared memory
    expect((await selectBackend('wasm', { threads: 2 })).threads).toBe(2);
    const first = await trainWithOurKernels();
    tf.engine().reset();
    await selectBackend('wasm', { threads: 2 });
    expect(wasmTrainingKernelsInstalled()).toBe(true);
    expect(await trainWithOurKernels()).toEqual(first);
    // one thread (the module imports the single-threaded build's memory) computes the same sums in the same order
    await selectBackend('wasm', { threads: 1 });
    expect(await trainWithOurKernels()).toEqual(first);
  });
});
