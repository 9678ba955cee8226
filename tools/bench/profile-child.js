// One process of profile-train-step.js: profiles training steps of a seed model on wasm with
// STAGEGRAPH_THREADS threads and prints one JSON line, milliseconds per step by kernel.
import { disposeModel, SeededRandom, selectBackend, tf } from '@stagegraph/core-tensor';
import { buildClassifier, ORIGIN_MNIST_LAYERS } from '@stagegraph/models-cnn';
import { buildLstmForecaster } from '@stagegraph/models-lstm';

function batch(model, batchSize) {
  const random = new SeededRandom(1);
  if (model === 'cnn') {
    const x = tf.tensor4d(
      Float32Array.from({ length: batchSize * 784 }, () => random.next()),
      [batchSize, 28, 28, 1],
    );
    const y = tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: batchSize }, () => random.nextInt(10)),
          'int32',
        ),
        10,
      )
      .toFloat();
    return { x, y, net: buildClassifier({ inputShape: [28, 28, 1], layers: ORIGIN_MNIST_LAYERS, learningRate: 0.001, seed: 1 }) };
  }
  const x = tf.tensor3d(
    Float32Array.from({ length: batchSize * 20 }, () => random.next()),
    [batchSize, 20, 1],
  );
  const y = tf.tensor2d(
    Float32Array.from({ length: batchSize }, () => random.next()),
    [batchSize, 1],
  );
  return { x, y, net: buildLstmForecaster({ seqLength: 20, units: 50, activation: 'relu', learningRate: 0.001, seed: 1, implementation: 'fused' }) };
}

export async function printProfile(model, steps) {
  const { threads } = await selectBackend('wasm');
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
