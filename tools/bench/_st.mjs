import { selectBackend, tf, adam, FusedDense, FusedConv2D } from '@stagegraph/core-tensor';
const act = process.argv[2] ?? 'relu';
async function losses(backend) {
  await selectBackend(backend);
  const init = (seed) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: act, padding: 'same', kernelInitializer: init(1) }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 6, activation: act, kernelInitializer: init(2) }),
    tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(3) })] });
  model.compile({ optimizer: adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(Array.from({ length: 16 * 64 }, (_, i) => Math.sin(i * 0.37)), [16, 8, 8, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3).toFloat();
  const h = await model.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
  return h.history.loss.map((l) => l.toFixed(5)).join(' ');
}
console.log(act, 'cpu ', await losses('cpu'));
console.log(act, 'wasm', await losses('wasm'));
