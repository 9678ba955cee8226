// One process of profile-train-step.js: profiles training steps of a seed model on wasm with
// STAGEGRAPH_THREADS threads and prints one JSON line, milliseconds per step by kernel.
import { disposeModel, selectBackend, tf } from '@stagegraph/core-tensor';
import { images, randomWalkWindows, seedCnn, seedLstm } from './workloads.js';

/** One batch of the model's data and a fresh model. */
function batch(model, batchSize) {
  return model === 'cnn'
    ? { ...images(batchSize, 1), net: seedCnn() }
    : { ...randomWalkWindows(batchSize), net: seedLstm('fused') };
}

export async function printProfile(model, steps) {
  const { threads } = await selectBackend('wasm');
  // tfjs' profiler otherwise reads every kernel output back to check it for NaN: copies that
  // inflate the elementwise kernels' times and are no part of training
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const batchSize = 32;
  const { x, y, net } = batch(model, batchSize);
  await net.trainOnBatch(x, y); // warm-up: XNNPACK operators are created on first use
  const kernels = {};
  let stepMs = 0;
  for (let step = 0; step < steps; step++) {
    const start = performance.now();
    const profile = await tf.profile(() => net.trainOnBatch(x, y));
    stepMs += performance.now() - start;
    for (const kernel of profile.kernels) {
      const entry = (kernels[kernel.name] ??= { calls: 0, ms: 0 });
      entry.calls += 1 / steps;
      entry.ms += kernel.kernelTimeMs / steps;
    }
  }
  for (const entry of Object.values(kernels)) entry.calls = Math.round(entry.calls);
  const totalKernelMs = Object.values(kernels).reduce((sum, k) => sum + k.ms, 0);
  tf.dispose([x, y]);
  disposeModel(net);
  console.log(JSON.stringify({ model, threads, batchSize, stepMs: stepMs / steps, totalKernelMs, kernels }));
}
